"""Machine drafts: Apertium run for real, LibreTranslate against a fake server on 127.0.0.1,
Argos without its package, and the setting that picks one."""

import json
import socket
import sys
import threading
import time
import types
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from internationale.relay.machine_translation import (
    ApertiumTranslator,
    ArgosTranslator,
    LibreTranslateTranslator,
    MachineTranslationError,
    Pivoting,
    base_language,
    translator_from_setting,
)

# Apertium (Debian's apertium, apertium-en-es, apertium-es-pt)


@pytest.fixture(scope="module")
def apertium() -> ApertiumTranslator:
    return ApertiumTranslator()


def test_it_finds_the_installed_apertium_pairs_as_iso_639_1(apertium: ApertiumTranslator) -> None:
    assert {("en", "es"), ("es", "en"), ("es", "pt"), ("pt", "es")} <= apertium.pairs()
    assert apertium.supports("en", "es")
    assert apertium.supports("pt-BR", "es")
    assert not apertium.supports("en", "fr")


def test_it_prefers_the_plain_mode_unless_a_regional_variant_is_asked_for(
    apertium: ApertiumTranslator,
) -> None:
    assert apertium.mode_for("es", "pt").name == "es-pt"
    assert apertium.mode_for("es", "pt-br").name == "es-pt_BR"
    assert apertium.mode_for("es", "pt_PT").name == "es-pt"
    assert apertium.mode_for("es", "en").name == "spa-eng"
    assert apertium.mode_for("es", "en-US").name == "spa-eng_US"


def test_it_translates_segment_by_segment_keeping_empty_ones_and_line_breaks(
    apertium: ApertiumTranslator,
) -> None:
    drafts = apertium.translate(
        ["The workers went on strike.", "", "Wages are low.\nShifts are long."],
        source="en",
        target="es",
    )
    assert len(drafts) == 3
    assert "trabajadores" in drafts[0]
    assert "huelga" in drafts[0]
    assert drafts[1] == ""
    wages, shifts = drafts[2].split("\n")
    assert "sueldos" in wages
    assert "turnos" in shifts


def test_it_translates_spanish_into_portuguese(apertium: ApertiumTranslator) -> None:
    [draft] = apertium.translate(["Los trabajadores están en huelga."], source="es", target="pt")
    assert "trabalhadores" in draft
    assert "greve" in draft


def test_it_refuses_a_pair_apertium_does_not_have(apertium: ApertiumTranslator) -> None:
    with pytest.raises(MachineTranslationError) as raised:
        apertium.translate(["The workers went on strike."], source="en", target="fr")
    assert raised.value.code == "unsupported_pair"
    with pytest.raises(MachineTranslationError) as raised:
        apertium.translate(["Os trabalhadores."], source="pt", target="en")
    assert raised.value.code == "unsupported_pair"


def test_it_passes_markup_like_text_and_other_scripts_through_without_losing_alignment(
    apertium: ApertiumTranslator,
) -> None:
    segments = [
        "a < b & \"c\" 'd'",
        "<p>not a paragraph</p> &amp; &lt;",
        "العمال في إضراب",
        "The workers",
        "strike",
        "[note] ^caret$ @someone \\ {brace}",
        "  spaced  ",
        "\n\nThe workers\n\n\nstrike\n",
    ]
    drafts = apertium.translate(segments, source="en", target="es")
    assert len(drafts) == len(segments)
    assert "< b & \"c\" 'd'" in drafts[0]
    assert "<p>" in drafts[1]
    assert "</p> &amp; &lt;" in drafts[1]
    assert drafts[2] == "العمال في إضراب"
    assert drafts[3] == "Los trabajadores"
    assert drafts[4].lower() == "huelga"
    assert drafts[5].startswith("[")
    assert drafts[6].startswith("  ")
    assert drafts[6].endswith("  ")
    first, second = drafts[7].strip("\n").split("\n\n\n")
    assert drafts[7].startswith("\n\n")
    assert drafts[7].endswith("\n")
    assert first == "Los trabajadores"  # not "La huelga": blank lines part paragraphs
    assert second.lower() == "huelga"


