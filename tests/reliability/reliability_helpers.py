"""Helpers of the reliability suite: `tradepulse` in a subprocess, and what a publish holds."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

BIN = Path(sys.executable).parent
TRADEPULSE = BIN / "tradepulse"
WAIT_SECONDS = 420.0
HISTORY_KEY = ("publish_id", "published_at")


@dataclass(frozen=True)
class Workspace:
    """One raw dir, warehouse, marts dir and Dagster home under `root`, as `make run` uses them."""

    root: Path

    @property
    def raw_dir(self) -> Path:
        """TRADEPULSE_RAW_DIR."""
        return self.root / "raw"

    @property
    def warehouse(self) -> Path:
        """TRADEPULSE_WAREHOUSE."""
        return self.root / "warehouse.duckdb"

    @property
    def marts_dir(self) -> Path:
        """TRADEPULSE_MARTS_DIR."""
        return self.root / "marts"

    @property
    def dagster_home(self) -> Path:
        """DAGSTER_HOME: a persistent instance, as `make run` has."""
        return self.root / "dagster_home"

    def env(self) -> dict[str, str]:
        """The environment of a `tradepulse` subprocess working on this workspace."""
        self.dagster_home.mkdir(parents=True, exist_ok=True)
        return {
            **os.environ,
            "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
            "TRADEPULSE_RAW_DIR": str(self.raw_dir),
            "TRADEPULSE_WAREHOUSE": str(self.warehouse),
            "TRADEPULSE_MARTS_DIR": str(self.marts_dir),
            "DAGSTER_HOME": str(self.dagster_home),
            "PYTHONUNBUFFERED": "1",
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        }

    def copy_to(self, root: Path) -> Workspace:
        """A copy of everything (file times and symlinks kept) under another root."""
        shutil.copytree(self.root, root, symlinks=True)
        return Workspace(root)


class Process:
    """A command started in its own process group, its output (stdout and stderr) in a file."""

    def __init__(self, command: list[str], workspace: Workspace, log: Path) -> None:
        self.log = log
        self._handle = log.open("wb")
        self.popen = subprocess.Popen(
            command,
            cwd=workspace.root,
            env=workspace.env(),
            stdout=self._handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def output(self) -> str:
        """Everything written so far."""
        return self.log.read_text(encoding="utf-8", errors="replace")

    def wait_until(self, reached: Callable[[], bool], what: str, every: float = 0.005) -> None:
        """Poll until `reached()`; fail (killing the group) if the command ends first."""
        deadline = time.monotonic() + WAIT_SECONDS
        while not reached():
            if self.popen.poll() is not None or time.monotonic() > deadline:
                self.kill()
                raise AssertionError(f"never reached {what}; output:\n{self.output()[-3000:]}")
            time.sleep(every)

    def kill(self) -> None:
        """SIGKILL the whole process group (dbt included) and reap the leader."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, signal.SIGKILL)
        self.popen.wait()
        self._handle.close()

    def group_is_gone(self) -> bool:
        """Whether no process of the group is left running (a killed dbt child included).

        Zombies do not count: a killed child waits for its new parent to reap it, and in a
        container without an init process that may never happen.
        """
        proc = Path("/proc")
        if not proc.is_dir():
            try:
                os.killpg(self.popen.pid, 0)
            except ProcessLookupError:
                return True
            return False
        for stat in proc.glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue  # the process ended while we looked
            state, group = fields[0], int(fields[2])
            if group == self.popen.pid and state != "Z":
                return False
        return True

    def finish(self) -> int:
        """Wait for the command to end; its exit code."""
        try:
            code = self.popen.wait(timeout=WAIT_SECONDS)
        except subprocess.TimeoutExpired:
            self.kill()
            raise
        self._handle.close()
        return code


def tradepulse(workspace: Workspace, *args: str, log: Path) -> Process:
    """Start `tradepulse ARGS` on the workspace."""
    return Process([str(TRADEPULSE), *args], workspace, log)


def run_to_end(workspace: Workspace, log: Path) -> str:
    """`tradepulse run` to its end; its output. Fails, showing the output, unless it exits 0."""
    process = tradepulse(workspace, "run", log=log)
    code = process.finish()
    assert code == 0, process.output()[-5000:]
    return process.output()


