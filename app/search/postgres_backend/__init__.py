"""The PostgreSQL search backend: full text in the archive's own database (`index`), ranked
through the RUM index where the server has it (`rum`)."""