def test_it_keeps_braces_from_swallowing_the_segments_after_them(
    apertium: ApertiumTranslator,
) -> None:
    # Apertium's HTML deformatter reads an unclosed "{{" as a wiki template running to the
    # end of the document; with a "^" after it, the rest of the output is lost.
    segments = ["a {{template", "The workers", "{{^", "{b} }} {{c}}", "The workers"]
    drafts = apertium.translate(segments, source="en", target="es")
    assert drafts[0] == "Una {{plantilla"
    assert drafts[1] == "Los trabajadores"
    assert drafts[2] == "{{^"
    assert drafts[3] == "{b} }} {{c}}"
    assert drafts[4] == "Los trabajadores"


def test_it_keeps_two_hundred_segments_aligned_in_one_run(apertium: ApertiumTranslator) -> None:
    segments = [f"Report {n}: the workers of shift {n} are on strike." for n in range(200)]
    started = time.perf_counter()
    drafts = apertium.translate(segments, source="en", target="es")
    elapsed = time.perf_counter() - started
    assert len(drafts) == 200
    for n, draft in enumerate(drafts):
        assert f" {n}:" in draft
        assert f"turno {n} " in draft
    assert elapsed < 30  # about 0.2 s here; one process per segment would take about 20 s


def test_it_reads_modes_from_a_modes_folder(tmp_path: Path) -> None:
    for name in [
        "eng-cat_valencia",
        "eng-cat",
        "oci_aran-cat",
        "sme-nob",
        "ast-spa",
        "en-es-anmor",
        "por-glg",
    ]:
        (tmp_path / f"{name}.mode").write_text("cat\n")
    translator = ApertiumTranslator(modes_dir=tmp_path)
    assert translator.pairs() == {
        ("en", "ca"),
        ("oc", "ca"),
        ("se", "nb"),
        ("ast", "es"),
        ("pt", "gl"),
    }
    assert translator.mode_for("en", "ca").name == "eng-cat"
    assert translator.mode_for("en", "ca-valencia").name == "eng-cat_valencia"
    assert translator.mode_for("oc-aran", "ca").name == "oci_aran-cat"


def test_it_translates_with_the_system_modes_folder() -> None:
    translator = ApertiumTranslator(modes_dir="/usr/share/apertium/modes")
    assert translator.translate(["The workers"], source="en", target="es") == ["Los trabajadores"]


def _fake_apertium(tmp_path: Path, body: str) -> str:
    script = tmp_path / "apertium"
    script.write_text(f'#!/bin/sh\nif [ "$1" = "-l" ]; then echo "  eng-spa"; exit 0; fi\n{body}\n')
    script.chmod(0o755)
    return str(script)


def test_it_stops_apertium_and_its_whole_pipeline_at_the_timeout(tmp_path: Path) -> None:
    # The child `sleep` holds the output pipe open: only killing the group ends it early.
    translator = ApertiumTranslator(_fake_apertium(tmp_path, "sleep 20 | cat"), timeout=0.5)
    started = time.perf_counter()
    with pytest.raises(MachineTranslationError) as raised:
        translator.translate(["The workers"], source="en", target="es")
    assert raised.value.code == "timeout"
    assert time.perf_counter() - started < 10


def test_it_reports_a_failing_or_garbled_apertium_run(tmp_path: Path) -> None:
    failing = ApertiumTranslator(_fake_apertium(tmp_path, "echo broken >&2; exit 3"))
    with pytest.raises(MachineTranslationError) as raised:
        failing.translate(["The workers"], source="en", target="es")
    assert raised.value.code == "failed"
    assert "broken" in raised.value.detail

    garbled_dir = tmp_path / "garbled"
    garbled_dir.mkdir()
    garbled = ApertiumTranslator(_fake_apertium(garbled_dir, "echo '<p>only one</p>'"))
    with pytest.raises(MachineTranslationError) as raised:
        garbled.translate(["One", "Two"], source="en", target="es")
    assert raised.value.code == "failed"