def table_checksums(conn: duckdb.DuckDBPyConnection) -> dict[str, tuple]:
    """Row count and MD5 of the sorted rows of every table; kpi_history without publish columns.

    kpi_history counts only the latest publish's rows, so two publishes of the same data agree.
    """
    catalog = conn.execute("select current_database()").fetchone()[0]
    tables = [
        row[0]
        for row in conn.execute(
            "select table_name from information_schema.tables where table_catalog = ? "
            "and table_schema = 'main' order by 1",
            [catalog],
        ).fetchall()
    ]
    found = {}
    for table in tables:
        source, parameters = f'{catalog}.main."{table}"', []
        if table == "kpi_history":
            parameters = [latest_publish_id(conn, source)]
            source = (
                f"(select * exclude ({', '.join(HISTORY_KEY)}) from {source} where publish_id = ?)"
            )
        found[table] = checksum(conn, source, parameters)
    return found


# Doubles summed in another order differ in their last bits (DuckDB aggregates in parallel, and
# a month rebuilt by dbt moves its rows): they are compared rounded to a 30-bit mantissa. A binary
# grid, not decimal rounding: money amounts sit on decimal half-way points (88662.53915).
STABLE_DOUBLE = (
    "case when {x} = 0 or not isfinite({x}) then {x} "
    "else round({x} * pow(2, 30 - ceil(log2(abs({x}))))) * pow(2, ceil(log2(abs({x}))) - 30) end"
)
_FLOATS = ("DOUBLE", "FLOAT", "REAL")


def checksum(
    conn: duckdb.DuckDBPyConnection, source: str, parameters: list | None = None
) -> tuple[int, str | None]:
    """Row count and MD5 of the rows of `source` (a table or a subquery), sorted as text."""
    described = conn.execute(f"select * from {source} as t limit 0", parameters).description
    columns = ", ".join(
        f"{STABLE_DOUBLE.format(x=f't.{quoted}')} as {quoted}" if str(dtype) in _FLOATS else quoted
        for quoted, dtype in ((f'"{name}"', dtype) for name, dtype, *_ in described)
    )
    return conn.execute(
        "select count(*), md5(string_agg(r::varchar, chr(10) order by r::varchar)) "
        f"from (select {columns} from {source} as t) as r",
        parameters,
    ).fetchone()


def latest_publish_id(conn: duckdb.DuckDBPyConnection, history: str = "kpi_history") -> str:
    """The publish that wrote the newest rows of kpi_history."""
    return conn.execute(
        f"select publish_id from {history} order by published_at desc, publish_id desc limit 1"
    ).fetchone()[0]


@dataclass(frozen=True)
class Published:
    """What the marts dir offers analysts now, read through each of its three doors."""

    manifest_id: str
    manifest_counts: dict[str, int]
    database_id: str
    database_counts: dict[str, int]
    parquet_manifest_id: str
    parquet_counts: dict[str, int]
    checksums: dict[str, tuple]
    parquet_checksums: dict[str, tuple]
    history_ids: tuple[str, ...]

    def assert_whole(self) -> None:
        """The manifest, marts.duckdb and parquet/ describe one and the same publish."""
        ids = (self.manifest_id, self.database_id, self.parquet_manifest_id)
        assert len(set(ids)) == 1, f"_manifest.json, marts.duckdb, parquet/ hold publishes {ids}"
        assert self.manifest_counts == self.database_counts == self.parquet_counts
        assert self.checksums == self.parquet_checksums


def read_published(marts_dir: Path) -> Published:
    """Read the manifest, marts.duckdb and the Parquet folder of the current publish."""
    manifest = json.loads((marts_dir / "_manifest.json").read_text())
    parquet_manifest = json.loads((marts_dir / "parquet" / "_manifest.json").read_text())
    parquet_files = sorted((marts_dir / "parquet").glob("*.parquet"))
    with duckdb.connect(str(marts_dir / "marts.duckdb"), read_only=True) as conn:
        checksums = table_checksums(conn)
        counts = {
            table: conn.execute(f'select count(*) from "{table}"').fetchone()[0]
            for table in checksums
        }
        history_ids = tuple(
            row[0]
            for row in conn.execute(
                "select publish_id from kpi_history group by 1 order by min(published_at), 1"
            ).fetchall()
        )
        database_id = latest_publish_id(conn)
    with duckdb.connect() as conn:
        conn.execute("attach ? as published (read_only)", [str(marts_dir / "marts.duckdb")])
        for path in parquet_files:
            # Parquet has no HUGEINT: compare as the columns' types in marts.duckdb.
            types = conn.execute(
                "select column_name, data_type from information_schema.columns "
                "where table_catalog = 'published' and table_name = ? order by ordinal_position",
                [path.stem],
            ).fetchall()
            columns = ", ".join(f'"{name}"::{dtype} as "{name}"' for name, dtype in types)
            conn.read_parquet(str(path)).project(columns).create_view(path.stem)
        conn.execute("use memory")
        conn.execute("detach published")
        parquet_checksums = table_checksums(conn)
        parquet_counts = {
            path.stem: conn.execute(f'select count(*) from "{path.stem}"').fetchone()[0]
            for path in parquet_files
        }
    return Published(
        manifest_id=manifest["publish_id"],
        manifest_counts=manifest["row_counts"],
        database_id=database_id,
        database_counts=counts,
        parquet_manifest_id=parquet_manifest["publish_id"],
        parquet_counts=parquet_counts,
        checksums=checksums,
        parquet_checksums=parquet_checksums,
        history_ids=history_ids,
    )


