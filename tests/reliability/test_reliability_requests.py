"""Bad requests on the command line: exit code 2, one clear line, no stack trace, no SQL from input.

Each request runs as a real `tradepulse` subprocess, so what the user sees is what is tested.
"""

import hashlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from reliability_helpers import TRADEPULSE, SqlSpy, small_warehouse

from pipelines.cli import main
from pipelines.publish.snapshot import publish_snapshot

# A uid that no user namespace below maps: files it owns obey their mode bits even for root.
STRANGER = 54321
UNSHARE = ["unshare", "--user", "--map-root-user"]


def tradepulse(*args: str, env: dict[str, str], prefix: tuple[str, ...] = ()) -> tuple[int, str]:
    """Run `tradepulse ARGS`; its exit code and standard error (standard output must be empty)."""
    completed = subprocess.run(
        [*prefix, str(TRADEPULSE), *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert completed.stdout == ""
    assert "Traceback" not in completed.stderr
    return completed.returncode, completed.stderr


@pytest.fixture
def published(tmp_path: Path) -> dict[str, str]:
    """A published marts dir; the environment that points `tradepulse kpi` at it."""
    marts = tmp_path / "marts"
    publish_snapshot(small_warehouse(tmp_path / "warehouse.duckdb"), marts)
    return {"TRADEPULSE_MARTS_DIR": str(marts)}


def digest(path: Path) -> str:
    """SHA-256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


KPI = ["kpi", "--metric", "active_buyers", "--period", "2023-H1"]


@pytest.mark.case("RQ-01")
def test_kpi_with_an_unknown_metric(published: dict[str, str]) -> None:
    code, err = tradepulse("kpi", "--metric", "buyers", "--period", "2023-H1", env=published)

    assert (code, err) == (
        2,
        "tradepulse kpi: error: unknown metric 'buyers'; valid: active_buyers, listed_suppliers\n",
    )


@pytest.mark.case("RQ-02")
@pytest.mark.parametrize("period", ["2023-H3", "23-H1", "2023-13", "H1 2023", ""])
def test_kpi_with_a_malformed_period(published: dict[str, str], period: str) -> None:
    code, err = tradepulse("kpi", "--metric", "active_buyers", "--period", period, env=published)

    if period == "":
        assert err == (
            "tradepulse kpi: error: --metric and --period are required (or use --list / diff)\n"
        )
    else:
        assert err == (
            f"tradepulse kpi: error: malformed period {period!r}; use YYYY, YYYY-MM, YYYY-Qn or "
            "YYYY-Hn (e.g. 2023, 2023-06, 2023-Q2, 2023-H1)\n"
        )
    assert code == 2


HOSTILE = [
    (
        ["--metric", "active_buyers'; drop table kpi_growth; --", "--period", "2023-H1"],
        "unknown metric \"active_buyers'; drop table kpi_growth; --\"; valid: active_buyers, "
        "listed_suppliers",
    ),
    (
        ["--metric", "active_buyers", "--period", "2023-H1' or '1'='1"],
        "malformed period \"2023-H1' or '1'='1\"; use YYYY, YYYY-MM, YYYY-Qn or YYYY-Hn "
        "(e.g. 2023, 2023-06, 2023-Q2, 2023-H1)",
    ),
    (
        ["--metric", "active_buyers", "--period", "2023-H1", "--dimension", 'all" or 1=1 --'],
        "unknown dimension 'all\" or 1=1 --'; valid: all",
    ),
    (
        ["--metric", "listed_suppliers", "--period", "2023-H1", "--dimension", "supplier_country",
         "--value", "VN' union select * from kpi_history --"],
        "unknown value of supplier_country \"VN' union select * from kpi_history --\"; "
        "valid: CN, VN",
    ),
    (
        ["--metric", "active_buyers\u202e\U0001f4a5", "--period", "2023-H1"],
        # repr() escapes the right-to-left override: the message cannot be turned around.
        "unknown metric 'active_buyers\\u202e\U0001f4a5'; valid: active_buyers, listed_suppliers",
    ),
]  # fmt: skip


@pytest.mark.case("RQ-03")
@pytest.mark.parametrize(("args", "message"), HOSTILE, ids=range(len(HOSTILE)))
def test_kpi_with_hostile_strings(
    published: dict[str, str],
    args: list[str],
    message: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    marts_file = Path(published["TRADEPULSE_MARTS_DIR"]) / "marts.duckdb"
    before = digest(marts_file)

    code, err = tradepulse("kpi", *args, env=published)

    assert (code, err) == (2, f"tradepulse kpi: error: {message}\n")
    # The same request in process, every statement DuckDB receives recorded: the values reach it
    # only as bound parameters, never inside the SQL text.
    monkeypatch.setenv("TRADEPULSE_MARTS_DIR", published["TRADEPULSE_MARTS_DIR"])
    spy = SqlSpy.install(monkeypatch)
    assert main(["kpi", *args]) == 2
    assert capsys.readouterr().err == err
    hostile = [value for value in args if set(value) & set("'\";") or not value.isascii()]
    assert hostile
    assert [text for text in spy.statements if any(value in text for value in hostile)] == []
    # The spy does see statements: a valid request goes through it too.
    assert main(KPI) == 0
    assert any("?" in text for text in spy.statements)
    assert digest(marts_file) == before


GENERATE_DATES = [
    (["--start", "2023-02-30"], "argument --start: '2023-02-30' is not a date like 2023-10-31"),
    (["--end", "31/10/2023"], "argument --end: '31/10/2023' is not a date like 2023-10-31"),
    (
        ["--start", "2023-06-01", "--end", "2023-01-01"],
        "--end 2023-01-01 is before --start 2023-06-01; swap them",
    ),
    (
        ["--start", "1999-01-01"],
        "the sample must lie within 2012-01-01 .. 2023-12-31 (the span of the FX seed and "
        "supplier history), not 1999-01-01 .. 2023-10-31",
    ),
]


@pytest.mark.case("RQ-04")
@pytest.mark.parametrize(("args", "message"), GENERATE_DATES, ids=range(len(GENERATE_DATES)))
def test_generate_with_bad_dates(tmp_path: Path, args: list[str], message: str) -> None:
    out = tmp_path / "raw"

    code, err = tradepulse("generate", *args, "--out", str(out), env={})

    assert (code, err.splitlines()[-1]) == (2, f"tradepulse generate: error: {message}")
    assert not out.exists()


GENERATE_SIZES = [
    (["--order-lines", "-5"], "--order-lines must be between 10,000 and 50,000,000, not -5"),
    (["--order-lines", "0"], "--order-lines must be between 10,000 and 50,000,000, not 0"),
    (["--seed", "-1"], "--seed must be 0 or more, not -1"),
    (["--faults", "-0.5"], "--faults is a share of rows between 0 and 0.5"),
    (["--order-lines", "1e6"], "argument --order-lines: invalid int value: '1e6'"),
]


@pytest.mark.case("RQ-05")
@pytest.mark.parametrize(("args", "message"), GENERATE_SIZES, ids=range(len(GENERATE_SIZES)))
def test_generate_with_negative_or_bad_sizes(tmp_path: Path, args: list[str], message: str) -> None:
    out = tmp_path / "raw"

    code, err = tradepulse("generate", *args, "--out", str(out), env={})

    assert (code, err.splitlines()[-1]) == (2, f"tradepulse generate: error: {message}")
    assert not out.exists()


@pytest.mark.case("RQ-06")
def test_import_online_retail_with_a_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "online retail; 'II'.xlsx"

    out = tmp_path / "raw"

    code, err = tradepulse("import", "online-retail", str(missing), "--out", str(out), env={})

    assert (code, err.splitlines()[-1]) == (
        2,
        f"tradepulse import: error: {missing}: no such file; pass the path of an Online Retail "
        "export",
    )
    assert not out.exists()


@pytest.fixture
def locked(tmp_path: Path) -> Iterator[tuple[str, ...]]:
    """A way to take permissions away even from root: the command prefix to run under.

    Not root: chmod is enough and the prefix is empty. Root: the locked paths are given to a
    stranger uid and the command runs in a user namespace where that uid is not mapped, so the
    mode bits bind root too.
    """
    if os.geteuid() != 0:
        yield ()
    elif (
        shutil.which("unshare") is None
        or subprocess.run([*UNSHARE, "true"], capture_output=True, check=False).returncode
    ):
        pytest.skip("running as root without user namespaces: root ignores permissions")
    else:
        yield tuple(UNSHARE)
    for path in tmp_path.rglob("*"):
        if path.is_dir() and not path.is_symlink():
            path.chmod(0o755)


def lock(path: Path, mode: int) -> Path:
    """Make `path` a directory with `mode` (owned by a stranger when running as root)."""
    path.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        os.chown(path, STRANGER, STRANGER)
    path.chmod(mode)
    return path


def run_env(tmp_path: Path, **paths: Path) -> dict[str, str]:
    """TRADEPULSE_* for `tradepulse run`, defaulting to fresh paths in tmp_path."""
    defaults = {
        "raw_dir": tmp_path / "raw",
        "warehouse": tmp_path / "warehouse.duckdb",
        "marts_dir": tmp_path / "marts",
    }
    chosen = defaults | paths
    return {
        "TRADEPULSE_RAW_DIR": str(chosen["raw_dir"]),
        "TRADEPULSE_WAREHOUSE": str(chosen["warehouse"]),
        "TRADEPULSE_MARTS_DIR": str(chosen["marts_dir"]),
        "DAGSTER_HOME": "",
    }


@pytest.mark.case("RQ-07")
def test_run_with_an_unreadable_raw_dir(tmp_path: Path, locked: tuple[str, ...]) -> None:
    raw = lock(tmp_path / "raw", 0o000)

    code, err = tradepulse("run", env=run_env(tmp_path, raw_dir=raw), prefix=locked)

    assert (code, err) == (
        2,
        f"tradepulse run: error: cannot read the raw dir {raw} (TRADEPULSE_RAW_DIR): "
        "Permission denied\n",
    )
    assert not (tmp_path / "warehouse.duckdb").exists()


@pytest.mark.case("RQ-07")
def test_run_with_a_raw_dir_that_is_a_file(tmp_path: Path) -> None:
    raw = tmp_path / "raw.csv"
    raw.write_text("supplier_id\nS1\n")

    code, err = tradepulse("run", env=run_env(tmp_path, raw_dir=raw))

    assert (code, err) == (
        2,
        f"tradepulse run: error: cannot read the raw dir {raw} (TRADEPULSE_RAW_DIR): "
        "Not a directory\n",
    )


@pytest.mark.case("RQ-08")
def test_run_with_the_warehouse_in_a_read_only_dir(tmp_path: Path, locked: tuple[str, ...]) -> None:
    read_only = lock(tmp_path / "read-only", 0o555)
    warehouse = read_only / "warehouse.duckdb"

    code, err = tradepulse("run", env=run_env(tmp_path, warehouse=warehouse), prefix=locked)

    assert (code, err) == (
        2,
        f"tradepulse run: error: cannot write the warehouse {warehouse} (TRADEPULSE_WAREHOUSE): "
        f"{read_only}: Permission denied\n",
    )
    assert not (tmp_path / "raw").exists()


@pytest.mark.case("RQ-08")
def test_run_with_the_marts_dir_in_a_read_only_dir(tmp_path: Path, locked: tuple[str, ...]) -> None:
    marts = lock(tmp_path / "read-only", 0o555) / "marts"

    code, err = tradepulse("run", env=run_env(tmp_path, marts_dir=marts), prefix=locked)

    assert (code, err) == (
        2,
        f"tradepulse run: error: cannot write the marts dir {marts} (TRADEPULSE_MARTS_DIR): "
        "Permission denied\n",
    )
