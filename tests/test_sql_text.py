import duckdb
import pytest

from pipelines.sql_text import identifier, string_literal

HOSTILE = [
    "/data/O'Brien; drop table x --/marts",
    "''); select 1; --",
    'back\\slash "double" \n newline',
    "Công ty TNHH 'Hoàng Thanh'",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_a_literal_reads_back_as_the_text(text: str) -> None:
    with duckdb.connect() as conn:
        assert conn.execute(f"select {string_literal(text)}").fetchone() == (text,)


@pytest.mark.parametrize("name", HOSTILE)
def test_an_identifier_names_exactly_the_column(name: str) -> None:
    with duckdb.connect() as conn:
        relation = conn.execute(f"select 1 as {identifier(name)}")
        assert [column[0] for column in relation.description] == [name]


def test_a_nul_character_is_refused() -> None:
    with pytest.raises(
        ValueError, match=r"^a NUL character cannot be written in SQL text: 'a\\x00b'$"
    ):
        string_literal("a\x00b")
