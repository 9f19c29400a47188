"""Hardened, streaming XML input shared by the TMX and TBX readers.

Exchange files come from anywhere, so parsing never resolves entities, never loads a DTD and
never touches the network. A DOCTYPE that only names a DTD (``tmx14.dtd``, as CAT tools write)
is accepted and ignored; one whose internal subset declares entities (entity expansion,
XXE, parameter entities) is refused before lxml sees it, and any entity reference left in the
tree is refused too.

Files are transcoded to UTF-8 on the fly: the real encoding is taken from the BOM or the bytes
(UTF-16 without BOM), not from a declaration that may be wrong, so a UTF-16 file declared as
UTF-8 or a UTF-8 file declared as UTF-16 still reads. Characters XML 1.0 forbids (C0 controls,
also as ``&#x1;`` references), which some tools write anyway, are dropped.
"""

from __future__ import annotations

import codecs
import os
import re
import sys
import threading
import warnings
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import IO, Any

from ..errors import FormatError, InputError, TmtoolWarning
from ..textio import sniff_encoding

CHUNK = 1 << 16
PROLOG_LIMIT = 1 << 20  # a DOCTYPE larger than this is not something an exchange file needs

# Characters XML 1.0 cannot carry; lone surrogates cannot be encoded either.
ILLEGAL_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
# The same characters written as character references, which libxml2 refuses.
_ILLEGAL_CHAR_REFS = re.compile(
    r"&#(?:[xX]0*(?:[0-8bBcCeEfF]|1[0-9a-fA-F]|[dD][89a-fA-F][0-9a-fA-F]{2}|[fF]{3}[eEfF])"
    r"|0*(?:[0-8]|1[124-9]|2[0-9]|3[01]|5[56][0-9]{3}|6553[45]));"
)
_DECL = re.compile(r"<\?xml\s[^>]*?\?>")
_DECL_ENCODING = re.compile(r"""encoding\s*=\s*(["'])([A-Za-z0-9._\-]*)\1""")
_DEFAULT_NS = re.compile(r"""\s+xmlns\s*=\s*(["'])(.*?)\1""")
_NAME = re.compile(r"[^\s/>\[\"'=]+")
_UTF8_FALLBACK = "tmtool-utf8-cp1252"


def _cp1252_fallback(err: UnicodeError) -> tuple[str, int]:
    """Decode bytes that are not UTF-8 as Windows-1252 (Latin-1 for its holes).

    Files that declare UTF-8 but hold Latin-1 text are common; reading them as Windows-1252 gives
    the text the author meant instead of refusing the whole file.
    """
    if not isinstance(err, UnicodeDecodeError):
        raise err
    if getattr(_recoded, "at", None) is None:  # the first such byte, for the reader to report
        _recoded.at = (err.object, err.start)
    bad = err.object[err.start : err.end]
    return bad.decode("cp1252", errors="replace").replace("\ufffd", ""), err.end


codecs.register_error(_UTF8_FALLBACK, _cp1252_fallback)
_recoded = threading.local()


