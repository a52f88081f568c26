"""Names of languages, countries and the direction of writing, in the reader's language."""

from functools import cache
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.lists import format_list
from babel.localedata import locale_identifiers
from django.conf import settings
from django.utils.translation import get_language

RIGHT_TO_LEFT = frozenset({"ar", "fa", "he", "ur", "ps", "ckb", "yi", "dv", "sd", "ug"})


def interface_languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


@cache
def _locale(code: str) -> Locale:
    return Locale.parse(code.replace("-", "_"))


def reader_locale() -> str:
    return get_language() or settings.LANGUAGE_CODE


def is_language(code: str) -> bool:
    """Whether CLDR knows `code` as a language (content may be in any of them)."""
    return code in _locale("en").languages


def language_name(code: str, *, in_language: str | None = None) -> str:
    """`code`'s name in the reader's language ('yo' is 'Yoruba', 'Yorùbá'… ), else the code."""
    return _locale(in_language or reader_locale()).languages.get(code, code)


def own_language_name(code: str) -> str:
    """A language's name in itself, as a language switcher shows it."""
    try:
        name = _locale(code).languages.get(code, code)
    except UnknownLocaleError:
        return code
    return name[:1].upper() + name[1:]


def country_name(code: str, *, in_language: str | None = None) -> str:
    return _locale(in_language or reader_locale()).territories.get(code, code)


def is_country(code: str) -> bool:
    return (
        len(code) == 2 and code.isalpha() and code.isupper() and code in _locale("en").territories
    )


def _names(mapping: Any) -> dict[str, str]:
    return {str(code): str(name) for code, name in mapping.items()}


def countries() -> list[tuple[str, str]]:
    """Every country as (ISO code, name in the reader's language), sorted by name."""
    names = _names(_locale(reader_locale()).territories)
    return sorted(
        (
            (code, names[code])
            for code in names
            if len(code) == 2
            and code.isalpha()
            and code not in {"EU", "EZ", "UN", "ZZ", "XA", "XB", "QO"}
        ),
        key=lambda pair: pair[1],
    )


def all_languages() -> list[tuple[str, str]]:
    """Languages content may be written in, as (code, name in the reader's language)."""
    names = _names(_locale(reader_locale()).languages)
    return sorted(
        ((code, names[code]) for code in _described_languages() if code in names),
        key=lambda pair: pair[1],
    )


@cache
def _described_languages() -> frozenset[str]:
    """Languages CLDR describes fully (with locale data of their own): some three hundred,
    enough for every language our members write, short enough for a phone's select list."""
    return frozenset(identifier.split("_")[0] for identifier in locale_identifiers())


def language_list(codes: list[str]) -> str:
    """Several languages named and joined as the reader's language joins a list."""
    return format_list([language_name(code) for code in codes], locale=reader_locale())


def command_line_language() -> str:
    """The interface language for the command line: INTERNATIONALE_CLI_LANGUAGE, else the
    locale of the shell (LC_ALL, LC_MESSAGES, LANG), else the site's default
    (INTERNATIONALE_LANGUAGE)."""
    import os

    for name in ("INTERNATIONALE_CLI_LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        code = value.split(".")[0].split("_")[0].lower()
        if code in dict(settings.LANGUAGES):
            return code
    return str(settings.LANGUAGE_CODE)
