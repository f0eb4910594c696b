"""The frames bridge: backends, zones, nulls and the missing-extra error."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from custpool import MissingDependencyError, ValidationError, WrongTypeError
from custpool._frames import BACKENDS, build_frame, check_backend, check_tz
from custpool._time import NO_TIME
from frames_helpers import rows

DAY = 86_400_000_000


@pytest.mark.parametrize("backend", BACKENDS)
def test_every_backend_builds_the_same_rows(backend):
    frame = build_frame(
        {"id": ["c-1", "c-2"], "n": np.array([3, 4]), "since": np.array([DAY, NO_TIME])},
        backend=backend,
        times=("since",),
        tz="Asia/Shanghai",
    )
    got = rows(frame)
    assert [r["id"] for r in got] == ["c-1", "c-2"]
    assert [int(r["n"]) for r in got] == [3, 4]
    # 1970-01-02T00:00Z is 08:00 in Shanghai: the instant is the same, only the zone differs.
    first = got[0]["since"]
    assert first.utcoffset() == dt.timedelta(hours=8)
    assert first == dt.datetime(1970, 1, 2, tzinfo=dt.UTC)
    assert got[1]["since"] is None  # NO_TIME is null


def test_times_default_to_utc():
    frame = build_frame({"t": np.array([0])}, backend="pyarrow", times=("t",))
    assert frame.column("t").to_pylist()[0].utcoffset() == dt.timedelta(0)


@pytest.mark.parametrize(
    ("tz", "name"),
    [(None, "UTC"), (dt.UTC, "UTC"), ("UTC", "UTC"), (ZoneInfo("Asia/Shanghai"), "Asia/Shanghai")],
)
def test_zones_are_iana_names(tz, name):
    assert check_tz(tz) == name


@pytest.mark.parametrize("tz", ["Mars/Olympus", "+08:00", ""])
def test_an_unknown_zone_is_a_validation_error(tz):
    with pytest.raises(ValidationError, match="IANA time zone"):
        check_tz(tz)


def test_a_zone_of_the_wrong_type_is_a_wrong_type_error():
    with pytest.raises(WrongTypeError):
        check_tz(8)


@pytest.mark.parametrize("backend", ["numpy", "Pandas", "", 3])
def test_an_unknown_backend_is_refused(backend):
    with pytest.raises(ValidationError, match="backend"):
        check_backend(backend)


def test_a_missing_extra_names_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "narwhals", None)  # import narwhals now raises ImportError
    with pytest.raises(MissingDependencyError, match=r"custpool\[frames\]"):
        build_frame({"a": [1]}, backend="pandas")


def test_importing_custpool_imports_no_frame_library():
    code = (
        "import sys, custpool, custpool.synth; "
        "print([m for m in ('narwhals', 'pandas', 'polars', 'pyarrow') if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_pandas_keeps_nullable_integers_exact():
    # 2**60 + 1 is not a float64: an integer column with a null must not become float in pandas.
    big = 2**60 + 1
    masked = np.ma.masked_array(np.array([big, 0]), mask=[False, True])
    frame = build_frame({"minor": masked, "listed": [big, None]}, backend="pandas")
    assert str(frame["minor"].dtype) == "Int64"
    assert str(frame["listed"].dtype) == "Int64"
    assert int(frame["minor"][0]) == big
    assert int(frame["listed"][0]) == big
    assert frame["minor"].isna().tolist() == [False, True]


@pytest.mark.parametrize("backend", ["polars", "pyarrow"])
def test_other_backends_keep_nullable_integers_exact(backend):
    big = 2**60 + 1
    masked = np.ma.masked_array(np.array([big, 0]), mask=[False, True])
    assert [r["minor"] for r in rows(build_frame({"minor": masked}, backend=backend))] == [
        big,
        None,
    ]
