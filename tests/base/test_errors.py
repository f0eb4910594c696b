import io
import pickle

import pytest

from custpool import (
    CustpoolError,
    LoadError,
    MissingDependencyError,
    UnknownIdError,
    ValidationError,
    WrongTypeError,
)
from custpool._errors import safe_repr


def test_validation_error_is_both_ours_and_value_error():
    err = ValidationError("score", 11, "must be an integer from 0 to 10")
    assert isinstance(err, CustpoolError)
    assert isinstance(err, ValueError)
    assert (err.field, err.value, err.rule) == ("score", 11, "must be an integer from 0 to 10")
    assert str(err) == "score=11: must be an integer from 0 to 10"


def test_secret_values_are_masked_in_messages_and_attributes():
    err = ValidationError("phone", "13800138000", "must be a phone number", secret=True)
    assert "13800138000" not in str(err)
    assert err.shown_value == "<secret, 11 chars>"
    assert err.value == "<secret, 11 chars>"  # not kept: attributes get logged too
    assert "13800138000" not in repr(vars(err))


def test_wrong_type_error_is_a_type_error_and_a_validation_error():
    err = WrongTypeError("policy", {}, "must be a custpool.Policy")
    assert isinstance(err, TypeError)
    assert isinstance(err, ValidationError)
    assert isinstance(err, CustpoolError)
    # it carries the structure of a ValidationError, and callers catch it either way
    assert (err.field, err.value, err.rule) == ("policy", {}, "must be a custpool.Policy")
    assert str(err) == "policy={}: must be a custpool.Policy"
    for caught_as in (TypeError, ValueError, CustpoolError):
        with pytest.raises(caught_as) as caught:
            raise WrongTypeError("policy", {}, "must be a custpool.Policy")
        assert caught.value.field == "policy"


def test_load_error_names_source_and_line():
    err = LoadError(7, "amount", "abc", "must be a decimal number", source="orders.csv")
    assert str(err) == "orders.csv line 7: amount='abc': must be a decimal number"
    assert err.line == 7
    assert isinstance(err, ValidationError)
    assert str(LoadError(2, "id", "", "must not be empty")) == "line 2: id='': must not be empty"


def test_unknown_id_error_is_a_key_error_with_a_plain_message():
    with pytest.raises(KeyError) as info:
        raise UnknownIdError("customer", "c-404")
    assert str(info.value) == "no customer with id 'c-404' in this pool"
    assert info.value.id == "c-404"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("abc", "'abc'"),
        (42, "42"),
        ("é" * 70, "'" + "é" * 59 + "… (72 chars)"),
    ],
)
def test_safe_repr_truncates_long_values(value, expected):
    assert safe_repr(value) == expected


def test_safe_repr_of_non_text_secret_hides_even_the_length():
    assert safe_repr(12345, secret=True) == "<secret>"


def test_a_value_held_as_a_secret_is_always_masked():
    from pydantic import Secret, SecretStr  # noqa: PLC0415

    assert safe_repr(SecretStr("13800138000")) == "<secret, 11 chars>"
    assert safe_repr(Secret(13800138000)) == "<secret>"
    err = ValidationError("mobile", SecretStr("13800138000"), "is not a field")
    assert err.shown_value == "<secret, 11 chars>"
    assert safe_repr(SecretStr) == "<class 'pydantic.types.SecretStr'>"  # the class is no secret


def _raised_load_error():
    import io  # noqa: PLC0415

    from custpool import Customer, read_jsonl  # noqa: PLC0415

    try:
        read_jsonl(io.BytesIO(b'{"id": 5}\n'), Customer, strict=True)
    except LoadError as error:
        return error
    raise AssertionError


@pytest.mark.parametrize(
    "error",
    [
        ValidationError("score", 11, "must be an integer from 0 to 10"),
        ValidationError("phone", "13800138000", "must be a phone number", secret=True),
        WrongTypeError("customers[1]", "<dict>", "must be an id (a string)"),
        UnknownIdError("customer", "c-9"),
        MissingDependencyError("narwhals", "frames"),
        _raised_load_error(),
    ],
    ids=lambda e: type(e).__name__,
)
def test_errors_pickle_with_their_attributes(error):
    # Worker processes (multiprocessing, Dask) send errors back pickled: __init__ takes the
    # field, value and rule, not the message, so the error is rebuilt from its state. The
    # pickler has no dispatch table, so a process-wide copyreg hook (tblib's, which importing
    # distributed installs: it pickles the traceback too) does not stand in for our own.
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer)
    pickler.dispatch_table = {}
    pickler.dump(error)
    data = buffer.getvalue()
    copy = pickle.loads(data)  # noqa: S301 - our own bytes
    assert type(copy) is type(error)
    assert str(copy) == str(error)
    assert vars(copy) == vars(error)
    assert copy.args == error.args
    assert b"custpool._" not in data  # the public class path only
    assert b"13800138000" not in data  # a secret is not kept on the error, so never pickled