def test_it_is_unavailable_without_apertium(tmp_path: Path) -> None:
    translator = ApertiumTranslator(str(tmp_path / "no-apertium"))
    assert translator.pairs() == set()
    assert not translator.supports("en", "es")
    with pytest.raises(MachineTranslationError) as raised:
        translator.translate(["The workers"], source="en", target="es")
    assert raised.value.code == "unavailable"


def test_it_refuses_one_string_in_place_of_a_list_of_segments(
    apertium: ApertiumTranslator,
) -> None:
    with pytest.raises(TypeError):
        apertium.translate("The workers", source="en", target="es")


# Pivoting


def test_it_reaches_a_missing_pair_through_a_pivot_language(apertium: ApertiumTranslator) -> None:
    pivoting = Pivoting(apertium, via="es")
    assert {("en", "pt"), ("pt", "en"), ("en", "es")} <= pivoting.pairs()
    assert ("en", "en") not in pivoting.pairs()
    drafts = pivoting.translate(
        ["The workers went on strike.", " ", "Wages are low."], source="en", target="pt"
    )
    assert "trabalhadores" in drafts[0]
    assert drafts[1] == " "
    assert "salários" in drafts[2]
    [direct] = pivoting.translate(["The workers"], source="en", target="es")
    assert direct == "Los trabajadores"


# LibreTranslate, against a fake server


@dataclass
class FakeLibreTranslate:
    url: str
    languages: Any = field(
        default_factory=lambda: [
            {"code": "en", "name": "English", "targets": ["es", "pt", "pt-BR"]},
            {"code": "es", "name": "Spanish", "targets": ["en"]},
            {"code": "pt", "name": "Portuguese", "targets": ["en"]},
            {"code": "pt-BR", "name": "Portuguese (Brazil)", "targets": ["en"]},
        ]
    )
    status: int = 200
    answer: bytes | None = None  # None: translate each segment as "[target] segment"
    delay: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)
    requests: list[tuple[str, str, dict[str, str], bytes]] = field(default_factory=list)


@pytest.fixture
def fake_libretranslate() -> Iterator[FakeLibreTranslate]:
    fake = FakeLibreTranslate(url="")

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def _answer(self, status: int, body: bytes) -> None:
            time.sleep(fake.delay)
            self.send_response(status)
            for name, value in fake.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            fake.requests.append(("GET", self.path, dict(self.headers), b""))
            if self.path != "/api/languages":
                self._answer(404, b"{}")
                return
            self._answer(200, json.dumps(fake.languages).encode())

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            fake.requests.append(("POST", self.path, dict(self.headers), body))
            if fake.answer is not None:
                self._answer(fake.status, fake.answer)
                return
            sent = json.loads(body)
            translated = [f"[{sent['target']}] {text}" for text in sent["q"]]
            self._answer(fake.status, json.dumps({"translatedText": translated}).encode())

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.handle_error = lambda *args: None  # type: ignore[method-assign]
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    fake.url = f"http://127.0.0.1:{server.server_address[1]}/api"
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()


def test_it_asks_libretranslate_for_its_pairs(fake_libretranslate: FakeLibreTranslate) -> None:
    translator = LibreTranslateTranslator(fake_libretranslate.url + "/")
    assert translator.pairs() == {("en", "es"), ("en", "pt"), ("es", "en"), ("pt", "en")}
    assert translator.supports("en", "pt-br")
    assert not translator.supports("es", "pt")
    translator.pairs()
    assert [(method, path) for method, path, _, _ in fake_libretranslate.requests] == [
        ("GET", "/api/languages")
    ]


