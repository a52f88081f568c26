"""Machine drafts of translations, free of Django.

A translator turns a report's segments from one language into another, one translation per
segment and in the same order, so that each draft lines up with its segment's timing. A
segment that holds only whitespace comes back unchanged without reaching the backend. The
caller marks every result as machine-made; nothing here does.

Languages are the site's ISO 639-1 codes ("en", "pt"); a regional tag ("pt-br", "pt_BR")
counts as its language, and also picks a matching regional variant where a backend has one.
Three backends, each optional and imported or started only when used:

- `ApertiumTranslator`: the Apertium rule-based engine, run as a local program;
- `ArgosTranslator`: Argos Translate, in process, when the package is installed;
- `LibreTranslateTranslator`: a LibreTranslate server, sent only the segments, the two
  language codes and the server's API key.

`Pivoting` wraps one of them to reach pairs it lacks through a third language, and
`translator_from_setting` turns the deployment's setting into a translator or refuses it.
"""

import contextlib
import html
import importlib
import json
import os
import re
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from http.client import HTTPException
from pathlib import Path
from typing import Any


class MachineTranslationError(Exception):
    """A draft that could not be made; `code` says why:

    - "unavailable": the backend is not installed, has no languages, or cannot be reached;
    - "unsupported_pair": it cannot translate from this language into that one;
    - "failed": it answered with an error or with something other than one translation
      per segment;
    - "timeout": it took longer than allowed.
    """

    CODES = ("unavailable", "unsupported_pair", "failed", "timeout")

    def __init__(self, code: str, detail: str = "") -> None:
        if code not in self.CODES:
            raise ValueError(f"unknown machine translation error code {code!r}")
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


def base_language(code: str) -> str:
    """The language of a tag: "pt-BR", "pt_br" and "pt" are all "pt"."""
    return re.split(r"[-_]", code.strip().lower(), maxsplit=1)[0]


def _region(code: str) -> str:
    parts = re.split(r"[-_]", code.strip().lower(), maxsplit=1)
    return parts[1] if len(parts) > 1 else ""


class Translator(ABC):
    """A machine translation backend.

    Subclasses give `pairs()` and `_translate()`; `translate()` checks the pair, keeps blank
    segments out of the backend and checks that one translation came back per segment.
    """

    name: str

    @abstractmethod
    def pairs(self) -> set[tuple[str, str]]:
        """The (source, target) language codes this backend translates between. Empty when
        it is not installed; raises MachineTranslationError when it cannot be asked."""

    def supports(self, source: str, target: str) -> bool:
        """Whether a draft from `source` into `target` can be asked for (False also when the
        backend cannot be reached)."""
        try:
            return (base_language(source), base_language(target)) in self.pairs()
        except MachineTranslationError:
            return False

    def translate(self, texts: Sequence[str], *, source: str, target: str) -> list[str]:
        """One translation per segment of `texts`, in order. Raises MachineTranslationError."""
        if isinstance(texts, str):
            raise TypeError("texts must be a sequence of segments, not one string")
        segments = list(texts)
        pairs = self.pairs()
        if not pairs:
            raise MachineTranslationError("unavailable", f"{self.name} has no languages")
        if (base_language(source), base_language(target)) not in pairs:
            raise MachineTranslationError("unsupported_pair", f"{self.name}: {source}→{target}")
        filled = [index for index, segment in enumerate(segments) if segment.strip()]
        if not filled:
            return segments
        translated = self._translate([segments[i] for i in filled], source=source, target=target)
        if len(translated) != len(filled):
            raise MachineTranslationError(
                "failed", f"{self.name} gave {len(translated)} translations for {len(filled)}"
            )
        for index, translation in zip(filled, translated, strict=True):
            segments[index] = translation
        return segments

    @abstractmethod
    def _translate(self, texts: list[str], *, source: str, target: str) -> list[str]:
        """Translate segments that are not blank, for a pair that `pairs()` holds; one result
        per segment (a wrong count is caught by `translate`)."""


