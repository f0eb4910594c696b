"""Money: an exact ``Decimal`` amount with an ISO 4217 currency, never a float."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from numbers import Integral
from types import MappingProxyType
from typing import Final, Self

from pydantic import field_validator, model_validator

from custpool._base import FrozenModel
from custpool._errors import ValidationError, WrongTypeError, safe_repr

__all__ = ["CURRENCY_MINOR_UNITS", "Money"]

# Active ISO 4217 codes and the digits of their minor unit (list of 2025). Funds codes and
# precious metals are left out on purpose: a pool's orders are priced in a circulating currency.
_TABLE: Final = """
AED2 AFN2 ALL2 AMD2 AOA2 ARS2 AUD2 AWG2 AZN2 BAM2 BBD2 BDT2 BGN2 BHD3 BIF0 BMD2 BND2 BOB2 BRL2
BSD2 BTN2 BWP2 BYN2 BZD2 CAD2 CDF2 CHF2 CLP0 CNY2 COP2 CRC2 CUP2 CVE2 CZK2 DJF0 DKK2 DOP2 DZD2
EGP2 ERN2 ETB2 EUR2 FJD2 FKP2 GBP2 GEL2 GHS2 GIP2 GMD2 GNF0 GTQ2 GYD2 HKD2 HNL2 HTG2 HUF2 IDR2
ILS2 INR2 IQD3 IRR2 ISK0 JMD2 JOD3 JPY0 KES2 KGS2 KHR2 KMF0 KPW2 KRW0 KWD3 KYD2 KZT2 LAK2 LBP2
LKR2 LRD2 LSL2 LYD3 MAD2 MDL2 MGA2 MKD2 MMK2 MNT2 MOP2 MRU2 MUR2 MVR2 MWK2 MXN2 MYR2 MZN2 NAD2
NGN2 NIO2 NOK2 NPR2 NZD2 OMR3 PAB2 PEN2 PGK2 PHP2 PKR2 PLN2 PYG0 QAR2 RON2 RSD2 RUB2 RWF0 SAR2
SBD2 SCR2 SDG2 SEK2 SGD2 SHP2 SLE2 SOS2 SRD2 SSP2 STN2 SVC2 SYP2 SZL2 THB2 TJS2 TMT2 TND3 TOP2
TRY2 TTD2 TWD2 TZS2 UAH2 UGX0 USD2 UYU2 UZS2 VES2 VND0 VUV0 WST2 XAF0 XCD2 XCG2 XOF0 XPF0 YER2
ZAR2 ZMW2 ZWG2
"""

CURRENCY_MINOR_UNITS: Final = MappingProxyType(
    {code[:3]: int(code[3]) for code in _TABLE.split()},
)
"""Digits of the minor unit of each accepted ISO 4217 currency (``CNY`` → 2, ``JPY`` → 0)."""

_MAX_ABS: Final = Decimal(10) ** 15
_MAX_DIGITS: Final = 15  # checked on the exponent first, so 1e1000000 never reaches abs()

# What a decimal string may hold: ASCII digits, one optional sign, one optional decimal point
# and an optional exponent ("1e3", accepted before this rule was written). Decimal() alone would
# also read full-width or Arabic-Indic digits and "1_000".
_DECIMAL_TEXT: Final = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


class Money(FrozenModel):
    """An exact amount of one currency.

    The amount is a :class:`~decimal.Decimal` with no more decimal places than the currency's
    minor unit (two for CNY, none for JPY) and is stored at exactly that scale, so equal amounts
    print alike. Python floats are refused (binary fractions are not money); a JSON number is
    read through its decimal text. JSON output writes the amount as a string.

    Parameters
    ----------
    amount
        ``Decimal``, ``int`` or a decimal string such as ``"199.90"``: ASCII digits with an
        optional sign and decimal point (and exponent); white space around it is trimmed.
        Full-width digits, other scripts' digits and ``_`` separators are refused.
    currency
        ISO 4217 code; lower case is upper-cased.

    Examples
    --------
    >>> m = Money(amount="199.9", currency="cny")
    >>> m
    Money(amount=Decimal('199.90'), currency='CNY')
    >>> str(m), m.minor_units
    ('199.90 CNY', 19990)
    >>> Money.from_minor_units(500, "JPY")
    Money(amount=Decimal('500'), currency='JPY')
    >>> m.model_dump_json()
    '{"amount":"199.90","currency":"CNY"}'
    """

    amount: Decimal
    currency: str

    @field_validator("amount", mode="before")
    @classmethod
    def _no_binary_floats(cls, value: object, info: object) -> object:
        if isinstance(value, float):
            if getattr(info, "mode", "python") == "json":
                return Decimal(repr(value))  # a JSON number, through its shortest decimal text
            msg = (
                f"a float ({value!r}) cannot hold money exactly; pass a Decimal or a string "
                f"such as {str(value)!r}"
            )
            raise ValueError(msg)
        if isinstance(value, str):
            text = value.strip()
            if _DECIMAL_TEXT.fullmatch(text) is None:
                msg = (
                    f"amount {safe_repr(value)} is not a decimal number: write ASCII digits with "
                    "an optional sign and decimal point, such as '199.90' or '-5'"
                )
                raise ValueError(msg)
            return text
        return value

    @field_validator("currency", mode="after")  # after: bytes were decoded to text already
    @classmethod
    def _known_currency(cls, value: str) -> str:
        code = value.strip().upper()
        if code not in CURRENCY_MINOR_UNITS:
            msg = f"{value!r} is not an ISO 4217 currency code custpool knows (e.g. CNY, USD, EUR)"
            raise ValueError(msg)
        return code

    @model_validator(mode="after")
    def _scale_fits_currency(self) -> Self:
        amount = self.amount
        if not amount.is_finite():
            msg = f"amount must be a finite number; got {amount}"
            raise ValueError(msg)
        if amount.adjusted() >= _MAX_DIGITS or abs(amount) >= _MAX_ABS:
            msg = f"amount {amount} is out of range (absolute value must be below 10**15)"
            raise ValueError(msg)
        digits = CURRENCY_MINOR_UNITS[self.currency]
        exponent = amount.as_tuple().exponent
        assert isinstance(exponent, int)  # noqa: S101 - finite Decimals have int exponents
        if exponent < -digits:
            msg = (
                f"amount {amount} has more decimal places than {self.currency} allows "
                f"({digits}); round it first"
            )
            raise ValueError(msg)
        try:
            quantized = amount.quantize(Decimal(1).scaleb(-digits))
        except InvalidOperation as exc:  # pragma: no cover - excluded by the range check above
            raise ValueError(str(exc)) from exc
        if not quantized:  # -0 is 0: a free order prints, compares and round-trips as 0.00
            quantized = quantized.copy_abs()
        object.__setattr__(self, "amount", quantized)
        return self

    @property
    def minor_units(self) -> int:
        """The amount as an integer count of the currency's minor unit (fen, cents)."""
        return int(self.amount.scaleb(CURRENCY_MINOR_UNITS[self.currency]))

    @classmethod
    def from_minor_units(cls, units: int, currency: str) -> Money:
        """Build from an integer count of minor units (as the columnar engine stores money).

        Raises
        ------
        custpool.WrongTypeError
            If ``units`` is not an integer (booleans and floats refused) or ``currency`` is not a
            string.
        custpool.ValidationError
            If the currency is unknown, or the amount is out of range (10**15 major units).

        Examples
        --------
        >>> Money.from_minor_units(19990, "cny")
        Money(amount=Decimal('199.90'), currency='CNY')
        >>> Money.from_minor_units(1, None)
        Traceback (most recent call last):
        ...
        custpool.WrongTypeError: currency=None: must be an ISO 4217 currency code as a string, ...
        """
        count = _whole(units)
        text: object = currency
        if not isinstance(text, str):
            rule = "must be an ISO 4217 currency code as a string, such as 'CNY'"
            raise WrongTypeError("currency", currency, rule)
        code = text.strip().upper()
        if code not in CURRENCY_MINOR_UNITS:
            rule = "is not an ISO 4217 currency code custpool knows (e.g. CNY, USD, EUR)"
            raise ValidationError("currency", currency, rule)
        digits = CURRENCY_MINOR_UNITS[code]
        if abs(count) >= 10 ** (_MAX_DIGITS + digits):
            rule = f"is out of range: the amount must be below 10**15 {code}, in absolute value"
            raise ValidationError("units", count, rule)
        return cls(amount=Decimal(count).scaleb(-digits), currency=code)

    def __str__(self) -> str:
        """Return ``"199.90 CNY"``."""
        return f"{self.amount} {self.currency}"


def _whole(units: object) -> int:
    """Return ``units`` as an ``int`` (numpy integers too); refuse booleans and non-integers."""
    if isinstance(units, bool) or not isinstance(units, Integral):
        raise WrongTypeError("units", units, "must be an integer count of minor units")
    return int(units)
