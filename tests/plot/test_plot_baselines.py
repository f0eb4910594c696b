"""Baselines: each plot of a fixed synthetic pool, drawn with Agg, equals its recorded form.

A baseline is what the figure holds, not its pixels: every Axes' title and labels, its limits,
the texts, the lines' points, the patches (kind, geometry, colour), the images' values, the
collections' points and the legend, rounded to 4 significant decimals, in
``tests/plot/baselines/<name>.json``. Pixel baselines (pytest-mpl) were rejected because they
change with the FreeType and matplotlib versions a fresh CI install brings; this comparison is
as strict about what is drawn and blind only to how the rasteriser antialiases it. Tick labels
are recorded where the plot sets them (categories), not where matplotlib's locator chooses them.

To record the baselines again after an intended change, run
``CUSTPOOL_RECORD_BASELINES=1 pytest tests/plot/test_plot_baselines.py`` and review the diff.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import matplotlib as mpl
import numpy as np
import pytest
from matplotlib import ticker
from plot_helpers import NAMES, close_figures, every_plot  # noqa: F401

BASELINES = Path(__file__).parent / "baselines"
RECORD = os.environ.get("CUSTPOOL_RECORD_BASELINES") == "1"
INLINE = 40  # numbers written out in full; a longer array is kept as its size, sum and digest


def numbers(values: object) -> object:
    array = np.round(np.asarray(values, dtype=float), 4) + 0.0  # + 0.0: no negative zero
    if array.size <= INLINE:
        return array.tolist()
    digest = hashlib.sha256(np.ascontiguousarray(array).tobytes()).hexdigest()[:16]
    return {"shape": list(array.shape), "sum": round(float(np.nansum(array)), 4), "sha": digest}


def colour(value: object) -> str:
    return mpl.colors.to_hex(value, keep_alpha=True)


def fixed_labels(axis: mpl.axis.Axis) -> list[str] | None:
    if not isinstance(axis.get_major_locator(), ticker.FixedLocator):
        return None
    return [label.get_text() for label in axis.get_ticklabels()]


def patch_form(patch: mpl.patches.Patch) -> dict[str, object]:
    vertices = patch.get_path().vertices
    shape = patch.get_patch_transform().transform(vertices) if len(vertices) else vertices
    return {
        "kind": type(patch).__name__,
        "points": numbers(shape),
        "face": colour(patch.get_facecolor()),
        "edge": colour(patch.get_edgecolor()),
    }


def axes_form(ax: mpl.axes.Axes) -> dict[str, object]:
    legend = ax.get_legend()
    return {
        "kind": type(ax).__name__,
        "title": ax.get_title(),
        "xlabel": ax.get_xlabel(),
        "ylabel": ax.get_ylabel(),
        "xlim": numbers(ax.get_xlim()),
        "ylim": numbers(ax.get_ylim()),
        "xticklabels": fixed_labels(ax.xaxis),
        "yticklabels": fixed_labels(ax.yaxis),
        "texts": [[t.get_text(), numbers(t.get_position())] for t in ax.texts],
        "lines": [[numbers(line.get_xydata()), colour(line.get_color())] for line in ax.lines],
        "patches": [patch_form(p) for p in ax.patches],
        "images": [numbers(np.ma.filled(image.get_array(), np.nan)) for image in ax.images],
        "collections": [
            [type(c).__name__, len(c.get_paths()), numbers(c.get_offsets())] for c in ax.collections
        ],
        "legend": None if legend is None else [t.get_text() for t in legend.get_texts()],
    }


def figure_form(drawn: object) -> list[dict[str, object]]:
    figure = drawn if isinstance(drawn, mpl.figure.Figure) else drawn.figure
    figure.canvas.draw()
    return [axes_form(ax) for ax in figure.axes]


@pytest.mark.parametrize("name", NAMES)
def test_plot_equals_its_baseline(name):
    form = json.loads(json.dumps(figure_form(every_plot()[name]("en"))))
    path = BASELINES / f"{name}.json"
    if RECORD:
        BASELINES.mkdir(exist_ok=True)
        path.write_text(json.dumps(form, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    assert path.exists(), f"no baseline for {name}: record it (see this module's docstring)"
    assert form == json.loads(path.read_text(encoding="utf-8"))


def test_a_changed_figure_differs_from_its_baseline():
    """The comparison sees a one-pixel-wide change: a bar 0.0001 taller is another figure."""
    drawn = every_plot()["plot_states"]("en")
    before = figure_form(drawn)
    ax = drawn if isinstance(drawn, mpl.axes.Axes) else drawn.figure.axes[0]
    bar = ax.patches[0]
    bar.set_height(bar.get_height() + 0.001)
    assert figure_form(drawn) != before