# Apertium names languages by ISO 639-3 code, or by ISO 639-1 code in older pairs. This maps
# the three-letter codes of languages that also have a two-letter one; a language without
# one keeps its three-letter code, as BCP 47 does.
_ISO_639_1_OF = {
    "afr": "af", "amh": "am", "ara": "ar", "arg": "an", "aze": "az", "bak": "ba",
    "bel": "be", "ben": "bn", "bos": "bs", "bre": "br", "bul": "bg", "cat": "ca",
    "ces": "cs", "chv": "cv", "cos": "co", "cym": "cy", "dan": "da", "deu": "de",
    "ell": "el", "eng": "en", "epo": "eo", "est": "et", "eus": "eu", "fao": "fo",
    "fas": "fa", "fin": "fi", "fra": "fr", "fry": "fy", "gla": "gd", "gle": "ga",
    "glg": "gl", "guj": "gu", "hat": "ht", "hau": "ha", "heb": "he", "hin": "hi",
    "hrv": "hr", "hun": "hu", "hye": "hy", "ibo": "ig", "ind": "id", "isl": "is",
    "ita": "it", "jpn": "ja", "kan": "kn", "kat": "ka", "kaz": "kk", "khm": "km",
    "kir": "ky", "kor": "ko", "kur": "ku", "lao": "lo", "lat": "la", "lav": "lv",
    "lit": "lt", "ltz": "lb", "mal": "ml", "mar": "mr", "mkd": "mk", "mlt": "mt",
    "mon": "mn", "msa": "ms", "mya": "my", "nep": "ne", "nld": "nl", "nno": "nn",
    "nob": "nb", "nor": "no", "oci": "oc", "pan": "pa", "pol": "pl", "por": "pt",
    "pus": "ps", "ron": "ro", "rus": "ru", "sin": "si", "slk": "sk", "slv": "sl",
    "sme": "se", "snd": "sd", "som": "so", "spa": "es", "sqi": "sq", "srd": "sc",
    "srp": "sr", "swa": "sw", "swe": "sv", "tam": "ta", "tat": "tt", "tel": "te",
    "tgk": "tg", "tgl": "tl", "tha": "th", "tur": "tr", "uig": "ug", "ukr": "uk",
    "urd": "ur", "uzb": "uz", "vie": "vi", "xho": "xh", "yor": "yo", "zho": "zh",
    "zul": "zu",
}  # fmt: skip

# "eng-spa", "es-pt_BR", "oci_aran-cat": a language, an optional variant, for each side.
_MODE_NAME = re.compile(r"([a-z]{2,3})(?:_([A-Za-z0-9_]+))?-([a-z]{2,3})(?:_([A-Za-z0-9_]+))?")
_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.DOTALL)
_BLANK_LINES = re.compile(r"(\n[^\S\n]*\n\s*)")


@dataclass(frozen=True)
class ApertiumMode:
    """An installed Apertium translation direction, such as "es-pt_BR"."""

    name: str
    source: str
    target: str
    source_variant: str = ""
    target_variant: str = ""

    @classmethod
    def parse(cls, name: str) -> "ApertiumMode | None":
        match = _MODE_NAME.fullmatch(name)
        if match is None:
            return None
        source, source_variant, target, target_variant = match.groups()
        return cls(
            name=name,
            source=_ISO_639_1_OF.get(source, source),
            target=_ISO_639_1_OF.get(target, target),
            source_variant=(source_variant or "").lower(),
            target_variant=(target_variant or "").lower(),
        )


def _escape_for_apertium(text: str) -> str:
    """Text as HTML for Apertium's deformatter, which would otherwise read "{{" as the start
    of a wiki template and carry everything after it, later segments too, untranslated."""
    return html.escape(text, quote=False).replace("{", "&#123;")


def _variant_rank(variant: str, wanted: str) -> int:
    """0 for the variant asked for (or the plain mode when none was), then the plain mode,
    then any other variant."""
    if variant == wanted:
        return 0
    return 1 if not variant else 2


