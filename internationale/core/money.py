"""Money as integer minor units of an ISO 4217 currency, parsed and formatted exactly.

No float is used anywhere: amounts are integers of the currency's minor unit (cents, kuruş,
fils) and decimal text is converted with `decimal.Decimal`, refusing digits the currency
does not have.
"""

import copy
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cache

from babel import Locale
from babel.numbers import get_territory_currencies, parse_pattern

# ISO 4217 minor units that are not 2. CLDR's display digits differ from ISO for several
# currencies our members use (IQD, LBP, SYP), so the ISO table is kept here, not taken
# from Babel.
_ZERO_DIGITS = "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF"
_MINOR_UNITS_OTHER_THAN_TWO = {
    **dict.fromkeys(_ZERO_DIGITS.split(), 0),
    **dict.fromkeys("BHD IQD JOD KWD LYD OMR TND".split(), 3),
    **dict.fromkeys("CLF UYW".split(), 4),
}


class MoneyError(ValueError):
    """An amount or currency that cannot be represented exactly."""


def is_currency(code: str) -> bool:
    """Whether `code` is the ISO 4217 code of a currency that is legal tender somewhere today
    (not a historical currency, a precious metal or a fund code)."""
    return code in _currencies_in_use()


@cache
def _currencies_in_use() -> frozenset[str]:
    today = date.today()
    return frozenset(
        code
        for territory in Locale.parse("en").territories
        for code in get_territory_currencies(str(territory), start_date=today, tender=True)
    )


def minor_units(currency: str) -> int:
    """How many decimal digits the currency's minor unit has (USD 2, JPY 0, IQD 3)."""
    if not is_currency(currency):
        raise MoneyError(f"{currency!r} is not an ISO 4217 currency code")
    return _MINOR_UNITS_OTHER_THAN_TWO.get(currency, 2)


@dataclass(frozen=True, slots=True)
class Money:
    """An exact amount: an integer count of the currency's minor unit."""

    minor: int
    currency: str

    def __post_init__(self) -> None:
        if not isinstance(self.minor, int) or isinstance(self.minor, bool):
            raise MoneyError("amounts are whole numbers of minor units")
        minor_units(self.currency)

    @classmethod
    def parse(cls, text: str | Decimal, currency: str) -> "Money":
        """Read a decimal amount such as '12.50' exactly; refuse digits the currency lacks."""
        digits = minor_units(currency)
        try:
            value = Decimal(str(text).strip().replace(" ", ""))
        except InvalidOperation:
            raise MoneyError(f"{text!r} is not a number") from None
        if not value.is_finite():
            raise MoneyError(f"{text!r} is not a number")
        scaled = value.scaleb(digits)
        if scaled != scaled.to_integral_value():
            raise MoneyError(f"{currency} has {digits} decimal digits; {text!r} has more")
        return cls(int(scaled), currency)

    @property
    def decimal(self) -> Decimal:
        """The amount in major units, exactly."""
        return Decimal(self.minor).scaleb(-minor_units(self.currency))

    def __add__(self, other: "Money") -> "Money":
        self._same_currency(other)
        return Money(self.minor + other.minor, self.currency)

    def __sub__(self, other: "Money") -> "Money":
        self._same_currency(other)
        return Money(self.minor - other.minor, self.currency)

    def __neg__(self) -> "Money":
        return Money(-self.minor, self.currency)

    def _same_currency(self, other: "Money") -> None:
        if other.currency != self.currency:
            raise MoneyError(f"cannot combine {self.currency} with {other.currency}")

    def __str__(self) -> str:
        return f"{self.decimal} {self.currency}"


def format_money(money: Money, *, locale: str) -> str:
    """The amount as a reader of `locale` writes it, with every ISO minor digit shown."""
    babel_locale = Locale.parse(locale.replace("-", "_"))
    pattern = copy.copy(parse_pattern(babel_locale.currency_formats["standard"]))
    digits = minor_units(money.currency)
    pattern.frac_prec = (digits, digits)
    return pattern.apply(
        money.decimal, babel_locale, currency=money.currency, currency_digits=False
    )
