"""Run Great Expectations suites against DuckDB tables and get typed outcomes back.

`run_expectations` validates one table in a GX context of its own; a `GXSession` shares one
context, one datasource per file and one Data Docs build across many tables (a run's suites).

>>> import great_expectations as gx
>>> outcomes = run_expectations(  # doctest: +SKIP
...     Path("data/warehouse.duckdb"),
...     "main_marts.kpi_growth",
...     [gx.expectations.ExpectColumnValuesToNotBeNull(column="supplier_id")],
...     suite_name="kpi_growth",
...     data_docs_dir=Path("data/marts/quality"),
... )
>>> [o.summary() for o in outcomes if o.blocking]  # doctest: +SKIP
['expect_column_values_to_not_be_null(column=supplier_id): 3 of 1200 unexpected']
"""

from __future__ import annotations

import contextlib
import datetime as dt
import html
import io
import re
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import great_expectations as gx
from great_expectations.core import ExpectationValidationResult
from great_expectations.core.run_identifier import RunIdentifier
from great_expectations.data_context import EphemeralDataContext
from great_expectations.data_context.types.base import (
    DataContextConfig,
    InMemoryStoreBackendDefaults,
    ProgressBarsConfig,
)
from great_expectations.data_context.types.resource_identifiers import ValidationResultIdentifier
from great_expectations.datasource.fluent.interfaces import TestConnectionError
from sqlalchemy.exc import SAWarning

from pipelines.config import duckdb_config
from pipelines.errors import TradePulseError
from pipelines.quality.gx_duckdb import DuckDBDatasource, duckdb_url

__all__ = ["ExpectationOutcome", "GXSession", "build_data_docs", "run_expectations"]

DATA_DOCS_SITE = "tradepulse_quality"
# GX's JSON stores, kept inside the site directory so later runs and rebuilds see every result.
STORE_DIR_NAME = ".gx_store"
_OFFLINE_INDEX_ID = "tradepulse-offline-index"


@dataclass(frozen=True)
class ExpectationOutcome:
    """The result of one expectation on one table, flattened from GX's validation result."""

    expectation_type: str
    columns: tuple[str, ...]
    kwargs: Mapping[str, Any]
    success: bool
    severity: str  # GX's FailureSeverity: "critical" (default), "warning" or "info"
    element_count: int | None = None
    unexpected_count: int | None = None
    unexpected_percent: float | None = None
    partial_unexpected_list: tuple[Any, ...] = ()
    observed_value: Any = None
    exception: str | None = None  # set when GX could not evaluate the expectation
    data_docs_url: str | None = field(default=None, compare=False)

    @property
    def blocking(self) -> bool:
        """Whether this outcome should stop the pipeline: a failed 'critical' expectation."""
        return not self.success and self.severity == "critical"

    def summary(self) -> str:
        """One line for logs, e.g. `expect_..._not_be_null(column=id): 3 of 9 unexpected`."""
        arguments = ", ".join(
            f"{key}={value}" for key, value in self.kwargs.items() if key != "unexpected_rows_query"
        )
        if self.exception is not None:
            found = f"error: {self.exception.strip().splitlines()[0][:200]}"
        elif self.success:
            found = "ok"
        elif self.unexpected_count is not None and self.element_count is not None:
            found = f"{self.unexpected_count} of {self.element_count} unexpected"
        elif self.unexpected_count is not None:
            found = f"{self.unexpected_count} unexpected"
        else:
            found = f"observed {self.observed_value!r}"
        return f"{self.expectation_type}({arguments}): {found}"


