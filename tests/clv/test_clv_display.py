"""Every custpool.clv result type shows itself as custpool's other results do.

The same checks as ``tests/display/test_display_results.py`` (which covers ``custpool.__all__``),
for the classes in ``custpool.clv.__all__`` with a ``to_frame`` method, each built from CDNOW.
"""

from __future__ import annotations

import inspect
import re
from html.parser import HTMLParser

import pytest
from clv_helpers import CALIBRATION_END, OBSERVATION_END, cdnow_table

import custpool as cp
from custpool import clv
from custpool._display import Displayed

RESULT_TYPES = sorted(
    name
    for name in clv.__all__
    if inspect.isclass(getattr(clv, name)) and hasattr(getattr(clv, name), "to_frame")
)
NUMBER = re.compile(r"[+-]?\d[\d,]*(?:\.\d+)?%?")


@pytest.fixture(scope="module")
def results():
    table = cdnow_table()
    split = clv.calibration_holdout(table, CALIBRATION_END, OBSERVATION_END, freq_multiplier=7)
    summary = split.calibration
    model = clv.fit_bgnbd(summary)
    spend = clv.fit_gamma_gamma(summary)
    value = clv.clv(model, spend, summary)
    tiers = cp.classify_table(table, cp.Policy(), CALIBRATION_END)
    return {
        "BgNbd": model,
        "GammaGamma": spend,
        "Clv": value,
        "ClvByState": value.by_state(tiers),
        "AliveByState": clv.p_alive_by_state(model, summary, tiers),
        "CalibrationHoldout": split,
    }


class Parsed(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):  # noqa: ARG002 - HTMLParser's signature
        self.tags.append(tag)

    def handle_data(self, data):
        self.text.append(data)


def test_the_result_types_are_the_six_built_here(results):
    assert sorted(results) == RESULT_TYPES
    assert len(RESULT_TYPES) == 6


@pytest.mark.parametrize("name", RESULT_TYPES)
def test_every_result_type_displays_and_is_frozen(results, name):
    kind = getattr(clv, name)
    assert issubclass(kind, Displayed), name
    assert kind._report is not Displayed._report, name
    field = next(iter(kind.__dataclass_fields__))
    with pytest.raises(AttributeError):
        setattr(results[name], field, None)


@pytest.mark.parametrize("name", RESULT_TYPES)
def test_repr_is_one_short_line(results, name):
    text = repr(results[name])
    assert len(text) <= 200, (len(text), text)
    assert "\n" not in text
    assert text.startswith(f"{name}(")
    assert "array(" not in text


@pytest.mark.parametrize("name", RESULT_TYPES)
def test_repr_html_is_a_table_with_the_numbers_of_the_text(results, name):
    result = results[name]
    page = Parsed()
    page.feed(result._repr_html_())
    page.close()
    assert page.tags[0] == "table"
    assert page.tags.count("table") == 1
    assert {"script", "style", "link"}.isdisjoint(page.tags)
    shown = " ".join(page.text)
    numbers = NUMBER.findall(result.to_text())
    assert numbers
    for number in numbers:
        assert number in shown, (number, name)


@pytest.mark.parametrize("name", RESULT_TYPES)
def test_text_in_english_and_chinese(results, name):
    result = results[name]
    english, chinese = result.to_text(lang="en"), result.to_text(lang="zh")
    assert english != chinese
    assert re.search(r"[\u4e00-\u9fff]", chinese), chinese
    assert str(result) == english
    with cp.display_options(lang="zh"):
        assert str(result) == chinese
    if "+00:00" in english:
        assert "+08:00" in result.to_text(tz="Asia/Shanghai")


@pytest.mark.parametrize("name", RESULT_TYPES)
def test_to_frame_gives_every_backend_the_same_rows(results, name):
    result = results[name]
    rows = {len(result.to_frame(backend)) for backend in ("pandas", "polars", "pyarrow")}
    assert len(rows) == 1
    assert rows.pop() > 0
