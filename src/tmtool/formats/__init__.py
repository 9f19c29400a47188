"""File formats CAT tools exchange: TMX, TBX, glossary CSV/TSV."""
