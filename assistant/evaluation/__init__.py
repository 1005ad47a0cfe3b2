"""Scoring against hand-written gold labels: extraction (records, status, measures, vague flags) and QA."""
