from decimal import Decimal

import pytest

from internationale.core.money import Money, MoneyError, format_money, is_currency, minor_units


def test_minor_units_follow_iso_4217_not_display_conventions() -> None:
    assert [minor_units(c) for c in ("USD", "JPY", "IQD", "LBP", "SYP", "TRY", "BHD")] == [
        2,
        0,
        3,
        2,
        2,
        2,
        3,
    ]


def test_it_knows_which_codes_are_currencies() -> None:
    assert all(is_currency(code) for code in ("BDT", "NGN", "SYP", "BRL"))
    assert not any(is_currency(code) for code in ("XAU", "ABC", "XTS"))
    with pytest.raises(MoneyError):
        minor_units("ABC")


def test_it_parses_decimal_text_exactly() -> None:
    assert Money.parse("12.50", "USD") == Money(1250, "USD")
    assert Money.parse("0.1", "USD") + Money.parse("0.2", "USD") == Money.parse("0.3", "USD")
    assert Money.parse("1.125", "IQD").minor == 1125
    assert Money.parse("500", "JPY").minor == 500
    assert Money.parse("-3", "EUR").minor == -300


@pytest.mark.parametrize(
    ("text", "currency"),
    [("1.001", "USD"), ("1.5", "JPY"), ("abc", "USD"), ("NaN", "USD"), ("Infinity", "EUR")],
)
def test_it_refuses_what_it_cannot_hold_exactly(text: str, currency: str) -> None:
    with pytest.raises(MoneyError):
        Money.parse(text, currency)


def test_it_refuses_floats_and_mixed_currencies() -> None:
    with pytest.raises(MoneyError):
        Money(1.5, "USD")  # type: ignore[arg-type]
    with pytest.raises(MoneyError, match="cannot combine"):
        Money(1, "USD") + Money(1, "EUR")


def test_its_decimal_value_is_exact() -> None:
    assert Money(1125, "IQD").decimal == Decimal("1.125")


@pytest.mark.parametrize(
    ("money", "locale", "expected"),
    [
        (Money(123450, "USD"), "en", "$1,234.50"),
        (Money(990, "BRL"), "pt", "R$\xa09,90"),
        (Money(-1230, "TRY"), "tr", "-₺12,30"),
        (Money(500, "JPY"), "fr", "500\xa0JPY"),
    ],
)
def test_it_formats_for_the_reader_with_every_minor_digit(
    money: Money, locale: str, expected: str
) -> None:
    assert format_money(money, locale=locale) == expected


def test_arabic_formatting_shows_three_digits_of_dinar() -> None:
    text = format_money(Money(1234125, "IQD"), locale="ar")
    assert "1,234.125" in text or "١٬٢٣٤٫١٢٥" in text
