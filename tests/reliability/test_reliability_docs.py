"""docs/reliability.md and the suite agree: every case has its tests, every test its case."""

import ast
import re
from pathlib import Path

from pipelines.config import PROJECT_ROOT

DOC = PROJECT_ROOT / "docs" / "reliability.md"
SUITE = Path(__file__).parent
ROW = re.compile(r"^\| `(?P<case>[A-Z]{2}-\d{2})` \|")
TEST = re.compile(r"`(?P<file>(?:tests/[\w/]+/)?test_\w+\.py)::(?P<name>test_\w+)`")


def documented() -> dict[str, tuple[set[str], set[str]]]:
    """Per case id of the doc's table: its reliability tests and the other tests it cites."""
    cases = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        row = ROW.match(line)
        if row is None:
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split(" | ")]
        assert len(cells) == 5, line
        own = {f"{m['file']}::{m['name']}" for m in TEST.finditer(cells[3])}
        cited = {f"{m['file']}::{m['name']}" for m in TEST.finditer(cells[4])}
        assert row["case"] not in cases, f"{row['case']} has two rows"
        cases[row["case"]] = (own, cited)
    return cases


def case_marks(function: ast.FunctionDef) -> list[str]:
    """The ids of a test function's `@pytest.mark.case("...")` decorators."""
    found = []
    for decorator in function.decorator_list:
        if (
            isinstance(decorator, ast.Call)
            and ast.unparse(decorator.func) == "pytest.mark.case"
            and len(decorator.args) == 1
            and isinstance(decorator.args[0], ast.Constant)
        ):
            found.append(decorator.args[0].value)
    return found


def functions_of(path: Path) -> dict[str, ast.FunctionDef]:
    """The module-level test functions of a test file, by name."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {
        node.name: node
        for node in tree.body
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")
    }


def marked_tests() -> tuple[dict[str, set[str]], list[str]]:
    """Per case id, the suite's tests marked with it; and the suite's tests without a case."""
    cases: dict[str, set[str]] = {}
    unmarked = []
    for path in sorted(SUITE.glob("test_*.py")):
        if path.name == Path(__file__).name:
            continue
        for name, function in functions_of(path).items():
            marks = case_marks(function)
            if not marks:
                unmarked.append(f"{path.name}::{name}")
            for case in marks:
                cases.setdefault(case, set()).add(f"{path.name}::{name}")
    return cases, unmarked


def test_every_case_in_the_doc_has_its_tests_and_every_test_its_case() -> None:
    in_doc = documented()
    in_suite, unmarked = marked_tests()

    assert unmarked == []
    assert sorted(in_doc) == sorted(in_suite)
    assert {case: own for case, (own, _) in in_doc.items()} == in_suite
    assert len(in_doc) >= 35


def test_the_tests_the_doc_cites_exist() -> None:
    cited = {test for _, others in documented().values() for test in others}

    missing = []
    for test in sorted(cited):
        file, name = test.split("::")
        path = PROJECT_ROOT / file
        if not path.exists() or name not in functions_of(path):
            missing.append(test)
    assert cited and missing == []