class GXSession:
    """One GX context that validates many tables and renders Data Docs once for all of them.

    A run's suites share the context, the GX stores, one datasource per DuckDB file and its
    engines; only the connections are per validation: each `validate` opens the file on its
    first query and closes it before it returns, so every suite reads the data as it is when
    the suite starts (other steps of a run write the file in between) and the file is free
    between suites. Results are stored as they come; `build_data_docs` renders their pages and
    the index in one pass (every result is also kept, so a later build renders any it missed).

    >>> session = GXSession(Path("data/marts/quality"))  # doctest: +SKIP
    >>> for table, expectations in (("raw.orders", [...]), ("raw.buyers", [...])):  # doctest: +SKIP
    ...     session.validate(Path("data/warehouse.duckdb"), table, expectations, suite_name=table)
    >>> session.close(); session.build_data_docs()  # doctest: +SKIP
    PosixPath('data/marts/quality/index.html')
    """

    def __init__(self, data_docs_dir: Path | None = None) -> None:
        self.data_docs_dir = Path(data_docs_dir) if data_docs_dir is not None else None
        self.context = _context(self.data_docs_dir)
        self.validations = 0
        self._datasources: dict[tuple[Path, bool], DuckDBDatasource] = {}
        self._unrendered: list[ValidationResultIdentifier] = []
        self._suite_names: set[str] = set()

    def validate(
        self,
        database: Path,
        table: str,
        expectations: Sequence[gx.expectations.Expectation],
        *,
        suite_name: str,
        read_only: bool = True,
        partial_unexpected_count: int = 5,
    ) -> list[ExpectationOutcome]:
        """Validate `table` (`name` or `schema.name`) in a DuckDB file; one outcome per expectation.

        Every expectation runs as SQL inside DuckDB; only counts and at most
        `partial_unexpected_count` sample values per expectation come back to Python. With a
        docs dir, each outcome links the suite's page, written by `build_data_docs`. The file is
        opened read-only unless `read_only=False`, and closed before this returns.
        """
        database = Path(database).resolve()
        if not database.is_file():
            raise TradePulseError(f"no DuckDB file at {database}: build the warehouse first")
        datasource = self._datasource(database, read_only)
        try:
            with warnings.catch_warnings():
                # Reflection meets LIST/STRUCT columns that SQLAlchemy has no type for.
                warnings.filterwarnings("ignore", "Did not recognize type", SAWarning)
                batch = self._whole_table(datasource, database, table)
                suite = self.context.suites.add_or_update(
                    gx.ExpectationSuite(
                        name=suite_name,
                        expectations=[e.copy(update={"id": None}) for e in expectations],
                    )
                )
                # Not `add_or_update`: it saves the suite a second time and the datasource's
                # whole configuration again.
                definitions = self.context.validation_definitions
                if suite_name in self._suite_names:
                    definitions.delete(suite_name)
                validation = definitions.add(
                    gx.ValidationDefinition(name=suite_name, data=batch, suite=suite)
                )
                self._suite_names.add(suite_name)
                run_id = RunIdentifier(run_time=dt.datetime.now(dt.UTC))
                result = validation.run(
                    run_id=run_id,
                    result_format={
                        "result_format": "BASIC",
                        "partial_unexpected_count": partial_unexpected_count,
                    },
                )
        finally:
            datasource.dispose()
        self.validations += 1

        page_url = None
        if self.data_docs_dir is not None:
            key = _keep_latest_result(self.context, suite_name, run_id)
            # A suite validated twice in one session: render only its latest result.
            self._unrendered = [k for k in self._unrendered if not _same_page(k, key)] + [key]
            (url,) = self.context.get_docs_sites_urls(
                resource_identifier=key, site_name=DATA_DOCS_SITE, only_if_exists=False
            )
            page_url = url["site_url"]
        by_id = {r.expectation_config.id: r for r in result.results}
        return [_outcome(by_id[e.id], page_url) for e in suite.expectations]

    def build_data_docs(self) -> Path | None:
        """Render the pages of the results validated since the last build, and the index.

        Returns the index, or None when there was nothing to render (no docs dir, no result).
        """
        if self.data_docs_dir is None or not self._unrendered:
            return None
        # Rendering re-creates the expectations, and GX prints a notice for each SQL rule that
        # reads tables besides {batch}; ours do on purpose.
        with contextlib.redirect_stdout(io.StringIO()):
            _build_site(self.context, self.data_docs_dir, self._unrendered)
        self._unrendered = []
        return self.data_docs_dir / "index.html"

    def close(self) -> None:
        """Release every DuckDB file this session opened (each `validate` already does)."""
        for datasource in self._datasources.values():
            datasource.dispose()

    def _datasource(self, database: Path, read_only: bool) -> DuckDBDatasource:
        """The datasource of `database`, added on first use; named after the file's stem."""
        key = (database, read_only)
        if key not in self._datasources:
            taken = {source.name for source in self._datasources.values()}
            name = database.stem
            if name in taken:
                name = f"{database.stem}-{len(taken)}"
            self._datasources[key] = self.context.data_sources.add_duckdb(
                name=name,
                connection_string=duckdb_url(database),
                kwargs={"connect_args": {"read_only": read_only, "config": duckdb_config()}},
            )
        return self._datasources[key]

    def _whole_table(self, datasource: DuckDBDatasource, database: Path, table: str) -> Any:
        """The whole-table batch definition of `table`, its asset added on first use."""
        if table in datasource.get_asset_names():
            return datasource.get_asset(table).get_batch_definition("whole_table")
        schema, _, table_name = table.rpartition(".")
        try:
            # schema_name is deprecated in favour of the datasource's schema, but one datasource
            # serves every schema of the file here (raw, staging, marts).
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)
                asset = datasource.add_table_asset(
                    name=table, table_name=table_name, **({"schema_name": schema} if schema else {})
                )
        except TestConnectionError as error:
            raise TradePulseError(
                f"cannot read table {table!r} in {database}: check the schema.table name "
                "and that the pipeline has built it"
            ) from error
        return asset.add_batch_definition_whole_table("whole_table")


