"""Pluggable model providers (chat LLM, embeddings), chosen from settings in one place."""
