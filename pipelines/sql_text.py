"""SQL text for the few places where DuckDB takes no parameter: quoted literals and names.

Values reach DuckDB as bound parameters wherever it accepts them. `COPY ... TO '<file>'` and a
view's definition (which is stored as text and re-read by whoever opens the database) need the
path written into the statement; these helpers quote it so no character can end the literal.
"""


def string_literal(text: str) -> str:
    """`text` as a single-quoted SQL string literal, quotes doubled.

    >>> print(string_literal("/data/O'Brien; drop table x --/marts"))
    '/data/O''Brien; drop table x --/marts'
    """
    if "\x00" in text:
        raise ValueError(f"a NUL character cannot be written in SQL text: {text!r}")
    return "'" + text.replace("'", "''") + "'"


def identifier(name: str) -> str:
    """`name` as a double-quoted SQL identifier, quotes doubled.

    >>> print(identifier('fct "big" orders'))
    "fct ""big"" orders"
    """
    if "\x00" in name:
        raise ValueError(f"a NUL character cannot be written in SQL text: {name!r}")
    return '"' + name.replace('"', '""') + '"'