def test_it_sends_libretranslate_only_the_segments_and_the_languages(
    fake_libretranslate: FakeLibreTranslate,
) -> None:
    translator = LibreTranslateTranslator(fake_libretranslate.url, api_key="key-1")
    drafts = translator.translate(
        ["The workers went on strike.", "", "Wages are low.\nShifts are long."],
        source="en",
        target="es",
    )
    assert drafts == [
        "[es] The workers went on strike.",
        "",
        "[es] Wages are low.\nShifts are long.",
    ]
    method, path, headers, body = fake_libretranslate.requests[-1]
    assert (method, path) == ("POST", "/api/translate")
    assert headers["Content-Type"] == "application/json"
    assert json.loads(body) == {
        "q": ["The workers went on strike.", "Wages are low.\nShifts are long."],
        "source": "en",
        "target": "es",
        "format": "text",
        "api_key": "key-1",
    }


def test_it_names_a_regional_variant_as_the_server_spells_it(
    fake_libretranslate: FakeLibreTranslate,
) -> None:
    translator = LibreTranslateTranslator(fake_libretranslate.url)
    assert translator.translate(["Hi"], source="en", target="pt-br") == ["[pt-BR] Hi"]
    assert translator.translate(["Hi"], source="en", target="pt") == ["[pt] Hi"]
    assert translator.translate(["Hi"], source="en", target="pt-PT") == ["[pt] Hi"]


def test_it_accepts_one_string_for_one_segment(fake_libretranslate: FakeLibreTranslate) -> None:
    fake_libretranslate.answer = json.dumps({"translatedText": "Hola"}).encode()
    translator = LibreTranslateTranslator(fake_libretranslate.url)
    assert translator.translate(["Hello", "  "], source="en", target="es") == ["Hola", "  "]


@pytest.mark.parametrize(
    ("status", "answer", "code"),
    [
        (500, b'{"error": "boom"}', "failed"),
        (403, b'{"error": "Invalid API key"}', "failed"),
        (200, b"<html>not json</html>", "failed"),
        (200, b'{"translatedText": ["only one"]}', "failed"),
        (200, b'{"translatedText": "one string for two"}', "failed"),
        (200, b'{"translatedText": [1, 2]}', "failed"),
        (200, b'["no", "object"]', "failed"),
    ],
)
def test_it_maps_libretranslate_errors(
    fake_libretranslate: FakeLibreTranslate, status: int, answer: bytes, code: str
) -> None:
    translator = LibreTranslateTranslator(fake_libretranslate.url)
    translator.pairs()
    fake_libretranslate.status = status
    fake_libretranslate.answer = answer
    with pytest.raises(MachineTranslationError) as raised:
        translator.translate(["Hello", "World"], source="en", target="es")
    assert raised.value.code == code


def test_it_does_not_follow_a_redirect(fake_libretranslate: FakeLibreTranslate) -> None:
    translator = LibreTranslateTranslator(fake_libretranslate.url)
    translator.pairs()
    fake_libretranslate.status = 302
    fake_libretranslate.answer = b"{}"
    fake_libretranslate.headers = {"Location": "http://127.0.0.1:9/elsewhere"}
    with pytest.raises(MachineTranslationError) as raised:
        translator.translate(["Hello"], source="en", target="es")
    assert raised.value.code == "failed"
    assert len(fake_libretranslate.requests) == 2


def test_it_gives_up_on_a_slow_libretranslate(fake_libretranslate: FakeLibreTranslate) -> None:
    translator = LibreTranslateTranslator(fake_libretranslate.url, timeout=0.2)
    translator.pairs()
    fake_libretranslate.delay = 2
    with pytest.raises(MachineTranslationError) as raised:
        translator.translate(["Hello"], source="en", target="es")
    assert raised.value.code == "timeout"


def test_it_reports_libretranslate_languages_it_cannot_get(
    fake_libretranslate: FakeLibreTranslate,
) -> None:
    fake_libretranslate.languages = {"not": "a list"}
    translator = LibreTranslateTranslator(fake_libretranslate.url)
    assert not translator.supports("en", "es")
    with pytest.raises(MachineTranslationError) as raised:
        translator.translate(["Hello"], source="en", target="es")
    assert raised.value.code == "failed"