class ApertiumTranslator(Translator):
    """The Apertium engine, run as `apertium -u -f html MODE` with arguments, never a shell.

    All segments of a call go through one run (about 0.1 s for one segment, 0.2 s for 200),
    each escaped into its own `<p>` paragraph: the HTML deformatter passes tags through
    untouched and ends a sentence at each, so segments neither merge nor lose their newlines,
    and the paragraphs are counted back out. Apertium drops carriage returns and NUL
    characters. Installed modes are read once, from `apertium -l` or from `modes_dir` (the
    `modes` folder of an Apertium data directory, whose parent is then given to `apertium -d`).
    """

    name = "apertium"

    def __init__(
        self,
        executable: str = "apertium",
        modes_dir: str | Path | None = None,
        *,
        timeout: float = 60,
    ) -> None:
        self.executable = executable
        self.modes_dir = Path(modes_dir) if modes_dir is not None else None
        self.timeout = timeout
        self._modes: list[ApertiumMode] | None = None

    def modes(self) -> list[ApertiumMode]:
        """The installed modes; empty when Apertium is missing (looked for again next time)."""
        if self._modes is None:
            names = self._list_mode_names()
            if names is None:
                return []
            parsed = (ApertiumMode.parse(name) for name in names)
            self._modes = sorted((m for m in parsed if m is not None), key=lambda m: m.name)
        return self._modes

    def _list_mode_names(self) -> list[str] | None:
        if self.modes_dir is not None:
            if not self.modes_dir.is_dir():
                return None
            return [path.stem for path in self.modes_dir.glob("*.mode")]
        try:
            listed = subprocess.run(
                [self.executable, "-l"],
                capture_output=True,
                text=True,
                encoding="utf-8",
                timeout=self.timeout,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired):
            return None
        return listed.stdout.split() if listed.returncode == 0 else None

    def pairs(self) -> set[tuple[str, str]]:
        return {(mode.source, mode.target) for mode in self.modes()}

    def mode_for(self, source: str, target: str) -> ApertiumMode:
        """The mode for a pair: the plain one ("es-pt") unless a tag asks for a variant
        that is installed ("pt-BR" → "es-pt_BR")."""
        candidates = [
            mode
            for mode in self.modes()
            if (mode.source, mode.target) == (base_language(source), base_language(target))
        ]
        if not candidates:
            raise MachineTranslationError("unsupported_pair", f"apertium: {source}→{target}")
        return min(
            candidates,
            key=lambda mode: (
                _variant_rank(mode.target_variant, _region(target)),
                _variant_rank(mode.source_variant, _region(source)),
                mode.name,
            ),
        )

    def _command(self, mode: ApertiumMode) -> list[str]:
        data_dir = ["-d", str(self.modes_dir.parent)] if self.modes_dir is not None else []
        return [self.executable, *data_dir, "-u", "-f", "html", mode.name]

    def _translate(self, texts: list[str], *, source: str, target: str) -> list[str]:
        mode = self.mode_for(source, target)
        # Apertium moves words across a line break, so a segment's paragraphs (split at blank
        # lines) go in as paragraphs of their own; the blank lines are put back as they were.
        pieces = [_BLANK_LINES.split(text) for text in texts]
        paragraphs = [piece for split in pieces for piece in split[::2] if piece.strip()]
        document = "\n".join(f"<p>{_escape_for_apertium(text)}</p>" for text in paragraphs)
        output = _PARAGRAPH.findall(self._run(self._command(mode), document))
        if len(output) != len(paragraphs):
            raise MachineTranslationError(
                "failed", f"apertium gave {len(output)} paragraphs for {len(paragraphs)}"
            )
        translated = iter(html.unescape(paragraph) for paragraph in output)
        return [
            "".join(
                next(translated) if index % 2 == 0 and piece.strip() else piece
                for index, piece in enumerate(split)
            )
            for split in pieces
        ]

    def _run(self, command: list[str], stdin: str) -> str:
        try:
            process = subprocess.Popen(
                command,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                encoding="utf-8",
                errors="replace",
                start_new_session=True,  # a process group, so a timeout ends the whole pipeline
            )
        except OSError as error:
            raise MachineTranslationError("unavailable", f"apertium: {error}") from error
        try:
            stdout, stderr = process.communicate(stdin, timeout=self.timeout)
        except subprocess.TimeoutExpired as error:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise MachineTranslationError("timeout", f"apertium: {self.timeout}s") from error
        if process.returncode != 0:
            raise MachineTranslationError(
                "failed", f"apertium exited {process.returncode}: {stderr.strip()[:500]}"
            )
        return stdout


