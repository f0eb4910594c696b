from decimal import Decimal

import pytest
from pydantic import ValidationError as PydanticValidationError

from custpool import CURRENCY_MINOR_UNITS, Money


def test_amount_is_stored_at_the_currency_scale():
    assert Money(amount="199.9", currency="CNY").amount == Decimal("199.90")
    assert str(Money(amount="199.9", currency="CNY").amount) == "199.90"
    assert str(Money(amount=500, currency="JPY")) == "500 JPY"
    assert str(Money(amount="1.5", currency="KWD").amount) == "1.500"  # KWD has 3 digits


def test_currency_is_upper_cased_and_must_be_known():
    assert Money(amount="1", currency=" usd ").currency == "USD"
    with pytest.raises(PydanticValidationError, match="not an ISO 4217 currency"):
        Money(amount="1", currency="XYZ")


def test_python_floats_are_refused_with_a_fix():
    with pytest.raises(PydanticValidationError, match=r"pass a Decimal or a string such as '0.1'"):
        Money(amount=0.1, currency="CNY")


def test_json_numbers_are_read_through_their_decimal_text():
    assert Money.from_json('{"amount": 0.1, "currency": "CNY"}').amount == Decimal("0.10")


def test_too_many_decimal_places_refused():
    with pytest.raises(PydanticValidationError, match="more decimal places than CNY allows"):
        Money(amount="1.005", currency="CNY")
    with pytest.raises(PydanticValidationError, match="more decimal places than JPY allows"):
        Money(amount="1.5", currency="JPY")


@pytest.mark.parametrize("bad", ["NaN", "Infinity", "1e15", "-1e16"])
def test_non_finite_and_huge_amounts_refused(bad):
    with pytest.raises(PydanticValidationError):
        Money(amount=bad, currency="CNY")


def test_minor_units_round_trip():
    m = Money(amount="12.34", currency="CNY")
    assert m.minor_units == 1234  # 12.34 × 10**2
    assert Money.from_minor_units(1234, "CNY") == m
    assert Money.from_minor_units(1234, "KWD").amount == Decimal("1.234")  # 1234 / 10**3


def test_json_round_trip_is_exact_and_writes_strings():
    m = Money(amount="0.10", currency="CNY")
    assert m.to_json() == '{"amount":"0.10","currency":"CNY"}'
    assert Money.from_json(m.to_json()) == m


def test_table_has_common_currencies():
    assert CURRENCY_MINOR_UNITS["CNY"] == 2
    assert CURRENCY_MINOR_UNITS["JPY"] == 0
    assert CURRENCY_MINOR_UNITS["BHD"] == 3


def test_negative_zero_is_zero():
    # Decimal keeps a sign on zero ("-0.00"); money has none: it prints and round-trips as 0.00.
    money = Money(amount="-0", currency="CNY")
    assert str(money) == "0.00 CNY"
    assert money.amount.is_signed() is False
    assert Money.model_validate_json(money.model_dump_json()) == Money(amount="0", currency="CNY")
