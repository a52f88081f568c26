"""Which language a text reads like, with Lingua's real models."""

import pytest

from internationale.relay import language_detection
from internationale.relay.language_detection import Verdict, check_declared, detect

NETWORK = ["en", "es", "pt", "fr", "tr", "ar"]

SENTENCES = {
    "en": "The workers at the warehouse decided to stop work until wages rise.",
    "es": "Los trabajadores del almacén decidieron parar hasta que suban los salarios.",
    "pt": "Os trabalhadores do armazém decidiram parar até que os salários subam.",
    "fr": "Les ouvriers de l'entrepôt ont décidé d'arrêter jusqu'à la hausse des salaires.",
    "tr": "Depodaki işçiler ücretler artana kadar işi durdurmaya karar verdiler.",
    "ar": "قرر العمال في المستودع التوقف عن العمل حتى ترتفع الأجور.",
}


@pytest.mark.parametrize("language", sorted(SENTENCES))
def test_it_detects_the_networks_languages(language: str) -> None:
    assert detect(SENTENCES[language], among=NETWORK) == language


def test_it_detects_among_every_language_when_not_told_which() -> None:
    assert detect(SENTENCES["en"]) == "en"
    assert detect(SENTENCES["tr"]) == "tr"


def test_it_does_not_guess_from_short_text() -> None:
    assert detect("Hello there friend", among=NETWORK) is None
    assert detect("", among=NETWORK) is None
    assert detect("12345 67890 !!! ??? ... 12345 67890", among=NETWORK) is None


def test_it_does_not_answer_below_the_minimum_confidence() -> None:
    mixed = "Os trabalhadores e los trabajadores"  # Portuguese at about 0.75
    assert detect(mixed, among=NETWORK) == "pt"
    assert detect(mixed, among=NETWORK, minimum_confidence=0.9) is None


def test_it_reads_regional_tags_and_ignores_languages_lingua_lacks() -> None:
    assert detect(SENTENCES["pt"], among=["pt-BR", "es", "gl", "xx"]) == "pt"
    assert detect(SENTENCES["pt"], among=["pt", "gl"]) is None  # nothing to tell it from


def test_it_builds_one_detector_per_set_of_languages() -> None:
    detect(SENTENCES["es"], among=["es", "pt"])
    detect(SENTENCES["es"], among=["pt", "es", "pt-br"])
    languages = frozenset(language_detection._LANGUAGE_OF_CODE[code] for code in ("es", "pt"))
    assert language_detection._detector(languages) is language_detection._detector(languages)


def test_it_agrees_when_the_text_reads_like_the_declared_language() -> None:
    assert check_declared(SENTENCES["tr"], "tr", among=NETWORK) == Verdict(
        declared="tr", detected="tr", agrees=True
    )
    assert check_declared(SENTENCES["pt"], "pt-br", among=NETWORK) == Verdict(
        declared="pt-br", detected="pt", agrees=True
    )


def test_it_disagrees_when_the_text_reads_like_another_language() -> None:
    assert check_declared(SENTENCES["ar"], "tr", among=NETWORK) == Verdict(
        declared="tr", detected="ar", agrees=False
    )
    # The declared language counts as a candidate even when the network lacks it.
    assert check_declared(SENTENCES["fr"], "fr", among=["en", "es"]).agrees is True


def test_it_cannot_tell_from_short_text_or_an_undetectable_language() -> None:
    assert check_declared("Merhaba", "tr", among=NETWORK) == Verdict(
        declared="tr", detected=None, agrees=None
    )
    assert check_declared(SENTENCES["es"], "gl", among=NETWORK) == Verdict(
        declared="gl", detected=None, agrees=None
    )
