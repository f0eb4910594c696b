"""The tour notebook (examples/tour.ipynb) runs from top to bottom and shows its results.

It is committed without outputs and executed here with nbclient in a fresh kernel: no cell may
raise, every cell ending in a result shows it as custpool's HTML table, and every plot cell
draws a figure.
"""

from __future__ import annotations

from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

TOUR = Path(__file__).parents[2] / "examples" / "tour.ipynb"


@pytest.fixture(scope="module")
def executed():
    notebook = nbformat.read(TOUR, as_version=4)
    client = nbclient.NotebookClient(
        notebook,
        timeout=120,
        kernel_name="python3",
        resources={"metadata": {"path": str(TOUR.parent)}},
    )
    client.execute()
    return notebook


def code_cells(notebook):
    return [cell for cell in notebook.cells if cell.cell_type == "code"]


def test_committed_without_outputs():
    notebook = nbformat.read(TOUR, as_version=4)
    assert all(not cell.outputs for cell in code_cells(notebook))
    assert all(cell.execution_count is None for cell in code_cells(notebook))


def test_no_cell_raises(executed):
    errors = [o for c in code_cells(executed) for o in c.outputs if o.output_type == "error"]
    assert errors == []


def test_results_show_as_tables_and_plots_as_figures(executed):
    html = images = 0
    for cell in code_cells(executed):
        data = [o.get("data", {}) for o in cell.outputs]
        last_line = cell.source.strip().splitlines()[-1]
        if "plot." in cell.source:
            assert any("image/png" in d for d in data), cell.source
            images += 1
        shown_names = ("cp.", "tiers", "kpis", "growth", "flows", "ltv", "rfm", "health")
        if last_line.startswith(shown_names) and "to_frame" not in last_line:
            shown = [d["text/html"] for d in data if "text/html" in d]
            assert shown, cell.source
            assert shown[0].startswith('<table class="custpool"'), shown[0][:80]
            html += 1
    # tiers, kpis, growth, flows, ltv, rfm, health, churn causes, growth breakdown, capture
    assert html == 10
    # states + funnel (one figure), growth, flows, value, rfm, health
    assert images == 6


def test_the_frame_is_read_whole(executed):
    printed = "".join(
        o.text for c in code_cells(executed) for o in c.outputs if o.output_type == "stream"
    )
    line = next(x for x in printed.splitlines() if "rows read into a table of" in x)
    rows, events = (int(w.replace(",", "")) for w in line.split() if w[0].isdigit())
    assert rows == events > 20_000  # 3,000 customers × about 10 events, none lost