def _same_page(a: ValidationResultIdentifier, b: ValidationResultIdentifier) -> bool:
    """Whether two results are of the same suite on the same table (the site keeps one)."""
    return (a.expectation_suite_identifier.name, a.batch_identifier) == (
        b.expectation_suite_identifier.name,
        b.batch_identifier,
    )


def run_expectations(
    database: Path,
    table: str,
    expectations: Sequence[gx.expectations.Expectation],
    *,
    suite_name: str,
    data_docs_dir: Path | None = None,
    read_only: bool = True,
    partial_unexpected_count: int = 5,
) -> list[ExpectationOutcome]:
    """Validate one table in a session of its own, rendering its Data Docs page at once.

    See `GXSession.validate`; to validate several tables, share one `GXSession`.
    """
    session = GXSession(data_docs_dir)
    try:
        outcomes = session.validate(
            database,
            table,
            expectations,
            suite_name=suite_name,
            read_only=read_only,
            partial_unexpected_count=partial_unexpected_count,
        )
    finally:
        session.close()
    session.build_data_docs()
    return outcomes


def build_data_docs(data_docs_dir: Path) -> Path:
    """Rebuild the static Data Docs site in `data_docs_dir` from its stored results; the index."""
    _build_site(_context(data_docs_dir), Path(data_docs_dir), None)
    return Path(data_docs_dir) / "index.html"


def _context(data_docs_dir: Path | None) -> EphemeralDataContext:
    """An ephemeral GX context; with a docs dir, its suites and results persist beside the site."""
    defaults = InMemoryStoreBackendDefaults()
    data_docs_sites = {}
    if data_docs_dir is not None:
        site = Path(data_docs_dir).resolve()
        for store_name, class_name, folder in (
            (defaults.expectations_store_name, "ExpectationsStore", "expectations"),
            (defaults.validation_results_store_name, "ValidationResultsStore", "validations"),
        ):
            defaults.stores[store_name] = {
                "class_name": class_name,
                "store_backend": {
                    "class_name": "TupleFilesystemStoreBackend",
                    "base_directory": str(site / STORE_DIR_NAME / folder),
                },
            }
        data_docs_sites[DATA_DOCS_SITE] = {
            "class_name": "SiteBuilder",
            "show_how_to_buttons": False,
            "store_backend": {
                "class_name": "TupleFilesystemStoreBackend",
                "base_directory": str(site),
            },
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        }
    config = DataContextConfig(
        store_backend_defaults=defaults,
        data_docs_sites=data_docs_sites,
        analytics_enabled=False,
        progress_bars=ProgressBarsConfig(globally=False),
    )
    return gx.get_context(mode="ephemeral", project_config=config)


