"""Which language a text reads like, free of Django, with the Lingua detector.

Used to warn a speaker or translator whose text does not read like the language they chose
("You said Turkish; this reads like Arabic"), never to decide anything on its own. Answers are
ISO 639-1 codes; a regional tag ("pt-br") counts as its language, and a language Lingua does
not know is left out of the candidates.

Lingua loads a language's models when a detector first needs them and keeps them for the
life of the process, shared by every detector. Restricted to a network's languages it runs in
high-accuracy mode (about 25 MB a language, under a second to load six); asked about every
language it runs in low-accuracy mode, since high accuracy for all 75 would take about 1 GB
and five seconds to load. Nothing is loaded at import.
"""

import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

# Below this many letters a detection is mostly noise.
MINIMUM_LETTERS = 20
_DETECTORS_KEPT = 16

_LANGUAGE_OF_CODE = {language.iso_code_639_1.name.lower(): language for language in Language.all()}
_detectors: dict[frozenset[Language] | None, LanguageDetector] = {}
_detectors_lock = threading.Lock()


def _base_language(code: str) -> str:
    return re.split(r"[-_]", code.strip().lower(), maxsplit=1)[0]


def is_detectable(code: str) -> bool:
    """Whether Lingua knows the language of `code`."""
    return _base_language(code) in _LANGUAGE_OF_CODE


def _detector(languages: frozenset[Language] | None) -> LanguageDetector:
    """The detector for these languages (None: all of them), built once and kept."""
    with _detectors_lock:
        detector = _detectors.get(languages)
        if detector is None:
            if languages is None:
                builder = LanguageDetectorBuilder.from_all_languages().with_low_accuracy_mode()
            else:
                builder = LanguageDetectorBuilder.from_languages(*languages)
            detector = builder.build()
            if len(_detectors) >= _DETECTORS_KEPT:
                del _detectors[next(iter(_detectors))]  # the oldest; its models stay shared
            _detectors[languages] = detector
        return detector


def detect(
    text: str, *, among: Iterable[str] | None = None, minimum_confidence: float = 0.5
) -> str | None:
    """The ISO 639-1 code of the language `text` most likely is, among the languages of
    `among` (every language Lingua knows when None). None when the text has fewer than
    `MINIMUM_LETTERS` letters, when fewer than two of `among` are known to Lingua, or when
    the likeliest language's confidence (0 to 1, all candidates summing to 1) is below
    `minimum_confidence`."""
    if sum(character.isalpha() for character in text) < MINIMUM_LETTERS:
        return None
    languages: frozenset[Language] | None = None
    if among is not None:
        codes = {_base_language(code) for code in among}
        languages = frozenset(_LANGUAGE_OF_CODE[c] for c in codes if c in _LANGUAGE_OF_CODE)
        if len(languages) < 2:
            return None
    confidences = _detector(languages).compute_language_confidence_values(text)
    if not confidences or confidences[0].value < minimum_confidence:
        return None
    return confidences[0].language.iso_code_639_1.name.lower()


@dataclass(frozen=True)
class Verdict:
    """Whether a text reads like the language declared for it. `agrees` is None when that
    cannot be told: too little text, no clear winner, or a language Lingua does not know."""

    declared: str
    detected: str | None
    agrees: bool | None


def check_declared(
    text: str, declared: str, *, among: Iterable[str], minimum_confidence: float = 0.5
) -> Verdict:
    """Compare `declared` (a language code) with the language `text` reads like, among
    `among` and the declared language itself."""
    language = _base_language(declared)
    if not is_detectable(language):
        return Verdict(declared=declared, detected=None, agrees=None)
    candidates = {_base_language(code) for code in among} | {language}
    detected = detect(text, among=candidates, minimum_confidence=minimum_confidence)
    return Verdict(
        declared=declared,
        detected=detected,
        agrees=None if detected is None else detected == language,
    )
