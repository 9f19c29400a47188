"""Glossary building: term extraction in one language, acronyms, and French-English pairing."""

from __future__ import annotations

from .acronyms import find_acronyms
from .build import build_glossary, to_entries
from .pairing import TermPair, pair_terms, rank_equivalents
from .rank import TermCandidate, extract_terms

__all__ = ["TermCandidate", "TermPair", "build_glossary", "extract_terms", "find_acronyms",
           "pair_terms", "rank_equivalents", "to_entries"]
