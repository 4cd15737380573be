"""Extraction evaluation: labelled corpus, scorer and floors."""
