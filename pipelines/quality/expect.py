"""The parts of a quality suite as plain data: expectations and the suite that groups them.

Nothing here imports Great Expectations (it costs seconds): an `Expect` names a GX expectation
class and its arguments, and `Expect.build` creates the GX object only when a check runs.

>>> rule = Expect(
...     "order_id_not_null",
...     "ExpectColumnValuesToNotBeNull",
...     {"column": "order_id"},
...     description="Every order line has an order_id.",
...     action="Reload the orders.",
... )
>>> rule.blocking
True
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

Severity = Literal["critical", "warning"]

# Stands for the time the check runs (naive UTC) in an expectation's arguments.
NOW = "<check time>"


@dataclass(frozen=True)
class Expect:
    """One expectation of a suite: a Dagster asset check of its own.

    `severity` "critical" blocks everything downstream when the expectation fails, "warning" is
    reported only. `samples_sql` (with `{table}` for the suite's table) lists offending rows when
    the expectation fails, when GX's own samples would not help. `needs_rows`
    marks an expectation that says nothing when the suite's `not_applicable_sql` gives a reason.
    """

    name: str
    expectation: str
    kwargs: Mapping[str, Any]
    description: str
    action: str
    severity: Severity = "critical"
    where: tuple[str, str] | None = None  # only rows whose column (first) equals the value
    samples_sql: str | None = None
    needs_rows: bool = False

    @property
    def blocking(self) -> bool:
        """Whether a failure stops the assets downstream."""
        return self.severity == "critical"

    @property
    def rows_query(self) -> str | None:
        """The SQL of a query expectation (with `{batch}`), else None."""
        return self.kwargs.get("unexpected_rows_query")

    def build(self, now: datetime) -> Any:
        """The Great Expectations expectation, with `NOW` replaced by `now`."""
        import great_expectations as gx

        kwargs = {key: now if value == NOW else value for key, value in self.kwargs.items()}
        if self.where is not None:
            from great_expectations.expectations.row_conditions import Column

            column, value = self.where
            kwargs["row_condition"] = Column(column) == value
        if self.rows_query is not None:
            kwargs.setdefault("description", self.description)
        expectation = getattr(gx.expectations, self.expectation, None)
        if expectation is None:
            from pipelines.quality import gx_expectations

            expectation = getattr(gx_expectations, self.expectation)
        return expectation(**kwargs, severity=self.severity)


@dataclass(frozen=True)
class Suite:
    """The expectations on one warehouse table, run in one GX validation, guarding one asset.

    `reads` are other assets the expectations' SQL reads, or whose blocking checks must pass
    before this suite runs. `not_applicable_sql` returns one text (why the suite's `needs_rows`
    expectations do not apply to this data) or null.
    """

    name: str
    asset: tuple[str, ...]
    table: str
    expectations: tuple[Expect, ...]
    reads: tuple[tuple[str, ...], ...] = ()
    not_applicable_sql: str | None = None
    description: str = ""

    def __post_init__(self) -> None:
        names = [expect.name for expect in self.expectations]
        duplicates = sorted({name for name in names if names.count(name) > 1})
        if duplicates:
            raise ValueError(f"suite {self.name} repeats expectation names: {duplicates}")

    def expect(self, name: str) -> Expect:
        """The expectation called `name`."""
        for expect in self.expectations:
            if expect.name == name:
                return expect
        raise KeyError(f"suite {self.name} has no expectation {name!r}")


def not_null(column: str, action: str) -> Expect:
    """`column` is never null."""
    return Expect(
        f"{column}_not_null",
        "ExpectColumnValuesToNotBeNull",
        {"column": column},
        description=f"`{column}` is never null.",
        action=action,
    )


def unique(
    name: str,
    key: list[str],
    *,
    description: str,
    action: str,
    severity: Severity = "critical",
    files: bool = False,
) -> Expect:
    """No two rows share `key`: one unexpected row per key that has more than one copy.

    SQL rather than GX's compound-uniqueness expectation, which joins the table back to its
    groups and took about 5x a plain `group by` on 10 million rows (bench/gx_suites.py). With
    `files`, each repeated key lists the files its copies came from.
    """
    key_text = ", ".join(key)
    query = (
        f"select {key_text}, count(*) as copies from {{batch}} "
        f"group by {key_text} having count(*) > 1 order by {key_text}"
    )
    if files:
        # The files of the repeated keys only: a list per key over every row took 2.5x the
        # plain group by on 10 million lines.
        repeated_keys = ", ".join(f"repeated.{column}" for column in key)
        same_key = " and ".join(
            f"repeated.{column} is not distinct from delivered.{column}" for column in key
        )
        query = (
            f"with repeated as ({query}) "
            f"select {repeated_keys}, repeated.copies, "
            f"list(delivered._source_file order by delivered._source_file) as files "
            f"from repeated inner join {{batch}} as delivered on {same_key} "
            f"group by all order by {repeated_keys}"
        )
    return Expect(
        name,
        "ExpectQueryToReturnNoRows",
        {"unexpected_rows_query": query},
        description=description,
        action=action,
        severity=severity,
    )
