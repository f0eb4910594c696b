"""mkdocs hook: draw docs/plots.md's figures at build time, so no image is committed.

Each plot function draws the synthetic pool of docs/plots.md (500 customers, seed 7) with Agg;
the PNGs join the site as generated files under ``images/plots/`` (``File.generated``, mkdocs ≥
1.6), so ``mkdocs build --strict`` checks the page's links to them like any other. Without
matplotlib (a docs build without the ``plot`` extra) the build stops with an error naming it.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from mkdocs.structure.files import File, Files

if TYPE_CHECKING:
    from collections.abc import Callable

    from mkdocs.config.defaults import MkDocsConfig

FOLDER = "images/plots"


def _drawings() -> dict[str, Callable[[], Any]]:
    import custpool as cp  # noqa: PLC0415 - imported only when the site is built
    from custpool import plot as cpp  # noqa: PLC0415
    from custpool.synth import SynthConfig, generate  # noqa: PLC0415

    pool = generate(SynthConfig(n_customers=500), seed=7)
    table, policy = pool.table, cp.Policy()
    ends = [datetime(2025, m, 1, tzinfo=UTC) for m in (3, 6, 9, 12)]
    snapshots = cp.tier_snapshots(table, policy, ends)
    flows = snapshots.flows()
    trend = cp.health_trend(table, pool.charter, ends, activities=pool.activities)
    return {
        "plot_states": lambda: cpp.plot_states(snapshots),
        "plot_funnel": lambda: cpp.plot_funnel(snapshots),
        "plot_flows": lambda: cpp.plot_flows(flows),
        "plot_flow_matrix": lambda: cpp.plot_flow_matrix(flows, share=True),
        "plot_growth": lambda: cpp.plot_growth(cp.pool_growth(table, ends)),
        "plot_health": lambda: cpp.plot_health(trend[-1]),
        "plot_health_trend": lambda: cpp.plot_health_trend(trend),
        "plot_value": lambda: cpp.plot_value(cp.tier_ltv(table, snapshots, discount_rate=0.05)),
        "plot_rfm": lambda: cpp.plot_rfm(cp.rfm_summary(table, ends[-1])),
        "plot_fission": lambda: cpp.plot_fission(cp.fission(table, policy, ends[0], ends[-1])),
        "plot_channels": lambda: cpp.plot_channels(
            cp.channel_attribution(table, ends[0], ends[-1])
        ),
    }


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Add one generated PNG per plot function to the site's files."""
    import matplotlib as mpl  # noqa: PLC0415

    mpl.use("Agg")
    from matplotlib import pyplot as plt  # noqa: PLC0415

    for name, draw in _drawings().items():
        drawn = draw()
        figure = drawn if isinstance(drawn, mpl.figure.Figure) else drawn.figure
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=80, bbox_inches="tight")
        plt.close(figure)
        files.append(File.generated(config, f"{FOLDER}/{name}.png", content=buffer.getvalue()))
    return files
