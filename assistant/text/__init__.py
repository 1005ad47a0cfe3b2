"""The Chinese-text kernel: folding, sentences and clauses, numerals, jieba tokens.

Every stage that compares, splits or tokenises notice text goes through these few functions,
so the store, QA, extraction and evaluation read the same text the same way.
"""
