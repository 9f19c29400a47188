"""Language codes: BCP 47 normalisation and matching by primary subtag.

Every reader and writer goes through here, so ``FR-fr``, ``fr_FR`` and ``fr-FR`` are one
language everywhere in tmtool.
"""

from __future__ import annotations

import re

from .errors import UsageError

_TAG = re.compile(r"^[A-Za-z]{1,8}([-_][A-Za-z0-9]{1,8})*$")

# Default regional variants written when a user gives only a primary language.
DEFAULT_REGION = {"fr": "fr-FR", "en": "en-GB", "de": "de-DE", "es": "es-ES", "it": "it-IT"}


def normalize(tag: str) -> str:
    """Canonical BCP 47 casing: ``FR_fr`` -> ``fr-FR``, ``zh-hant-tw`` -> ``zh-Hant-TW``.

    Tags that do not look like language tags (``*all*``, empty) are returned stripped, unchanged,
    so callers can still report them.
    """
    tag = tag.strip()
    if not _TAG.match(tag):
        return tag
    parts = tag.replace("_", "-").split("-")
    out = [parts[0].lower()]
    for p in parts[1:]:
        if len(p) == 2 and p.isalpha():
            out.append(p.upper())  # region
        elif len(p) == 4 and p.isalpha():
            out.append(p.title())  # script
        else:
            out.append(p.lower())
    return "-".join(out)


def is_tag(tag: str) -> bool:
    """Whether ``tag`` has the shape of a language tag (``fr``, ``fr-FR``, ``zh-Hant-TW``)."""
    return _TAG.match(tag.strip()) is not None


def checked(tag: str, what: str = "language tag") -> str:
    """``normalize(tag)``, refusing what is no language tag (``fr FR``, ``*all*``, empty)."""
    if not _TAG.match(tag.strip()):
        raise UsageError(f"{what} {tag!r} is not a language tag such as fr, fr-FR or en-GB")
    return normalize(tag)


def primary(tag: str) -> str:
    """The primary language subtag, lower-cased: ``en-GB`` -> ``en``."""
    return tag.strip().replace("_", "-").split("-")[0].lower()


def same_language(a: str, b: str) -> bool:
    """True when two tags share their primary language (``fr`` matches ``fr-CA``)."""
    return primary(a) == primary(b)


def covers(asked: str, stored: str) -> bool:
    """Whether a language filter ``asked`` keeps a segment tagged ``stored``.

    ``fr`` keeps every French segment; ``fr-CA`` keeps ``fr-CA`` and segments tagged only
    ``fr`` (their region is missing), not ``fr-FR``.
    """
    a, s = normalize(asked).lower(), normalize(stored).lower()
    return primary(a) == primary(s) and ("-" not in a or "-" not in s or a == s)


def covers_sql(asked: str, alias: str = "") -> tuple[str, list[str]]:
    """``covers(asked, lang)`` as an SQL condition on a table with ``lang`` and ``plang``
    (primary language) columns, and its parameters."""
    norm = normalize(asked)
    if "-" not in norm:
        return f"{alias}plang = ?", [primary(norm)]
    return (f"({alias}plang = ? AND (lower({alias}lang) = ? OR {alias}lang NOT LIKE '%-%'))",
            [primary(norm), norm.lower()])


def with_region(tag: str) -> str:
    """A full tag for writing: ``fr`` -> ``fr-FR``; tags with a region are kept."""
    norm = normalize(tag)
    if "-" in norm:
        return norm
    return DEFAULT_REGION.get(norm, norm)