def versions(marts_dir: Path) -> list[str]:
    """The publish folders kept under marts/.versions, sorted."""
    return sorted(path.name for path in (marts_dir / ".versions").iterdir())


def query(database: Path, sql: str, parameters: list | None = None) -> list[tuple]:
    """Rows of a query on a DuckDB file opened read-only."""
    with duckdb.connect(str(database), read_only=True) as conn:
        return conn.execute(sql, parameters).fetchall()


KPI_ROWS = [
    ("active_buyers", "half", "2022-H1", "all", "all", 100.0, None, None, True),
    ("active_buyers", "half", "2023-H1", "all", "all", 155.0, 100.0, 0.55, True),
    ("active_buyers", "month", "2023-01", "all", "all", 150.0, 95.0, 150 / 95 - 1, True),
    ("listed_suppliers", "half", "2023-H1", "supplier_country", "VN", 62.0, 50.0, 0.24, True),
    ("listed_suppliers", "half", "2023-H1", "supplier_country", "CN", 80.0, 80.0, 0.0, True),
]


def small_warehouse(path: Path, suppliers: int = 1) -> Path:
    """A warehouse holding marts.kpi_growth and marts.dim_suppliers, as publish reads them."""
    with duckdb.connect(str(path)) as conn:
        conn.execute("create schema if not exists marts")
        conn.execute(
            "create or replace table marts.kpi_growth (metric varchar, period_grain varchar, "
            "period varchar, dimension varchar, dimension_value varchar, value double, "
            "value_prior_year double, yoy_growth double, is_complete_period boolean)"
        )
        conn.executemany(
            "insert into marts.kpi_growth values (?, ?, ?, ?, ?, ?, ?, ?, ?)", KPI_ROWS
        )
        conn.execute(
            "create or replace table marts.dim_suppliers as select 'S' || i as supplier_id, "
            "'Công ty TNHH Hoàng Thanh ' || i as supplier_name from range(?) as r(i)",
            [suppliers],
        )
    return path


class SqlSpy:
    """Records the SQL text of every statement sent through `duckdb.connect` connections."""

    def __init__(self) -> None:
        self.statements: list[str] = []

    @classmethod
    def install(cls, monkeypatch: pytest.MonkeyPatch) -> SqlSpy:
        """Wrap `duckdb.connect` for the rest of the test."""
        spy = cls()
        connect = duckdb.connect

        def spying_connect(*args: object, **kwargs: object) -> _SpiedConnection:
            return _SpiedConnection(connect(*args, **kwargs), spy.statements)

        monkeypatch.setattr(duckdb, "connect", spying_connect)
        return spy


class _SpiedConnection:
    """A DuckDB connection that notes the text of each statement before running it."""

    def __init__(self, conn: duckdb.DuckDBPyConnection, statements: list[str]) -> None:
        self._conn = conn
        self._statements = statements

    def execute(self, query: str, *args: object, **kwargs: object) -> object:
        self._statements.append(query)
        return self._conn.execute(query, *args, **kwargs)

    def executemany(self, query: str, *args: object, **kwargs: object) -> object:
        self._statements.append(query)
        return self._conn.executemany(query, *args, **kwargs)

    def sql(self, query: str, *args: object, **kwargs: object) -> object:
        self._statements.append(query)
        return self._conn.sql(query, *args, **kwargs)

    def __getattr__(self, name: str) -> object:
        return getattr(self._conn, name)

    def __enter__(self) -> _SpiedConnection:
        return self

    def __exit__(self, *exc: object) -> None:
        self._conn.close()
