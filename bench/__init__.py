"""Benchmarks: a synthetic corpus, an SQLite FTS5 baseline and a harness that compares them."""
