"""Run suites on the warehouse: which checks apply, one GX validation each, samples of failures.

Great Expectations is imported only when a suite runs. Suites run together share one GX
session (`run_suites`, or the `session` a Dagster run passes): one context, one datasource, one
Data Docs build at the end. The DuckDB file is opened read-only and by one connection at a
time: a short one for the suite's applicability query, then GX's own for the validation, then
(only if a check with `samples_sql` failed) a short one for its samples; none stays open
between suites.

>>> results = run_suite(get_suite("raw_orders"), Path("data/warehouse.duckdb"))  # doctest: +SKIP
>>> [r.expect.name for r in results if not r.passed]  # doctest: +SKIP
['no_rejected_rows']
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from pipelines.errors import TradePulseError
from pipelines.quality.expect import Expect, Suite

if TYPE_CHECKING:
    from pipelines.quality.runner import ExpectationOutcome, GXSession

SAMPLE_ROWS = 5


@dataclass(frozen=True)
class CheckOutcome:
    """What one expectation of a suite found; `outcome` is None when it does not apply."""

    expect: Expect
    outcome: ExpectationOutcome | None
    not_applicable: str | None = None
    sample_rows: tuple[dict[str, Any], ...] = ()

    @property
    def passed(self) -> bool:
        """Met, or not applicable to this data."""
        return self.outcome is None or self.outcome.success

    @property
    def blocking(self) -> bool:
        """Failed, and critical: the assets downstream must not run."""
        return not self.passed and self.expect.blocking

    @property
    def unexpected_count(self) -> int | None:
        """Rows (or values) that broke the expectation, when GX counts them."""
        return None if self.outcome is None else self.outcome.unexpected_count

    def summary(self) -> str:
        """One line: the check, its severity and what it found."""
        if self.outcome is None:
            return f"{self.expect.name}: {self.not_applicable}"
        status = "passed" if self.passed else f"FAILED ({self.expect.severity})"
        return f"{self.expect.name}: {status}: {self.outcome.summary()}"


def run_suite(
    suite: Suite,
    database: Path,
    *,
    data_docs_dir: Path | None = None,
    now: datetime | None = None,
    session: GXSession | None = None,
) -> list[CheckOutcome]:
    """Validate `suite.table` in `database`; one `CheckOutcome` per expectation, in suite order.

    `now` (naive UTC, default the current time) is what "not in the future" is checked against.
    With `session`, the suite runs in that shared GX session, whose docs dir is used and which
    renders the Data Docs when it builds them. Without, it runs in a session of its own that
    renders the suite's page into `data_docs_dir` (if given) before this returns.
    """
    from pipelines.quality.runner import GXSession

    if session is not None and data_docs_dir is not None:
        raise ValueError("pass data_docs_dir or session, not both: a session has its docs dir")
    database = Path(database)
    if not database.is_file():
        raise TradePulseError(f"no DuckDB file at {database}: build the warehouse first")
    now = now or datetime.now(UTC).replace(tzinfo=None)
    reason = _not_applicable(database, suite)
    applicable = [e for e in suite.expectations if not (e.needs_rows and reason)]
    outcomes: list[ExpectationOutcome] = []
    if applicable:
        own = session is None
        gx_session = GXSession(data_docs_dir) if session is None else session
        try:
            # GX prints a notice for each query that reads tables besides {batch}; ours do.
            with contextlib.redirect_stdout(io.StringIO()):
                outcomes = gx_session.validate(
                    database,
                    suite.table,
                    [expect.build(now) for expect in applicable],
                    suite_name=suite.name,
                )
        finally:
            if own:
                gx_session.close()
        if own:
            gx_session.build_data_docs()
    by_name = dict(zip((e.name for e in applicable), outcomes, strict=True))
    failed = [e for e in applicable if not by_name[e.name].success]
    samples = _sample_rows(database, suite, failed)
    return [
        CheckOutcome(expect, None, reason)
        if expect.name not in by_name
        else CheckOutcome(expect, by_name[expect.name], None, samples.get(expect.name, ()))
        for expect in suite.expectations
    ]


def run_suites(
    suites: Sequence[Suite],
    database: Path,
    *,
    data_docs_dir: Path | None = None,
    now: datetime | None = None,
) -> dict[str, list[CheckOutcome]]:
    """Run `suites` in one GX session and render their Data Docs once; outcomes by suite name.

    >>> results = run_suites(SUITES, Path("data/warehouse.duckdb"))  # doctest: +SKIP
    >>> sum(len(outcomes) for outcomes in results.values())  # doctest: +SKIP
    90
    """
    from pipelines.quality.runner import GXSession

    now = now or datetime.now(UTC).replace(tzinfo=None)
    session = GXSession(data_docs_dir)
    try:
        results = {s.name: run_suite(s, database, now=now, session=session) for s in suites}
    finally:
        session.close()
    session.build_data_docs()
    return results


def _not_applicable(database: Path, suite: Suite) -> str | None:
    """Why the suite's `needs_rows` expectations do not apply to this data, if they do not."""
    if suite.not_applicable_sql is None:
        return None
    with duckdb.connect(str(database), read_only=True) as conn:
        (reason,) = conn.execute(suite.not_applicable_sql).fetchone()
    return reason


def _sample_rows(
    database: Path, suite: Suite, failed: Sequence[Expect]
) -> dict[str, tuple[dict[str, Any], ...]]:
    """The first rows of each failed expectation's `samples_sql`, by expectation name."""
    queries = {
        expect.name: expect.samples_sql.replace("{table}", suite.table)
        for expect in failed
        if expect.samples_sql
    }
    if not queries:
        return {}
    samples = {}
    with duckdb.connect(str(database), read_only=True) as conn:
        for name, query in queries.items():
            try:
                cursor = conn.execute(f"select * from ({query}) limit {SAMPLE_ROWS}")
            except duckdb.Error as error:
                samples[name] = ({"samples_sql_error": str(error).splitlines()[0]},)
                continue
            columns = [column[0] for column in cursor.description]
            samples[name] = tuple(dict(zip(columns, row, strict=True)) for row in cursor.fetchall())
    return samples
