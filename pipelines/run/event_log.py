"""Dagster's SQLite event log, with one open connection per database instead of one per write.

Dagster's `SqliteEventLogStorage` creates an engine, opens the file and commits with a full sync
for every event it stores (and twice for asset and check events, mirrored into the index
database). A tiny `tradepulse run` stores about 1,000 events; docs/performance.md has what this
class saves. It writes the same files with the same schema, so `dagster dev` and any other
process read them with Dagster's own class.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from dagster._core.storage.event_log.sqlite.sqlite_event_log import (
    SQLITE_BUSY_TIMEOUT_SECONDS,
    SqliteEventLogStorage,
)
from dagster._serdes import ConfigurableClassData

# The index database and the current run's; a few more for readers of recent runs.
OPEN_DATABASES = 4


class PooledSqliteEventLogStorage(SqliteEventLogStorage):
    """The SQLite event log, keeping a connection open to each of the last few databases used.

    WAL journal with `synchronous=normal`: a commit no longer waits for the disk, and a crash of
    the machine (not of the process) can lose the last events, never corrupt the file.
    """

    def __init__(self, base_dir: str, inst_data: ConfigurableClassData | None = None) -> None:
        # Guarded by Dagster's _db_lock, which every caller of _engine and _close_all holds.
        self._engines: OrderedDict[str, sa.Engine] = OrderedDict()
        super().__init__(base_dir, inst_data)

    @classmethod
    def from_config_value(
        cls, inst_data: ConfigurableClassData | None, config_value: Mapping[str, Any]
    ) -> PooledSqliteEventLogStorage:
        """Build from the `config` of dagster.yaml's `event_log_storage` (its `base_dir`)."""
        return cls(inst_data=inst_data, **config_value)

    @contextmanager
    def _connect(self, shard: str) -> Iterator[sa.Connection]:
        with self._db_lock:
            engine = self._engine(shard)
            if shard not in self._initialized_dbs:
                self._initdb(engine)
                self._initialized_dbs.add(shard)
            with engine.connect() as conn, conn.begin():
                yield conn

    def _engine(self, shard: str) -> sa.Engine:
        engine = self._engines.pop(shard, None)
        if engine is None:
            engine = sa.create_engine(
                self.conn_string_for_shard(shard),
                poolclass=sa.pool.StaticPool,
                connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS, "check_same_thread": False},
            )
            sa.event.listen(engine, "connect", _set_synchronous_normal)
        self._engines[shard] = engine
        while len(self._engines) > OPEN_DATABASES:
            self._engines.popitem(last=False)[1].dispose()
        return engine

    def _close_all(self) -> None:
        while self._engines:
            self._engines.popitem()[1].dispose()

    def wipe(self) -> None:
        """Delete every run's database (closing the open connections first) and the index."""
        with self._db_lock:
            self._close_all()
        super().wipe()

    def dispose(self) -> None:
        """Close the open connections, and what Dagster's class closes."""
        with self._db_lock:
            self._close_all()
        super().dispose()


def _set_synchronous_normal(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.execute("pragma synchronous = normal")
