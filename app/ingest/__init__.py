"""Ingestion: read inputs, clean them, extract metadata, speakers and themes, store them."""
