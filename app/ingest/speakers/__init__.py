"""Who said what: quotes and speech verbs, the people an article names, their roles and
affiliations, and which of them each quote belongs to (`extraction.extract_speakers`)."""
