"""Hostile XML: every classic attack is refused with a FormatError, nothing is fetched or read."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import etree

from tmtool.errors import FormatError
from tmtool.formats.tmx import read_tmx
from tmtool.formats.xml import XmlSource, secure_parser

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
