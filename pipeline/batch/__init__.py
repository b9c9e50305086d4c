"""Batch runs over a corpus, with the store as cache."""