def strip_illegal(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot carry."""
    return ILLEGAL_XML_CHARS.sub("", text)


# Every parser and iterparse in tmtool uses these: XML from outside is hostile.
HARDENED: dict[str, bool] = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "dtd_validation": False,
    "huge_tree": False,
}


def secure_parser(**overrides: Any) -> Any:
    """An lxml parser that resolves no entity, loads no DTD and opens no network connection."""
    from lxml import etree

    options: dict[str, Any] = {**HARDENED, "remove_pis": False, **overrides}
    return etree.XMLParser(**options)


def _real_encoding(head: bytes) -> tuple[str, int, str]:
    """(codec, BOM length, decode error handler) from the first bytes of a file."""
    enc, skip = sniff_encoding(head)
    if enc:
        return enc, skip, "strict"
    declared = None
    m = _DECL.match(head.decode("latin-1"))
    if m:
        e = _DECL_ENCODING.search(m.group(0))
        declared = e.group(2) if e else None
    if declared:
        try:
            name = codecs.lookup(declared).name
        except LookupError:
            name = "utf-8"
        # a declaration of UTF-16/32 without NUL bytes is wrong: the file is 8-bit
        if name not in ("utf-8", "utf-8-sig") and not name.startswith(("utf-16", "utf-32")):
            if not _valid_utf8_with_non_ascii(head):
                return name, 0, "strict"
    return "utf-8", 0, _UTF8_FALLBACK


def _valid_utf8_with_non_ascii(data: bytes) -> bool:
    if data.isascii():
        return False
    try:
        codecs.getincrementaldecoder("utf-8")().decode(data, final=False)
    except UnicodeDecodeError:
        return False
    return True


class XmlSource:
    """A binary file object giving a file's XML as UTF-8, for lxml to parse in chunks.

    ``drop_default_namespace`` removes an ``xmlns="..."`` from the root element, for formats
    that define no namespace but meet files where a tool added one (so ``tu`` stays ``tu``).

    Opening reads the prolog: ``root_tag`` is the name of the root element, ``encoding`` the
    codec the file was really written in, ``doctype_system`` the DTD it names (never fetched),
    ``has_doctype`` whether there is a DOCTYPE at all (only then can entity references occur).
    Raises InputError when the file cannot be opened and FormatError when its prolog is hostile.
    """

    def __init__(
        self, path: str | os.PathLike[str], *, drop_default_namespace: bool = False
    ) -> None:
        self.path = str(path)
        self.root_tag: str | None = None
        self.root_namespace: str | None = None  # the default namespace dropped, if any
        self._drop_namespace = drop_default_namespace
        self.doctype_system: str | None = None
        self.has_doctype = False
        self._raw = _open_binary(self.path)
        try:
            head = self._raw.read(CHUNK)
            self.encoding, skip, self._errors = _real_encoding(head)
            if b"\x00" in head[:8192] and not self.encoding.lower().startswith(("utf-16",
                                                                              "utf-32")):
                raise InputError(self.path, "looks like a binary file, not XML")
            self._recoded_line: int | None = None  # first line with bytes read as cp1252
            self._decoder = codecs.getincrementaldecoder(self.encoding)(errors=self._errors)
            self._line = 1  # line number at the start of the text not yet handed out
            self._eof = False
            self._pending = ""  # decoded text held back (a character reference may be cut)
            text = self._decode(head[skip:], final=False)
            text = self._read_prolog(text)
            self._out = self._to_utf8(text)
        except BaseException:
            self.close()
            raise

    # file-object protocol used by lxml -----------------------------------------------------
    def read(self, size: int = -1) -> bytes:
        while not self._eof and (size < 0 or len(self._out) < size):
            self._out += self._to_utf8(self._decode(self._raw.read(CHUNK), final=False))
        if size < 0 or size >= len(self._out):
            out, self._out = self._out, b""
        else:
            out, self._out = self._out[:size], self._out[size:]
        return out

    def close(self) -> None:
        if self.path != "-":  # standard input belongs to the process, not to this reader
            self._raw.close()

    def __enter__(self) -> XmlSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # internals ---------------------------------------------------------------------------------
    def _decode(self, data: bytes, final: bool) -> str:
        if not data:
            self._eof = True
            final = True
        try:
            if self._recoded_line is not None or self._errors != _UTF8_FALLBACK:
                return self._decoder.decode(data, final=final)
            _recoded.at = None
            text = self._decoder.decode(data, final=final)
            if _recoded.at is not None:
                chunk, start = _recoded.at
                self._recoded_line = self._line + chunk[:start].count(b"\n")
                warnings.warn(f"{self.path}, line {self._recoded_line}: not valid UTF-8 as "
                              f"declared; bytes read as Windows-1252 (check the accents)",
                              TmtoolWarning, stacklevel=2)
            return text
        except UnicodeDecodeError as e:
            before = e.object[: e.start].decode(self.encoding, errors="replace")
            raise FormatError(
                self.path,
                f"not valid {self.encoding.upper()} (byte 0x{e.object[e.start]:02x})",
                self._line + before.count("\n"),
            ) from e

    def _to_utf8(self, text: str) -> bytes:
        """Clean a decoded chunk and encode it, holding back a possibly cut ``&#...;``."""
        text = self._pending + text
        self._pending = ""
        if not self._eof:
            amp = text.rfind("&", max(0, len(text) - 12))
            if amp >= 0 and ";" not in text[amp:]:
                text, self._pending = text[:amp], text[amp:]
        text = ILLEGAL_XML_CHARS.sub("", text)
        if "&#" in text:
            text = _ILLEGAL_CHAR_REFS.sub("", text)
        self._line += text.count("\n")
        return text.encode("utf-8")

    def _read_prolog(self, text: str) -> str:
        """Check everything before the root element; rewrite the declared encoding to UTF-8."""
        m = _DECL.match(text)
        if m:
            decl = _DECL_ENCODING.sub('encoding="UTF-8"', m.group(0))
            text = decl + text[m.end() :]
            pos = len(decl)
        else:
            pos = 0
        while True:
            while len(text) - pos < 4096 and not self._eof and len(text) < PROLOG_LIMIT:
                text += self._decode(self._raw.read(CHUNK), final=False)
            pos = _skip_space(text, pos)
            if text.startswith("<!--", pos):
                end = text.find("-->", pos + 4)
                pos = self._need(text, end, "comment") + 3
            elif text.startswith("<?", pos):
                end = text.find("?>", pos + 2)
                pos = self._need(text, end, "processing instruction") + 2
            elif text.startswith("<!DOCTYPE", pos):
                pos = self._doctype(text, pos + 9)
            elif text.startswith("<", pos):
                name = _NAME.match(text, pos + 1)
                self.root_tag = name.group(0) if name else None
                if self._drop_namespace:
                    text = self._drop_root_namespace(text, pos)
                return text
            else:
                return text  # empty or not XML: lxml reports it with a line number

    def _drop_root_namespace(self, text: str, pos: int) -> str:
        end = pos
        while end < len(text) and text[end] != ">":  # attribute values may hold ">"
            if text[end] in "\"'":
                end = text.find(text[end], end + 1)
                if end < 0:
                    return text  # malformed: lxml reports it
            end += 1
        m = _DEFAULT_NS.search(text, pos, end)
        if not m:
            return text
        self.root_namespace = m.group(2)
        keep_lines = " " + "\n" * m.group(0).count("\n")
        return text[: m.start()] + keep_lines + text[m.end() :]

    def _need(self, text: str, end: int, what: str) -> int:
        if end < 0:
            line = text.count("\n") + 1
            if len(text) >= PROLOG_LIMIT:
                raise FormatError(self.path, f"{what} before the root element is too long", line)
            raise FormatError(self.path, f"unterminated {what} before the root element", line)
        return end

    def _doctype(self, text: str, pos: int) -> int:
        """Parse ``<!DOCTYPE name [SYSTEM|PUBLIC ids] [internal subset]>``; refuse entities."""
        self.has_doctype = True
        line = text.count("\n", 0, pos) + 1
        i = pos
        literals: list[str] = []
        while i < len(text) and text[i] not in "[>":
            if text[i] in "\"'":
                end = text.find(text[i], i + 1)
                self._need(text, end, "DOCTYPE")
                literals.append(text[i + 1 : end])
                i = end + 1
            else:
                i += 1
        if i >= len(text):
            self._need(text, -1, "DOCTYPE")
        if literals:
            self.doctype_system = literals[-1]
        if text[i] == ">":
            return i + 1
        # internal subset: scan to the closing "]" outside quotes and comments
        start = i + 1
        i = start
        while True:
            if i >= len(text):
                self._need(text, -1, "DOCTYPE")
            c = text[i]
            if c in "\"'":
                end = text.find(c, i + 1)
                i = self._need(text, end, "DOCTYPE") + 1
            elif text.startswith("<!--", i):
                i = self._need(text, text.find("-->", i + 4), "DOCTYPE") + 3
            elif c == "]":
                break
            else:
                i += 1
        subset = text[start:i]
        if re.search(r"<!ENTITY", subset) or re.search(r"%[^\s;%]+;", subset):
            raise FormatError(
                self.path,
                "refused: the DOCTYPE declares entities "
                "(entity expansion and external entities are not allowed)",
                line,
            )
        end = text.find(">", i)
        return self._need(text, end, "DOCTYPE") + 1


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\r\n":
        pos += 1
    return pos


def check_readable(path: str) -> None:
    """Raise the InputError that reading ``path`` would raise (missing, a folder, unreadable),
    before anything else is done for it. Pipes and devices are left to the reader: opening one
    would wait for its writer, and closing it would lose what was written."""
    if path == "-" or (os.path.exists(path) and not os.path.isfile(path)
                       and not os.path.isdir(path)):
        return
    _open_binary(path).close()


def _open_binary(path: str) -> IO[bytes]:
    if path == "-":
        return sys.stdin.buffer
    if os.path.isdir(path):
        raise InputError(path, "is a directory, not a file")
    try:
        return open(path, "rb")  # noqa: SIM115 - closed by XmlSource.close
    except FileNotFoundError as e:
        raise InputError(path, "no such file") from e
    except OSError as e:
        raise InputError(path, f"cannot read: {e.strerror or e}") from e


def syntax_error(path: str, exc: Exception | None, log: Any = None) -> FormatError:
    """A FormatError with the line number and a message free of lxml's position suffix.

    ``log`` is the parser's own error log: its first fatal error is what stopped the parse, while
    the exception may only say so afterwards (``no element found``, without a line).
    """
    first = _first_fatal(log)
    if first is not None:
        line: int | None = first.line or None
        msg = str(first.message or "")
        code = first.type
    else:
        line = getattr(exc, "lineno", None) or None
        msg = str(getattr(exc, "msg", None) or exc or "the parser stopped")
        code = getattr(exc, "code", None)
    msg = re.sub(r",? line \d+, column \d+\s*$", "", msg).strip()
    if code == _undeclared_entity_code():
        name = _UNDEFINED_ENTITY.search(msg)
        if name:
            refusal = f"refused: undefined entity &{name.group(1)}; (entities are not allowed)"
            return FormatError(path, refusal, line)
    if "Premature end of data" in msg or "EndTag: '</' not found" in msg:
        msg = f"file is truncated or an element is not closed ({msg})"
    return FormatError(path, f"malformed XML: {msg}", line)


_UNDEFINED_ENTITY = re.compile(r"Entity '([^']+)' not defined")


def _first_fatal(log: Any) -> Any:
    """The first fatal entry of an lxml error log, or None."""
    if log is None:
        return None
    fatals = log.filter_from_fatals()
    return fatals[0] if fatals else None


@lru_cache(maxsize=1)
def _undeclared_entity_code() -> int:
    from lxml import etree

    return int(etree.ErrorTypes.ERR_UNDECLARED_ENTITY)


def check_no_entities(elem: Any, path: str) -> None:
    """Refuse entity references left unexpanded (declared in a DTD that was not loaded)."""
    for ent in elem.iter(_entity_tag()):
        raise FormatError(
            path, f"refused: entity reference {ent.text} (entities are not allowed)", ent.sourceline
        )


@lru_cache(maxsize=1)
def _entity_tag() -> Any:
    from lxml import etree

    return etree.Entity


def release(elem: Any) -> None:
    """Free a processed element and the already-processed siblings before it."""
    elem.clear(keep_tail=True)
    parent = elem.getparent()
    if parent is not None:
        while elem.getprevious() is not None:
            del parent[0]


def iterparse(
    source: XmlSource, *, events: Iterable[str] = ("end",), tag: Any = None
) -> Iterator[tuple[str, Any]]:
    """Stream (event, element) pairs from an XmlSource with the hardened options.

    Errors become FormatError with the line of the first fatal error. The file is fed to a pull
    parser here rather than through lxml's ``iterparse``: with entities left unresolved, lxml
    lets a chunk that ends the parse on an undefined entity pass without an error, and then
    either reports ``no element found`` or restarts on the next chunk, from the middle of the
    file. Checking the parser's log after every chunk catches that stop where it happens.
    """
    from lxml import etree

    parser = etree.XMLPullParser(
        events=tuple(events),
        tag=tag,
        **HARDENED,
        remove_comments=True,
        remove_pis=True,
    )
    fatal = int(etree.ErrorLevels.FATAL)
    while True:
        data = source.read(CHUNK)
        failure: etree.XMLSyntaxError | None = None
        try:
            if data:
                parser.feed(data)
            else:
                parser.close()
        except etree.XMLSyntaxError as e:
            failure = e
        log = parser.feed_error_log
        yield from parser.read_events()  # the elements completed before any error
        if failure is not None:
            raise syntax_error(source.path, failure, log) from failure
        if not data:
            return
        if log.last_error is not None and log.last_error.level == fatal:
            raise syntax_error(source.path, None, log)
