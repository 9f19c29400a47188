"""Hostile XML: every classic attack is refused with a FormatError, nothing is fetched or read."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from tmtool.cli import main
from tmtool.errors import FormatError
from tmtool.formats.tbx import read_tbx
from tmtool.formats.tmx import read_tmx
from tmtool.formats.xml import CHUNK, XmlSource, secure_parser

BODY = (
    '<tmx version="1.4"><header srclang="en" creationtool="t" creationtoolversion="1" '
    'segtype="sentence" o-tmf="t" adminlang="en" datatype="plaintext"/><body>'
    '<tu><tuv xml:lang="en"><seg>{en}</seg></tuv><tuv xml:lang="fr"><seg>bonjour</seg></tuv></tu>'
    "</body></tmx>"
)

BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE tmx [\n <!ENTITY lol "lol">\n'
    + "".join(
        f' <!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">\n'
        for i in range(1, 10)
    )
    + "]>\n"
    + BODY.format(en="&lol9;")
)


class _Recorder(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        type(self).requests.append(self.path)
        body = b'<!ENTITY xxe "FETCHED">'
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def http_server() -> Iterator[tuple[str, list[str]]]:
    """A local HTTP server recording every request; yields (base URL, requests)."""
    requests: list[str] = []
    handler = type("Handler", (_Recorder,), {"requests": requests})
    server = http.server.HTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", requests
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text("TOPSECRET-CONTENT\n", encoding="utf-8")
    return path


def _refused(path: Path) -> FormatError:
    with pytest.raises(FormatError) as info:
        list(read_tmx(path))
    assert "refused" in info.value.message
    return info.value


def test_billion_laughs_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "laughs.tmx"
    path.write_text(BILLION_LAUGHS, encoding="utf-8")
    err = _refused(path)
    assert err.line == 2
    assert "declares entities" in str(err)


def test_billion_laughs_utf16_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "laughs16.tmx"
    path.write_bytes(BILLION_LAUGHS.replace('1.0"?>', '1.0" encoding="UTF-16"?>').encode("utf-16"))
    _refused(path)


def test_secure_parser_does_not_expand_entities() -> None:
    try:
        root = etree.fromstring(BILLION_LAUGHS.encode(), secure_parser())
    except etree.XMLSyntaxError as e:  # libxml2's own amplification guard may stop it first
        assert "amplification" in str(e)
    else:
        assert len("".join(root.itertext())) < 100


def test_xxe_file_is_refused_and_not_read(tmp_path: Path, secret: Path) -> None:
    path = tmp_path / "xxe.tmx"
    doc = (
        f'<?xml version="1.0"?>\n<!DOCTYPE tmx [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>\n'
        + BODY.format(en="&xxe;")
    )
    path.write_text(doc, encoding="utf-8")
    err = _refused(path)
    assert "TOPSECRET" not in str(err)
    # the parser itself, were the DOCTYPE check bypassed, leaves the entity unexpanded
    root = etree.fromstring(doc.encode(), secure_parser())
    assert "TOPSECRET" not in etree.tostring(root, encoding=str)


def test_xxe_http_is_refused_and_not_fetched(
    tmp_path: Path, http_server: tuple[str, list[str]]
) -> None:
    url, requests = http_server
    path = tmp_path / "xxe_http.tmx"
    doc = (
        f'<?xml version="1.0"?>\n<!DOCTYPE tmx [<!ENTITY xxe SYSTEM "{url}/leak">]>\n'
        + BODY.format(en="&xxe;")
    )
    path.write_text(doc, encoding="utf-8")
    _refused(path)
    etree.fromstring(doc.encode(), secure_parser())
    assert requests == []


def test_parameter_entities_from_external_dtd_are_refused(
    tmp_path: Path, http_server: tuple[str, list[str]]
) -> None:
    url, requests = http_server
    path = tmp_path / "pe.tmx"
    doc = (
        f'<?xml version="1.0"?>\n<!DOCTYPE tmx [\n<!ENTITY % remote SYSTEM "{url}/evil.dtd">\n'
        "%remote;\n]>\n" + BODY.format(en="&xxe;")
    )
    path.write_text(doc, encoding="utf-8")
    _refused(path)
    assert requests == []


def test_entity_from_unfetched_external_dtd_is_refused(
    tmp_path: Path, http_server: tuple[str, list[str]]
) -> None:
    url, requests = http_server
    path = tmp_path / "ext.tmx"
    doc = f'<?xml version="1.0"?>\n<!DOCTYPE tmx SYSTEM "{url}/evil.dtd">\n' + BODY.format(
        en="&xxe;"
    )
    path.write_text(doc, encoding="utf-8")
    err = _refused(path)
    assert "&xxe;" in err.message
    assert requests == []


def test_doctype_naming_a_dtd_is_accepted_without_fetching(
    tmp_path: Path, http_server: tuple[str, list[str]]
) -> None:
    url, requests = http_server
    for i, system in enumerate(("tmx14.dtd", f"{url}/tmx14.dtd")):
        path = tmp_path / f"plain{i}.tmx"
        path.write_text(
            f'<?xml version="1.0"?>\n<!DOCTYPE tmx SYSTEM "{system}">\n' + BODY.format(en="hello"),
            encoding="utf-8",
        )
        units = list(read_tmx(path))
        assert [v.text for v in units[0].variants] == ["hello", "bonjour"]
        with XmlSource(path) as source:
            assert source.doctype_system == system
    assert requests == []


def test_internal_subset_without_entities_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "subset.tmx"
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE tmx [ <!-- "]>" --> <!ATTLIST seg x CDATA #IMPLIED> ]>\n'
        + BODY.format(en="hi"),
        encoding="utf-8",
    )
    assert len(list(read_tmx(path))) == 1


# -- entities never declared (HTML habits such as &nbsp; in a file without any DOCTYPE) -----------

TU = '<tu><tuv xml:lang="en"><seg>{en}</seg></tuv><tuv xml:lang="fr"><seg>c</seg></tuv></tu>\n'
TMX_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header srclang="en"/>\n<body>\n'
)
TBX_DOC = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2">\n'
    "<text><body>\n"
    '<conceptEntry id="c1"><langSec xml:lang="en"><termSec><term>{en}</term></termSec></langSec>'
    '<langSec xml:lang="fr"><termSec><term>c</term></termSec></langSec></conceptEntry>\n'
    "</body></text></tbx>\n"
)
UNDEFINED = "refused: undefined entity &{}; (entities are not allowed)"


def _tmx(tmp_path: Path, units: str, name: str = "undef.tmx") -> Path:
    path = tmp_path / name
    path.write_text(TMX_HEAD + units + "</body></tmx>\n", encoding="utf-8")
    return path


def test_undefined_entity_in_a_seg_is_refused_with_its_line(tmp_path: Path) -> None:
    err = _refused(_tmx(tmp_path, TU.format(en="a&nbsp;b")))
    assert (err.line, err.message) == (4, UNDEFINED.format("nbsp"))


def test_undefined_entity_cli_error_line(tmp_path: Path) -> None:
    path = _tmx(tmp_path, TU.format(en="a&nbsp;b"))
    result = CliRunner().invoke(main, ["tm", "import", str(path), "--db", str(tmp_path / "t.db")])
    assert result.exit_code == 1
    assert result.stderr == f"Error: {path}, line 4: {UNDEFINED.format('nbsp')}\n"


def test_undefined_entity_in_an_attribute_is_refused(tmp_path: Path) -> None:
    units = TU.format(en="a") + TU.replace('xml:lang="en"', 'xml:lang="en&x;"').format(en="b")
    err = _refused(_tmx(tmp_path, units))
    assert (err.line, err.message) == (5, UNDEFINED.format("x"))


@pytest.mark.parametrize("before", [0, 3, 2000])
def test_undefined_entity_in_a_file_larger_than_a_chunk(tmp_path: Path, before: int) -> None:
    """In the first or in a later chunk: the line is the entity's, whatever the chunking."""
    units = TU.format(en="x") * before + TU.format(en="&eacute;") + TU.format(en="y") * 2000
    path = _tmx(tmp_path, units)
    assert path.stat().st_size > 2 * CHUNK
    with pytest.raises(FormatError) as info:
        list(read_tmx(path))
    assert (info.value.line, info.value.message) == (4 + before, UNDEFINED.format("eacute"))


