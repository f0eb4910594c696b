"""The command line's progress bar: a custpool.Progress drawn with rich, on a terminal only."""

from __future__ import annotations

import io

from rich.console import Console

from custpool.cli._output import progress_bar
from custpool.synth import SynthConfig, generate


def test_off_a_terminal_there_is_no_bar(capsys):
    with progress_bar("reading") as progress:
        assert progress is None  # pytest's stderr is not a terminal
    assert capsys.readouterr().err == ""


def test_on_a_terminal_the_bar_follows_the_callback():
    screen = io.StringIO()
    console = Console(file=screen, force_terminal=True, width=80)
    calls = []
    with progress_bar("generating 300 customers", console=console) as progress:
        assert progress is not None

        def both(done: int, total: int | None) -> None:
            calls.append((done, total))
            progress(done, total)

        pool = generate(SynthConfig(n_customers=300), seed=1, progress=both)
    assert pool.n_customers == 300
    assert calls[0][0] == 0
    assert calls[-1] == (calls[-1][1], calls[-1][1])  # ends at its total
    assert "generating 300 customers" in screen.getvalue()
