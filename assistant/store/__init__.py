"""Persistent Chroma store of chunks, with a BM25 index beside it."""
