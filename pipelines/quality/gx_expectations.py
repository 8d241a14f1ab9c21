"""Our one custom GX expectation: a SQL rule that runs its query once and keeps a few rows.

GX's `UnexpectedRowsExpectation` runs its query twice, once for the rows (up to 200) and once
for their count, and with the BASIC result format (what the runner asks for) reports only the
count. On 10 million order lines a grouping query costs seconds, and getting sample rows would
mean a third run. This subclass asks for the rows only, with the total count computed alongside
as a window (`count(*) over ()`), and returns the count as `unexpected_count` and the first
`partial_unexpected_count` rows as `partial_unexpected_list`. GX's docs invite overriding
`_validate` this way. Data Docs show the count and the rows as a table.

Importing this module imports GX: do it only when a check runs.
"""

from typing import Any, ClassVar

from great_expectations.core.result_format import ResultFormat
from great_expectations.expectations.core.unexpected_rows_expectation import (
    UnexpectedRowsExpectation,
)
from great_expectations.expectations.expectation_configuration import parse_result_format
from great_expectations.render import (
    LegacyDiagnosticRendererType,
    RenderedStringTemplateContent,
    RenderedTableContent,
)
from great_expectations.render.renderer.renderer import renderer
from great_expectations.render.util import num_to_str
from great_expectations.validator.metric_configuration import MetricConfiguration

DEFAULT_SAMPLES = 5
ROWS_METRIC = "unexpected_rows_query.table"
TOTAL_COLUMN = "__rows_found"


class ExpectQueryToReturnNoRows(UnexpectedRowsExpectation):
    """The query (reading `{batch}`) returns no row; a failure reports the first few rows."""

    metric_dependencies: ClassVar[tuple[str, ...]] = (ROWS_METRIC,)

    def get_validation_dependencies(
        self, execution_engine: Any = None, runtime_configuration: dict | None = None
    ) -> Any:
        """GX's dependencies, with the rows metric's query counting all rows as it goes."""
        dependencies = super().get_validation_dependencies(
            execution_engine=execution_engine, runtime_configuration=runtime_configuration
        )
        metric = dependencies.get_metric_configuration(ROWS_METRIC)
        query = metric.metric_value_kwargs["unexpected_rows_query"]
        dependencies.set_metric_configuration(
            ROWS_METRIC,
            MetricConfiguration(
                metric_name=ROWS_METRIC,
                metric_domain_kwargs=metric.metric_domain_kwargs,
                metric_value_kwargs={
                    "unexpected_rows_query": (
                        f"select *, count(*) over () as {TOTAL_COLUMN} from ({query}) as found"
                    )
                },
            ),
        )
        return dependencies

    def _validate(
        self,
        metrics: dict,
        runtime_configuration: dict | None = None,
        execution_engine: Any = None,
    ) -> dict:
        rows = [dict(row) for row in metrics[ROWS_METRIC] or []]
        count = rows[0].pop(TOTAL_COLUMN) if rows else 0
        for row in rows[1:]:
            row.pop(TOTAL_COLUMN)
        result_format = parse_result_format(self._get_result_format(runtime_configuration))
        if result_format["result_format"] == ResultFormat.BOOLEAN_ONLY:
            return {"success": count == 0}
        limit = result_format.get("partial_unexpected_count", DEFAULT_SAMPLES)
        return {
            "success": count == 0,
            "result": {
                "observed_value": count,
                "unexpected_count": count,
                "partial_unexpected_list": rows[:limit],
            },
        }

    @classmethod
    @renderer(renderer_type=LegacyDiagnosticRendererType.UNEXPECTED_STATEMENT)
    def _diagnostic_unexpected_statement_renderer(
        cls, configuration: Any = None, result: Any = None, runtime_configuration: Any = None
    ) -> list:
        """'N rows returned by the query', or GX's own statement for an exception."""
        details = (result.result or {}) if result is not None else {}
        raised = result is not None and (result.exception_info or {}).get("raised_exception")
        if raised or result is None or result.success or not details.get("unexpected_count"):
            return super()._diagnostic_unexpected_statement_renderer(
                configuration=configuration,
                result=result,
                runtime_configuration=runtime_configuration,
            )
        count = num_to_str(details["unexpected_count"], use_locale=True, precision=20)
        shown = len(details.get("partial_unexpected_list") or [])
        return [
            RenderedStringTemplateContent(
                content_block_type="string_template",
                string_template={
                    "template": "\n\n$count rows returned by the query; the first $shown below.",
                    "params": {"count": count, "shown": str(shown)},
                    "tag": "strong",
                    "styling": {"classes": ["text-danger"]},
                },
            )
        ]

    @classmethod
    @renderer(renderer_type=LegacyDiagnosticRendererType.UNEXPECTED_TABLE)
    def _diagnostic_unexpected_table_renderer(
        cls, configuration: Any = None, result: Any = None, runtime_configuration: Any = None
    ) -> list | None:
        """The sampled rows as a table, one column per column of the query."""
        rows = ((result.result or {}).get("partial_unexpected_list") or []) if result else []
        if not rows:
            return None
        header = list(rows[0])
        return [
            RenderedTableContent(
                content_block_type="table",
                table=[[str(row.get(column)) for column in header] for row in rows],
                header_row=header,
                styling={"body": {"classes": ["table-bordered", "table-sm", "mt-3"]}},
            )
        ]
