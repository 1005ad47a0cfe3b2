"""The vocabulary the rules read notices with: every word list in one place, one module per category.

Each list is written for a *category* of DESIGN.md / STRUCTURES.md (labels, status, problem cues,
evidence), not for the wording of one notice, and says in a comment what it covers. Rules elsewhere
(outline, extract, flags, ingest's totals, QA's question reading) import from here, so two stages can
never read the same words differently.
"""
