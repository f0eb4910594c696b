"""The `custpool` command, driven through its real entry point in a subprocess.

Every run is checked for what a user must never see: a traceback (unless --debug asks for one)
or a customer's contact handle. Pools are small so the whole file runs in well under a minute.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest

import custpool
from custpool.cli import main

if TYPE_CHECKING:
    from pathlib import Path

# Contact handles in the fixture files: none may ever be printed or written by the CLI.
HANDLES = ("+86 138 0013 8000", "wx_secret_ann", "ww-ext-777")


def run(*args: object, code: int | None = 0, process: bool = False) -> subprocess.CompletedProcess:
    """Run `custpool ARGS`: in a subprocess (`python -m custpool`), or in this process.

    A subprocess costs the package's import (about a second), so the real entry point is
    driven once or twice per command and the variations go through `main`, the function the
    console script and `python -m custpool` call.
    """
    argv = [str(a) for a in args]
    if process:
        proc = subprocess.run(
            [sys.executable, "-m", "custpool", *argv],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    else:
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = main(argv)
        proc = subprocess.CompletedProcess(argv, status, out.getvalue(), err.getvalue())
    seen = proc.stdout + proc.stderr
    if "--debug" not in argv:
        assert "Traceback" not in seen, seen
    for handle in HANDLES:
        assert handle not in seen, handle
    if code is not None:
        assert proc.returncode == code, (proc.returncode, proc.stderr)
    return proc


def one_line_error(proc: subprocess.CompletedProcess) -> str:
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert "error:" in lines[0]
    return lines[0]


@pytest.fixture(scope="module")
def pool_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("synth")
    proc = run("synth", "--customers", 300, "--seed", 5, "--out", folder, process=True)
    assert "events.csv" in proc.stdout
    return folder


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An analyst's exports: orders with their own column names, events, customers with phones."""
    folder = tmp_path_factory.mktemp("exports")
    (folder / "orders.csv").write_text(
        "buyer,order_time,amount_yuan,platform\n"
        "wx-01,2026-01-06 12:00,39.9,official_mall\n"
        "wx-01,2026-02-10 12:00,0.0,official_mall\n"
        "wx-02,2026-02-01 18:00,128.0,tmall\n"
        "wx-03,2026-03-01 08:00,59.555,jd\n"  # three decimals: rejected
        "wx-01,2026-03-15 12:00,45.0,tmall\n"
        "wx-04,not a date,10,tmall\n",  # a bad date: rejected
        encoding="utf-8",
    )
    (folder / "map.toml").write_text(
        '# custpool field = the export\'s column\ncustomer_id = "buyer"\nat = "order_time"\n'
        'amount = "amount_yuan"\nchannel = "platform"\n',
        encoding="utf-8",
    )
    (folder / "events.jsonl").write_text(
        "\n".join(
            json.dumps(row)
            for row in [
                {
                    "id": "i-1",
                    "customer_id": "c-1",
                    "at": "2026-03-01T10:00:00Z",
                    "kind": "connect",
                    "direction": "inbound",
                    "channel": "store",
                    "source": "store",
                },
                {
                    "id": "i-2",
                    "customer_id": "c-1",
                    "at": "2026-03-02T10:00:00Z",
                    "kind": "purchase",
                    "channel": "store",
                    "order_id": "o-1",
                    "amount": {"amount": "30.00", "currency": "CNY"},
                },
                {
                    "id": "i-3",
                    "customer_id": "c-1",
                    "at": "2026-03-09T10:00:00Z",
                    "kind": "purchase",
                    "channel": "store",
                    "order_id": "o-2",
                    "amount": {"amount": "50.00", "currency": "CNY"},
                },
                {
                    "id": "i-4",
                    "customer_id": "c-2",
                    "at": "2026-03-05T10:00:00Z",
                    "kind": "connect",
                    "direction": "inbound",
                    "channel": "store",
                    "source": "store",
                },
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    (folder / "customers.csv").write_text(
        "id,display_name,phone,wechat_id,wecom_external_id,tags\n"
        "c-1,Ann,+86 138 0013 8000,wx_secret_ann,ww-ext-777,interest:咖啡\n"
        "c-2,Bob,123,,,\n",  # a phone of three digits: rejected, and never shown
        encoding="utf-8",
    )
    return folder


# -- the command itself --------------------------------------------------------------------------


def test_version():
    assert run("--version", process=True).stdout == f"custpool {custpool.__version__}\n"


def test_help_lists_every_command():
    out = run("--help").stdout
    for command in ("demo", "report", "validate", "tiers", "rfm", "health", "synth", "schema"):
        assert f"  {command} " in out, command


def test_unknown_option_is_a_usage_error():
    line = one_line_error(run("report", "x.csv", "--bogus", code=2, process=True))
    assert "--bogus" in line


def test_unknown_command_is_a_usage_error():
    one_line_error(run("reprot", code=2))


def test_without_click_the_module_names_the_extra():
    code = (
        "import sys, runpy; sys.modules['click'] = None; "
        "runpy.run_module('custpool', run_name='__main__')"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert proc.returncode == 2
    assert proc.stderr.strip() == (
        'custpool: error: this needs the optional package click: pip install "custpool[cli]"'
    )


# -- demo ----------------------------------------------------------------------------------------


def test_demo_is_deterministic_for_a_seed():
    first = run("demo", "--customers", 400, "--seed", 3, process=True).stdout
    again = run("demo", "--customers", 400, "--seed", 3, process=True).stdout
    other = run("demo", "--customers", 400, "--seed", 4).stdout
    assert first == again
    assert first != other
    for title in (
        "Relationship tiers",
        "Six KPIs",
        "Growth",
        "Tier flows",
        "Lifetime value",
        "RFM",
        "ISOOC health",
        "copy 复制:",
    ):
        assert title in first, title


def strict_json(text: str) -> object:
    """Parse JSON as other languages do: NaN and Infinity are not JSON."""

    def refuse(name: str) -> object:
        raise ValueError(name)

    return json.loads(text, parse_constant=refuse)


def test_demo_json_counts_every_customer():
    data = strict_json(run("demo", "--customers", 400, "--format", "json").stdout)
    assert sum(data["states"].values()) == 400
    assert data["pool"]["customers"] == 400
    assert 0 <= data["health"]["overall"] <= 100
    fit = data["paradigm"]  # issue 14: the demo shows which ladder fits
    held = fit["held_back"]
    assert set(held) == {"nurture_first", "convert_first"}
    if held["nurture_first"] != held["convert_first"]:
        assert fit["better"] == min(held, key=held.get)
    assert fit["buyers_at_shallow"] <= fit["buyers"] <= 400


def test_demo_in_chinese():
    out = run("demo", "--customers", 200, "--lang", "zh").stdout
    assert "关系层级" in out
    assert "六大指标" in out
    assert "规模用户:" in out


def test_demo_writes_its_file_atomically(tmp_path: Path):
    target = tmp_path / "report.md"
    proc = run("demo", "--customers", 200, "--out", target)
    assert proc.stdout == ""
    assert target.read_text(encoding="utf-8").startswith("## Pool\n")  # format from the suffix
    assert [p.name for p in tmp_path.iterdir()] == ["report.md"]  # no temporary file left


# -- report, health, tiers, rfm on files ---------------------------------------------------------


def test_report_on_a_synthetic_folder(pool_dir: Path):
    proc = run(
        "report",
        pool_dir / "events.csv",
        "--customers",
        pool_dir / "customers.jsonl",
        "--activities",
        pool_dir / "activities.jsonl",
        "--charter",
        pool_dir / "charter.json",
        "--format",
        "json",
        process=True,
    )
    data = strict_json(proc.stdout)
    assert sum(data["states"].values()) == 300
    assert data["pool"]["name"].startswith("Synthetic coffee club")
    assert "300 rows read (300 accepted, 0 rejected)" in proc.stderr
    # the customers' interest tags reach health: the members measure is measured
    measures = {m["measure"]: m for d in data["health"]["dimensions"] for m in d["measures"]}
    assert measures["interest.members"]["score"] is not None


def test_report_maps_columns_and_reports_rejections(files: Path, tmp_path: Path):
    rejects = tmp_path / "rejects.csv"
    proc = run(
        "report",
        files / "orders.csv",
        "--columns",
        files / "map.toml",
        "--kind",
        "purchase",
        "--currency",
        "CNY",
        "--timezone",
        "Asia/Shanghai",
        "--rejects",
        rejects,
        "--as-of",
        "2026-04-01",
        "--tz",
        "Asia/Shanghai",
        "--format",
        "json",
    )
    data = strict_json(proc.stdout)
    assert data["pool"]["events"] == 4  # 6 rows - 2 rejected
    assert data["pool"]["as_of"] == "2026-04-01T00:00:00+08:00"
    assert "6 rows read (4 accepted, 2 rejected)" in proc.stderr
    rows = list(csv.DictReader(rejects.read_text(encoding="utf-8").splitlines()))
    # a mapped CSV is read as text cells, so the amount is shown as the text it was
    assert [(r["field"], r["value"]) for r in rows] == [
        ("amount_yuan", "'59.555'"),
        ("order_time", "'not a date'"),
    ]


def test_report_reads_parquet_with_the_same_mapping(files: Path, tmp_path: Path):
    pa_csv = pytest.importorskip("pyarrow.csv")
    pq = pytest.importorskip("pyarrow.parquet")
    parquet = tmp_path / "orders.parquet"
    pq.write_table(pa_csv.read_csv(files / "orders.csv"), parquet)
    proc = run(
        "report",
        parquet,
        "--columns",
        files / "map.toml",
        "--kind",
        "purchase",
        "--currency",
        "CNY",
        "--timezone",
        "Asia/Shanghai",
        "--format",
        "json",
    )
    assert strict_json(proc.stdout)["pool"]["events"] == 4
    assert "6 rows read (4 accepted, 2 rejected)" in proc.stderr


def test_report_with_column_flags_equals_the_mapping_file(files: Path):
    flags = run(
        "report",
        files / "orders.csv",
        "--column",
        "customer_id=buyer",
        "--column",
        "at=order_time",
        "--column",
        "amount=amount_yuan",
        "--column",
        "channel=platform",
        "--kind",
        "purchase",
        "--currency",
        "CNY",
        "--timezone",
        "Asia/Shanghai",
        "--format",
        "json",
    ).stdout
    mapped = run(
        "report",
        files / "orders.csv",
        "--columns",
        files / "map.toml",
        "--kind",
        "purchase",
        "--currency",
        "CNY",
        "--timezone",
        "Asia/Shanghai",
        "--format",
        "json",
    ).stdout
    assert flags == mapped


def test_strict_rejections_are_a_data_error(files: Path, tmp_path: Path):
    rejects = tmp_path / "rejects.csv"
    proc = run(
        "report",
        files / "orders.csv",
        "--columns",
        files / "map.toml",
        "--kind",
        "purchase",
        "--currency",
        "CNY",
        "--timezone",
        "Asia/Shanghai",
        "--strict",
        "--rejects",
        rejects,
        code=1,
    )
    assert proc.stdout == ""
    assert "2 row(s) rejected (--strict)" in proc.stderr.splitlines()[-1]
    assert len(rejects.read_text(encoding="utf-8").splitlines()) == 3  # header + 2 problems


def test_missing_file_is_a_data_error(tmp_path: Path):
    line = one_line_error(run("report", tmp_path / "nope.csv", code=1, process=True))
    assert "no such file" in line


def test_bad_column_is_a_data_error(files: Path):
    proc = run(
        "report",
        files / "orders.csv",
        "--column",
        "customer_id=nobody",
        "--kind",
        "purchase",
        code=1,
    )
    line = one_line_error(proc)
    assert "nobody" in line
    assert "buyer" in line  # the columns the file has


def test_bad_date_option_is_a_usage_error(files: Path):
    line = one_line_error(run("report", files / "events.jsonl", "--as-of", "yesterday", code=2))
    assert "'yesterday'" in line


def test_bad_window_and_zone_are_usage_errors(files: Path):
    one_line_error(run("report", files / "events.jsonl", "--window", "month", code=2))
    one_line_error(run("report", files / "events.jsonl", "--tz", "Mars/Base", code=2))


def test_broken_mapping_file_is_a_usage_error(files: Path, tmp_path: Path):
    broken = tmp_path / "map.toml"
    broken.write_text("at = [\n", encoding="utf-8")
    line = one_line_error(run("report", files / "orders.csv", "--columns", broken, code=2))
    assert "not a TOML mapping file" in line


def test_debug_shows_the_traceback(tmp_path: Path):
    proc = run("--debug", "report", tmp_path / "nope.csv", code=1)
    assert "Traceback" in proc.stderr
    assert proc.stderr.strip().splitlines()[-1].startswith("custpool: error:")


def test_tiers_per_customer(files: Path, tmp_path: Path):
    out = tmp_path / "tiers.csv"
    run(
        "tiers",
        files / "events.jsonl",
        "--as-of",
        "2026-03-06T00:00:00Z",
        "--paradigm",
        "convert_first",
        "--out",
        out,
        process=True,
    )
    rows = list(csv.DictReader(out.read_text(encoding="utf-8").splitlines()))
    # On 03-06, c-1 has connected (03-01) and bought once (03-02): convert-first puts the
    # order before engagement, so converted since 03-02; at most 2 interactions, below the 3 that
    # engaged needs (the second order, 03-09, comes later). c-2 only connected (03-05).
    assert [(r["customer_id"], r["state"], r["since"]) for r in rows] == [
        ("c-1", "converted", "2026-03-02T10:00:00+00:00"),
        ("c-2", "connected", "2026-03-05T10:00:00+00:00"),
    ]
    assert all(r["next_action"] and r["advice"] for r in rows)


def test_tiers_equal_the_library(files: Path):
    history = [
        i
        for i in custpool.read_events(files / "events.jsonl").table.interactions()
        if i.customer_id == "c-2"
    ]
    as_of = custpool.EXAMPLE_START.replace(year=2026, month=3, day=10)
    state = custpool.classify(history, custpool.Policy(), as_of)
    action = custpool.next_action(state, custpool.Policy())
    rows = strict_json(
        run(
            "tiers",
            files / "events.jsonl",
            "--as-of",
            as_of.isoformat(),
            "--format",
            "json",
            "--lang",
            "zh",
        ).stdout
    )
    assert rows[1]["state"] == state.state.label_zh
    assert rows[1]["advice"] == action.text_zh


def test_rfm_hand_checked(files: Path):
    rows = strict_json(
        run(
            "rfm", files / "events.jsonl", "--as-of", "2026-03-10", "--format", "json", process=True
        ).stdout
    )
    # c-1 bought on 03-02 and 03-09: one repeat day (frequency 1), recency 7 days, T 8 days
    # (03-02 → 03-10), monetary value the repeat order's 50.00.
    assert rows == [
        {"customer_id": "c-1", "frequency": 1.0, "recency": 7.0, "T": 8.0, "monetary_value": 50.0}
    ]


def test_health(files: Path):
    data = strict_json(
        run("health", files / "events.jsonl", "--format", "json", process=True).stdout
    )
    assert set(data) == {"pool", "health"}
    assert data["health"]["members"] == 2


# -- validate ------------------------------------------------------------------------------------


def test_validate_customers_masks_contacts(files: Path, tmp_path: Path):
    rejects = tmp_path / "rejects.csv"
    proc = run(
        "validate",
        files / "customers.csv",
        "--model",
        "customers",
        "--rejects",
        rejects,
        process=True,
    )
    assert "2 rows read (1 accepted, 1 rejected)" in proc.stdout
    assert "contacts.phone=<secret, 3 chars>" in proc.stdout
    written = rejects.read_text(encoding="utf-8")
    assert "<secret, 3 chars>" in written
    assert ",123," not in written


def test_validate_strict_exits_1(files: Path):
    proc = run("validate", files / "customers.csv", "--model", "customers", "--strict", code=1)
    assert "1 row(s) rejected (--strict)" in proc.stderr


def test_validate_a_clean_file(files: Path):
    data = strict_json(run("validate", files / "events.jsonl", "--format", "json").stdout)
    assert (data["rows_read"], data["rows_rejected"], data["rejections"]) == (4, 0, [])


def test_validate_missing_file(tmp_path: Path):
    one_line_error(run("validate", tmp_path / "none.jsonl", code=1))


# -- synth and schema ----------------------------------------------------------------------------


def test_synth_files_are_readable(pool_dir: Path):
    names = sorted(p.name for p in pool_dir.iterdir())
    assert names == ["activities.jsonl", "charter.json", "customers.jsonl", "events.csv"]
    load = custpool.read_events(pool_dir / "events.csv")
    assert load.rows_rejected == 0
    assert load.table.n_customers == 300


def test_schema_lists_and_prints_models():
    listing = run("schema", process=True).stdout
    assert "customer" in listing
    assert "interaction" in listing
    schema = strict_json(run("schema", "Customer").stdout)
    assert schema == custpool.Customer.model_json_schema()
    one_line_error(run("schema", "nothing", code=2))


# -- bad input for every command -----------------------------------------------------------------


@pytest.mark.parametrize("command", ["report", "health", "tiers", "rfm"])
def test_file_commands_refuse_bad_input(command: str, files: Path, tmp_path: Path):
    one_line_error(run(command, tmp_path / "missing.jsonl", code=1))
    one_line_error(run(command, files / "events.jsonl", "--as-of", "03/10/2026", code=2))
    one_line_error(run(command, files / "events.jsonl", "--nope", code=2))


@pytest.mark.parametrize(
    "args",
    [
        ("demo", "--customers", "0"),
        ("demo", "--lang", "fr"),
        ("demo", "--paradigm", "sell_first"),
        ("synth", "--customers", "10"),  # no --out
        ("validate", "x.csv", "--model", "orders"),
    ],
    ids=" ".join,
)
def test_bad_options_are_usage_errors(args: tuple[str, ...]):
    one_line_error(run(*args, code=2))


def test_an_output_folder_that_does_not_exist_is_a_data_error(tmp_path: Path):
    line = one_line_error(
        run("demo", "--customers", 50, "--out", tmp_path / "no" / "such" / "r.txt", code=1)
    )
    assert "No such file or directory" in line


def test_demo_shows_churn_causes_and_growth_sources():
    # issue 15: the demo shows why customers left and where growth came from
    data = strict_json(run("demo", "--customers", 400, "--format", "json").stdout)
    churn = data["churn"]
    assert sum(churn["by_cause"].values()) == churn["churners"]  # the causes partition them
    assert set(churn["by_cause"]) == {"service", "quality", "price", "logistics", "other", "none"}
    for period in data["sources"]["periods"]:
        new = sum(period["new_by_source"].values())
        assert period["net_change"] == new + period["returned"] - period["churned"]
    readiness = data["readiness"]  # seed 001: the synthetic charter declares a brand
    assert readiness["brand"] is not None
    assert readiness["verdict"] in {"pool", "no_pool", "undetermined"}
    assert len(readiness["items"]) == 10  # six steps and four ways of sticking
    text = run("demo", "--customers", 200, "--lang", "zh").stdout
    assert "客户为什么流失" in text
    assert "增长从哪里来" in text
    assert "私域准备度" in text
