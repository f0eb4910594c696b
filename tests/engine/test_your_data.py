"""docs/your-data.md's fourteen statements on pandas, polars and pyarrow frames alike."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow as pa
import pytest

PAGE = Path(__file__).parents[2] / "docs" / "your-data.md"


def blocks() -> list[str]:
    """The page's code blocks as Python source (the doctest prompts removed)."""
    found = re.findall(r"```python\n(.*?)```", PAGE.read_text(encoding="utf-8"), re.DOTALL)
    return [
        "\n".join(line[4:] for line in block.splitlines() if line[:4] in {">>> ", "... "})
        for block in found
    ]


def convert(frame: Any, backend: str) -> Any:
    if backend == "polars":
        return pl.from_pandas(frame)
    if backend == "pyarrow":
        return pa.Table.from_pandas(frame, preserve_index=False)
    return frame


def statements(source: str) -> int:
    return sum(1 for line in source.splitlines() if line and not line.startswith(" "))


def test_the_page_does_it_in_at_most_fifteen_statements():
    assert statements(blocks()[1]) == 13


@pytest.mark.parametrize("backend", ["pandas", "polars", "pyarrow"])
def test_the_three_exports_give_the_same_results_on_every_backend(backend: str):
    exports, steps = blocks()[:2]
    space: dict[str, Any] = {}
    exec(exports, space)  # noqa: S102 - the documentation's own code
    for name in ("contacts", "orders", "messages"):
        space[name] = convert(space[name], backend)
    exec(steps, space)  # noqa: S102
    table, tiers, rfm = space["table"], space["tiers"], space["rfm"]
    # 4 contacts + 5 orders + 6 messages
    assert (len(table), table.n_customers, table.currency) == (15, 4, "CNY")
    tiers_frame = space["frames"][0]
    assert tiers_frame["state"].tolist() == ["converted", "converted", "converted", "connected"]
    # wx-01: orders on three days (39.90, a free 0.00, 45.00): 2 repeat days, mean (0 + 4500) / 2
    row = rfm.to_dict()
    assert row["frequency"][0] == 2
    assert row["monetary_value"][0] == 22.5
    assert tiers.customer_ids[:] == ("wx-01", "wx-02", "wx-03", "wx-04")
    tags = space["tags"]
    assert sorted(str(t) for t in tags.tags_of("wx-01")) == ["interest:咖啡", "vip"]