def test_it_reports_an_unreachable_libretranslate() -> None:
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    translator = LibreTranslateTranslator(f"http://127.0.0.1:{port}")
    assert not translator.supports("en", "es")
    with pytest.raises(MachineTranslationError) as raised:
        translator.translate(["Hello"], source="en", target="es")
    assert raised.value.code == "unavailable"


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://lt.example.org",
        "lt.example.org:5000",
        "https://",
        "http://lt.example.org/?key=1",
        "",
    ],
)
def test_it_refuses_a_url_that_is_not_plain_http(url: str) -> None:
    with pytest.raises(ValueError, match="LibreTranslate URL"):
        LibreTranslateTranslator(url)


# Argos


def test_it_finds_argos_unavailable_without_its_package(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "argostranslate", None)
    monkeypatch.setitem(sys.modules, "argostranslate.translate", None)
    translator = ArgosTranslator()
    assert translator.pairs() == set()
    assert not translator.supports("en", "es")
    with pytest.raises(MachineTranslationError) as raised:
        translator.translate(["The workers went on strike."], source="en", target="es")
    assert raised.value.code == "unavailable"


def test_it_translates_each_line_with_argos(monkeypatch: pytest.MonkeyPatch) -> None:
    class FakeLanguage:
        def __init__(self, code: str) -> None:
            self.code = code

        def get_translation(self, other: "FakeLanguage") -> Any:
            if (self.code, other.code) != ("en", "es"):
                return None
            return types.SimpleNamespace(translate=lambda text: f"es:{text}")

    package = types.ModuleType("argostranslate")
    module = types.ModuleType("argostranslate.translate")
    module.get_installed_languages = lambda: [FakeLanguage("en"), FakeLanguage("es")]  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "argostranslate", package)
    monkeypatch.setitem(sys.modules, "argostranslate.translate", module)
    translator = ArgosTranslator()
    assert translator.pairs() == {("en", "es")}
    assert translator.translate(["One.\n\nTwo.", ""], source="en", target="es") == [
        "es:One.\n\nes:Two.",
        "",
    ]


# The setting


def test_it_builds_the_translator_a_setting_names() -> None:
    assert translator_from_setting("") is None
    assert isinstance(translator_from_setting("apertium"), ApertiumTranslator)
    assert isinstance(translator_from_setting("argos"), ArgosTranslator)
    libre = translator_from_setting("libretranslate:https://lt.example.org/api", api_key="k")
    assert isinstance(libre, LibreTranslateTranslator)
    assert libre.url == "https://lt.example.org/api"
    assert libre.api_key == "k"
    pivoting = translator_from_setting("apertium", via="es")
    assert isinstance(pivoting, Pivoting)
    assert isinstance(pivoting.inner, ApertiumTranslator)
    assert pivoting.via == "es"


@pytest.mark.parametrize(
    ("value", "options", "message"),
    [
        ("google", {}, "unknown machine translation backend"),
        ("Apertium", {}, "unknown machine translation backend"),
        ("apertium ", {}, "unknown machine translation backend"),
        ("libretranslate", {}, "unknown machine translation backend"),
        ("libretranslate:", {}, "LibreTranslate URL"),
        ("libretranslate:file:///etc/passwd", {}, "LibreTranslate URL"),
        ("apertium", {"api_key": "k"}, "only used with libretranslate"),
        ("", {"api_key": "k"}, "needs a backend"),
        ("apertium", {"via": "Spanish"}, "pivot language"),
    ],
)
def test_it_refuses_a_bad_setting(value: str, options: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        translator_from_setting(value, **options)


def test_it_reads_a_regional_tag_as_its_language() -> None:
    assert base_language("pt-BR") == "pt"
    assert base_language("pt_br") == "pt"
    assert base_language("EN") == "en"


def test_it_only_knows_its_four_error_codes() -> None:
    assert MachineTranslationError("timeout", "slow").code == "timeout"
    with pytest.raises(ValueError, match="unknown machine translation error code"):
        MachineTranslationError("oops")