class ArgosTranslator(Translator):
    """Argos Translate, in process, with whatever language packages are installed. Without
    the package its pairs are empty and every translation is "unavailable". Each line of a
    segment is translated on its own, so line breaks stay where they were."""

    name = "argos"

    def _module(self) -> Any | None:
        try:
            return importlib.import_module("argostranslate.translate")
        except ImportError:
            return None

    def _languages(self) -> dict[str, Any]:
        module = self._module()
        if module is None:
            return {}
        return {str(language.code): language for language in module.get_installed_languages()}

    def pairs(self) -> set[tuple[str, str]]:
        languages = self._languages()
        return {
            (base_language(source_code), base_language(target_code))
            for source_code, source in languages.items()
            for target_code, target in languages.items()
            if source_code != target_code and source.get_translation(target) is not None
        }

    def _translate(self, texts: list[str], *, source: str, target: str) -> list[str]:
        languages = {base_language(code): language for code, language in self._languages().items()}
        try:
            translation = languages[base_language(source)].get_translation(
                languages[base_language(target)]
            )
        except KeyError as error:
            raise MachineTranslationError(
                "unsupported_pair", f"argos: {source}→{target}"
            ) from error
        try:
            return [
                "\n".join(
                    str(translation.translate(line)) if line.strip() else line
                    for line in text.split("\n")
                )
                for text in texts
            ]
        except Exception as error:  # Argos raises whatever its models raise.
            raise MachineTranslationError("failed", f"argos: {error}") from error


class _RefuseRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # the redirect's status then surfaces as an HTTPError


class LibreTranslateTranslator(Translator):
    """A LibreTranslate server at `url` (http or https). Its languages are asked once an hour;
    a request gets `timeout` seconds and is never redirected."""

    name = "libretranslate"
    LANGUAGES_TTL = 3600.0
    MAX_RESPONSE_BYTES = 16 * 1024 * 1024

    def __init__(self, url: str, *, api_key: str = "", timeout: float = 30) -> None:
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"a LibreTranslate URL must be http:// or https://, not {url!r}")
        if parts.query or parts.fragment:
            raise ValueError(f"a LibreTranslate URL takes no query or fragment: {url!r}")
        self.url = url.rstrip("/")
        self.api_key = api_key
        self.timeout = timeout
        self._opener = urllib.request.build_opener(_RefuseRedirects)
        self._lock = threading.Lock()
        self._codes: dict[str, str] = {}  # lowercased tag, and base language, → server's code
        self._pairs: set[tuple[str, str]] = set()
        self._fetched_at: float | None = None

    def pairs(self) -> set[tuple[str, str]]:
        with self._lock:
            now = time.monotonic()
            if self._fetched_at is None or now - self._fetched_at > self.LANGUAGES_TTL:
                self._codes, self._pairs = self._fetch_languages()
                self._fetched_at = now
            return set(self._pairs)

    def _fetch_languages(self) -> tuple[dict[str, str], set[tuple[str, str]]]:
        languages = self._request("/languages")
        try:
            listed = {str(entry["code"]): entry.get("targets") for entry in languages}
        except (TypeError, KeyError, AttributeError) as error:
            raise MachineTranslationError("failed", "libretranslate: bad /languages") from error
        codes: dict[str, str] = {}
        for code in sorted(listed, key=lambda code: code.lower() != base_language(code)):
            codes.setdefault(code.lower(), code)
            codes.setdefault(base_language(code), code)
        pairs = set()
        for code, targets in listed.items():
            # Servers before LibreTranslate 1.3 list no targets: every language to every other.
            for target in listed if targets is None else targets:
                if base_language(str(target)) != base_language(code):
                    pairs.add((base_language(code), base_language(str(target))))
        return codes, pairs

    def _server_code(self, tag: str) -> str:
        tag = tag.strip().lower()
        return self._codes.get(tag) or self._codes.get(base_language(tag)) or base_language(tag)

    def _translate(self, texts: list[str], *, source: str, target: str) -> list[str]:
        body = {
            "q": texts,
            "source": self._server_code(source),
            "target": self._server_code(target),
            "format": "text",
            "api_key": self.api_key,
        }
        answer = self._request("/translate", body)
        translated = answer.get("translatedText") if isinstance(answer, dict) else None
        if isinstance(translated, str) and len(texts) == 1:
            translated = [translated]
        if not isinstance(translated, list) or not all(isinstance(t, str) for t in translated):
            raise MachineTranslationError("failed", "libretranslate: no translatedText list")
        return translated

    def _request(self, path: str, body: dict[str, Any] | None = None) -> Any:
        request = urllib.request.Request(  # noqa: S310 (the scheme is checked in __init__)
            self.url + path,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Accept": "application/json", "Content-Type": "application/json"},
            method="GET" if body is None else "POST",
        )
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                raw = response.read(self.MAX_RESPONSE_BYTES + 1)
        except urllib.error.HTTPError as error:
            raise MachineTranslationError(
                "failed", f"libretranslate {path}: HTTP {error.code}"
            ) from error
        except urllib.error.URLError as error:
            code = "timeout" if isinstance(error.reason, TimeoutError) else "unavailable"
            raise MachineTranslationError(code, f"libretranslate {path}: {error.reason}") from error
        except TimeoutError as error:
            raise MachineTranslationError("timeout", f"libretranslate {path}") from error
        except (OSError, HTTPException) as error:
            raise MachineTranslationError("failed", f"libretranslate {path}: {error}") from error
        if len(raw) > self.MAX_RESPONSE_BYTES:
            raise MachineTranslationError("failed", f"libretranslate {path}: answer too large")
        try:
            return json.loads(raw)
        except ValueError as error:  # bad JSON or bad UTF-8
            raise MachineTranslationError("failed", f"libretranslate {path}: not JSON") from error


