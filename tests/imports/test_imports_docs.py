"""docs/real-data.md holds the rules as the code has them, and credits the source."""

from pipelines.config import PROJECT_ROOT
from pipelines.imports.docs import BEGIN, END, rules_markdown

DOCS = PROJECT_ROOT / "docs" / "real-data.md"


def test_the_docs_hold_the_generated_rule_tables() -> None:
    text = DOCS.read_text(encoding="utf-8")
    section = text[text.index(BEGIN) + len(BEGIN) : text.index(END)].strip("\n")
    assert section == rules_markdown()
    assert rules_markdown().count("| `") == 7 + 10  # reasons plus categories


def test_the_docs_credit_both_datasets() -> None:
    text = " ".join(DOCS.read_text(encoding="utf-8").split())
    for credit in ("10.24432/C5BW33", "10.24432/C5CG6D", "Daqing Chen", "CC BY 4.0"):
        assert credit in text
