"""docs/data-quality.md lists every check exactly as the suites define it."""

from pathlib import Path

from pipelines.config import PROJECT_ROOT
from pipelines.quality.docs import BEGIN, END, checks_markdown
from pipelines.quality.suites import SUITES


def test_docs_list_every_check_as_generated() -> None:
    text = Path(PROJECT_ROOT, "docs", "data-quality.md").read_text()
    assert text[text.index(BEGIN) : text.index(END) + len(END)] == checks_markdown()


def test_generated_tables_have_one_row_per_check() -> None:
    rows = [line for line in checks_markdown().splitlines() if line.startswith("| `")]
    assert len(rows) == sum(len(suite.expectations) for suite in SUITES) == 90