class Pivoting(Translator):
    """`inner`, plus the pairs it reaches through `via`: with en→es and es→pt installed but
    not en→pt, en→pt is translated into Spanish and the Spanish into Portuguese. A pair the
    inner translator has is translated directly."""

    def __init__(self, inner: Translator, *, via: str = "en") -> None:
        self.inner = inner
        self.via = base_language(via)
        self.name = f"{inner.name} via {self.via}"

    def pairs(self) -> set[tuple[str, str]]:
        direct = self.inner.pairs()
        into_via = {source for source, target in direct if target == self.via}
        out_of_via = {target for source, target in direct if source == self.via}
        return direct | {
            (source, target) for source in into_via for target in out_of_via if source != target
        }

    def _translate(self, texts: list[str], *, source: str, target: str) -> list[str]:
        if self.inner.supports(source, target):
            return self.inner.translate(texts, source=source, target=target)
        middle = self.inner.translate(texts, source=source, target=self.via)
        return self.inner.translate(middle, source=self.via, target=target)


def translator_from_setting(value: str, *, api_key: str = "", via: str = "") -> Translator | None:
    """The translator a deployment's setting names, or None for "" (no machine drafts):

    - "apertium", "argos";
    - "libretranslate:https://host/path", with the server's `api_key` if it needs one.

    `via` adds pivoting through that language. Anything else raises ValueError, so that a
    mistyped setting stops the site at startup rather than at the first draft. Nothing is
    started or contacted here.
    """
    if value == "":
        if api_key or via:
            raise ValueError("a machine translation API key or pivot needs a backend")
        return None
    translator: Translator
    if value == "apertium":
        translator = ApertiumTranslator()
    elif value == "argos":
        translator = ArgosTranslator()
    elif value.startswith("libretranslate:"):
        translator = LibreTranslateTranslator(
            value.removeprefix("libretranslate:"), api_key=api_key
        )
    else:
        raise ValueError(
            f"unknown machine translation backend {value!r}: use '' (none), 'apertium', "
            "'argos' or 'libretranslate:https://host/path'"
        )
    if api_key and not isinstance(translator, LibreTranslateTranslator):
        raise ValueError(f"an API key is only used with libretranslate, not {value!r}")
    if via:
        if not re.fullmatch(r"[a-z]{2,3}", via):
            raise ValueError(f"the pivot language must be a language code, not {via!r}")
        translator = Pivoting(translator, via=via)
    return translator
