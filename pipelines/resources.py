"""The warehouse resource shared by every domain: one DuckDB file named by TRADEPULSE_WAREHOUSE."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import duckdb

from pipelines.config import duckdb_config, get_settings


class WarehouseResource(dg.ConfigurableResource):
    """Connections to the working DuckDB warehouse.

    The file is resolved when a connection opens, so that TRADEPULSE_WAREHOUSE set after the
    definitions load (a test, a CLI flag) still applies. An explicit `database` overrides it.
    """

    database: str = ""

    def path(self) -> Path:
        """The warehouse file this resource opens."""
        return Path(self.database) if self.database else get_settings().warehouse

    @contextmanager
    def get_connection(self, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        """Open the warehouse, closing it (and releasing the file lock) on exit."""
        path = self.path()
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = duckdb.connect(str(path), read_only=read_only, config=duckdb_config())
        try:
            yield conn
        finally:
            conn.close()