def test_undefined_entity_with_an_empty_doctype_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "doctype.tmx"
    head = TMX_HEAD.replace("\n<tmx", "\n<!DOCTYPE tmx>\n<tmx")
    path.write_text(head + TU.format(en="&nbsp;") + "</body></tmx>\n", encoding="utf-8")
    err = _refused(path)
    assert (err.line, err.message) == (5, UNDEFINED.format("nbsp"))


def test_truncated_after_an_undefined_entity_reports_the_entity(tmp_path: Path) -> None:
    path = tmp_path / "cut.tmx"
    path.write_text(TMX_HEAD + TU.format(en="x") + TU.format(en="&hellip;")[:40], encoding="utf-8")
    err = _refused(path)
    assert (err.line, err.message) == (5, UNDEFINED.format("hellip"))


def test_undefined_entity_in_a_tbx_term_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "undef.tbx"
    path.write_text(TBX_DOC.format(en="a&nbsp;b"), encoding="utf-8")
    with pytest.raises(FormatError) as info:
        list(read_tbx(path))
    assert (info.value.line, info.value.message) == (4, UNDEFINED.format("nbsp"))
    args = ["glossary", "import", str(path), "--db", str(tmp_path / "g.db")]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1
    assert result.stderr == f"Error: {path}, line 4: {UNDEFINED.format('nbsp')}\n"


def test_tbx_with_character_references_still_imports(tmp_path: Path) -> None:
    path = tmp_path / "ok.tbx"
    path.write_text(TBX_DOC.format(en="a &#38; b &amp; c"), encoding="utf-8")
    [entry] = list(read_tbx(path))
    assert [t.text for t in entry.terms] == ["a & b & c", "c"]


@pytest.mark.parametrize(
    ("units", "line", "message"),
    [
        (
            TU.format(en="a") + "<tu><tuv><seg>b</sog></tuv></tu>\n",
            5,
            "Opening and ending tag mismatch: seg line 5 and sog",
        ),
        (TU.format(en="a&#xZ;"), 4, "invalid hexadecimal value"),
        (TU.format(en="a") * 2 + TU.format(en="a < b"), 6, "StartTag: invalid element name"),
    ],
)
def test_other_syntax_errors_keep_their_first_error_and_line(
    tmp_path: Path, units: str, line: int, message: str
) -> None:
    with pytest.raises(FormatError) as info:
        list(read_tmx(_tmx(tmp_path, units)))
    assert info.value.line == line
    assert info.value.message.startswith("malformed XML: ") and message in info.value.message
