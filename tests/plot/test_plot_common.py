"""What every plot shares: languages and fonts, the extra, no global state, the Axes given."""

import io
import subprocess
import sys
import warnings
from pathlib import Path

import matplotlib as mpl
import pytest
from matplotlib import pyplot as plt
from plot_helpers import NAMES, close_figures, every_plot, hand_snapshots, synthetic  # noqa: F401

import custpool as cp
import custpool.plot
from custpool.plot import FontFallbackWarning, cjk_font, plot_funnel, plot_states
from custpool.plot import _common as common


def figure_of(drawn):
    return drawn if isinstance(drawn, mpl.figure.Figure) else drawn.figure


CLV_PLOTS = {"plot_clv_matrix", "plot_calibration_holdout"}  # they draw custpool.clv's models


def test_every_public_function_is_tested_here():
    functions = {n for n in custpool.plot.__all__ if n.startswith("plot_")}
    assert functions == set(NAMES) | CLV_PLOTS
    clv_tests = (Path(__file__).parents[1] / "clv" / "test_clv_plots.py").read_text("utf-8")
    assert all(f"{name}(" in clv_tests for name in CLV_PLOTS)


@pytest.mark.parametrize("name", NAMES)
def test_no_plot_shows_or_changes_global_settings(name, monkeypatch):
    monkeypatch.setattr(plt, "show", lambda *_, **__: pytest.fail("plt.show was called"))
    before = dict(mpl.rcParams)
    drawn = every_plot()[name]("en")
    assert dict(mpl.rcParams) == before
    figure_of(drawn).savefig(io.BytesIO(), format="png")  # draws, with warnings as errors


@pytest.mark.parametrize("name", sorted(set(NAMES) - {"plot_growth", "plot_health"}))
def test_each_plot_draws_on_the_axes_given(name):
    fig, ax = plt.subplots()
    s = synthetic()
    results = {
        "plot_states": s.tiers, "plot_funnel": s.tiers, "plot_flows": s.flows,
        "plot_flow_matrix": s.flows, "plot_health_trend": s.trend, "plot_value": s.ltv,
        "plot_rfm": s.rfm, "plot_fission": s.fission, "plot_channels": s.channels,
    }  # fmt: skip
    assert getattr(custpool.plot, name)(results[name], ax=ax) is ax
    assert plt.gcf() is fig  # no new figure


@pytest.mark.parametrize("lang", ["fr", "EN", ""])
def test_an_unknown_language_is_refused(lang):
    with pytest.raises(cp.ValidationError, match="lang"):
        plot_states(hand_snapshots(), lang=lang)


def test_a_language_that_is_not_a_string_is_refused():
    with pytest.raises(cp.WrongTypeError, match="lang"):
        plot_states(hand_snapshots(), lang=None)


def test_an_axes_that_is_not_one_is_refused():
    with pytest.raises(cp.WrongTypeError, match="ax"):
        plot_states(hand_snapshots(), ax="left")


def test_chinese_without_a_font_falls_back_to_english_once(monkeypatch):
    monkeypatch.setattr(common, "cjk_font", lambda: None)
    monkeypatch.setattr(common, "_warned", [False])
    with pytest.warns(FontFallbackWarning, match="fonts-noto-cjk"):
        ax = plot_states(hand_snapshots(), lang="zh")
    assert [t.get_text() for t in ax.get_xticklabels()][:2] == ["prospect", "connected"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the second plot does not warn again
        again = plot_funnel(hand_snapshots(), lang="zh")
    assert again.get_yticklabels()[0].get_text() == "connected"


def test_english_never_looks_for_a_font(monkeypatch):
    monkeypatch.setattr(common, "cjk_font", lambda: pytest.fail("looked for a font"))
    plot_states(hand_snapshots(), lang="en")


needs_cjk = pytest.mark.skipif(cjk_font() is None, reason="no font with Chinese glyphs installed")


@needs_cjk
@pytest.mark.parametrize("name", NAMES)
def test_chinese_labels_render_in_a_chinese_font_without_missing_glyphs(name):
    drawn = every_plot()[name]("zh")
    figure = figure_of(drawn)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns "Glyph … missing from font(s)"
        figure.savefig(io.BytesIO(), format="png")
    texts = [t for t in figure.findobj(mpl.text.Text) if any(ord(c) > 0x2E80 for c in t.get_text())]
    assert texts, "no Chinese label drawn"
    assert all(t.get_fontfamily() == [cjk_font()] for t in texts)


@needs_cjk
def test_chinese_state_labels():
    ax = plot_states(hand_snapshots(), lang="zh")
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert labels == [s.label_zh for s in sorted(cp.State, key=lambda s: s.code)]
    assert ax.get_ylabel() == "客户数"


def test_the_font_found_holds_chinese_glyphs():
    font = cjk_font()
    if font is not None:
        paths = [e.fname for e in mpl.font_manager.fontManager.ttflist if e.name == font]
        assert any(common._holds_chinese(p) for p in paths)
    assert not common._holds_chinese(mpl.font_manager.findfont("DejaVu Sans"))


def run(code):
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)


def test_importing_custpool_never_imports_matplotlib():
    proc = run("import sys, custpool, custpool.synth; print('matplotlib' in sys.modules)")
    assert proc.stdout.strip() == "False", proc.stderr


def test_importing_the_plots_without_matplotlib_names_the_extra():
    code = (
        "import sys; sys.modules['matplotlib'] = None\n"
        "try:\n    import custpool.plot\n"
        "except ImportError as error:\n    print(type(error).__name__, error)\n"
    )
    proc = run(code)
    assert proc.stdout.strip() == (
        "MissingDependencyError this needs the optional package matplotlib: "
        'pip install "custpool[plot]"'
    ), proc.stderr


def test_public_names_report_their_public_module():
    # the classes and functions; constants and type aliases have no module of their own
    claimed = [n for n in custpool.plot.__all__ if n.startswith("plot_")]
    claimed += ["FontFallbackWarning", "cjk_font"]
    assert {getattr(custpool.plot, n).__module__ for n in claimed} == {"custpool.plot"}


def test_the_fallback_warning_points_at_the_callers_line(monkeypatch):
    monkeypatch.setattr(common, "cjk_font", lambda: None)
    for plot in (lambda: plot_states(hand_snapshots(), lang="zh"),
                 lambda: custpool.plot.plot_growth(synthetic().growth, lang="zh")):  # fmt: skip
        monkeypatch.setattr(common, "_warned", [False])
        with pytest.warns(FontFallbackWarning) as caught:
            plot()
        assert caught[0].filename == __file__
