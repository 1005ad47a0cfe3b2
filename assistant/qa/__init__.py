"""Question answering over the stored notices: retrieve, then answer with citations."""