def _keep_latest_result(
    context: EphemeralDataContext, suite_name: str, run_id: RunIdentifier
) -> ValidationResultIdentifier:
    """Drop older stored results of this suite on this batch; return the new result's key."""
    store = context.validation_results_store
    keys = [k for k in store.list_keys() if k.expectation_suite_identifier.name == suite_name]
    (new,) = [k for k in keys if k.run_id.run_time == run_id.run_time]
    for key in keys:
        if key != new and key.batch_identifier == new.batch_identifier:
            store.remove_key(key)
    return new


def _build_site(
    context: EphemeralDataContext, site: Path, keys: list[ValidationResultIdentifier] | None
) -> None:
    """Render the site (only the pages of `keys` if given, else every page) and the index."""
    context.build_data_docs(site_names=[DATA_DOCS_SITE], resource_identifiers=keys)
    store = context.validation_results_store
    stored = sorted(
        store.list_keys(), key=lambda k: (k.expectation_suite_identifier.name, k.batch_identifier)
    )
    _add_offline_index(site / "index.html", [(k, store.get(k)) for k in stored])


def _add_offline_index(index: Path, results: list[tuple[ValidationResultIdentifier, Any]]) -> None:
    """Add a plain list of results to GX's index, whose own table needs JavaScript from CDNs."""
    items = []
    for key, result in results:
        page = html.escape("validations/" + "/".join(key.to_tuple()) + ".html")
        name = html.escape(f"{key.expectation_suite_identifier.name} on {key.batch_identifier}")
        stats = result.statistics
        items.append(
            f'<li><a href="{page}">{name}</a>: {"passed" if result.success else "FAILED"}, '
            f"{stats['successful_expectations']} of {stats['evaluated_expectations']} "
            "expectations met</li>"
        )
    block = (
        f'<div id="{_OFFLINE_INDEX_ID}" class="container"><h3>Validation results</h3>'
        f"<ul>{''.join(items)}</ul></div>"
        # Hidden when the CDN scripts did load and GX's own table is shown.
        "<script>if (window.jQuery && jQuery.fn.bootstrapTable) {"
        f"document.getElementById('{_OFFLINE_INDEX_ID}').style.display = 'none';}}</script>"
    )
    text = re.sub(rf'<div id="{_OFFLINE_INDEX_ID}".*?</script>', "", index.read_text(), flags=re.S)
    index.write_text(text.replace("</body>", block + "</body>", 1))


def _outcome(result: ExpectationValidationResult, page_url: str | None) -> ExpectationOutcome:
    """Flatten one GX `ExpectationValidationResult`."""
    config = result.expectation_config
    kwargs = {k: v for k, v in config.kwargs.items() if k != "batch_id"}
    columns = [kwargs.get("column"), kwargs.get("column_A"), kwargs.get("column_B")]
    columns += list(kwargs.get("column_list") or [])
    details = result.result or {}
    unexpected_count = details.get("unexpected_count")
    if unexpected_count is None and config.type == "unexpected_rows_expectation":
        unexpected_count = details.get("observed_value")
    return ExpectationOutcome(
        expectation_type=config.type,
        columns=tuple(c for c in columns if c),
        kwargs=kwargs,
        success=bool(result.success),
        severity=str(getattr(config.severity, "value", config.severity)),
        element_count=details.get("element_count"),
        unexpected_count=unexpected_count,
        unexpected_percent=details.get("unexpected_percent"),
        partial_unexpected_list=tuple(details.get("partial_unexpected_list") or ()),
        observed_value=details.get("observed_value"),
        exception=_exception_message(result.exception_info),
        data_docs_url=page_url,
    )


def _exception_message(info: Mapping[str, Any] | None) -> str | None:
    """The first raised exception in GX's `exception_info` (flat, or keyed by metric)."""
    candidates = [info] + [v for v in info.values() if isinstance(v, Mapping)] if info else []
    for candidate in candidates:
        if candidate.get("raised_exception"):
            return str(candidate.get("exception_message"))
    return None
