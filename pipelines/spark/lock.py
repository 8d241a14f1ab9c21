"""One dbt process per Spark metastore at a time.

The session method runs Spark inside the dbt process, with an embedded Derby metastore under the
Spark dir. Derby admits one JVM: a second dbt process on the same metastore would fail, or worse,
change the warehouse dir under the first. Every Spark build takes this lock first.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from pipelines.errors import TradePulseError

LOCK_FILE = "metastore.lock"
LOCK_WAIT_SECONDS = 3600.0


def lock_path(spark_dir: Path) -> Path:
    """The lock file of the metastore under `spark_dir`."""
    return spark_dir / LOCK_FILE


@contextmanager
def metastore_lock(spark_dir: Path, wait_seconds: float = LOCK_WAIT_SECONDS) -> Iterator[None]:
    """Hold the metastore of `spark_dir` for this process, waiting while another holds it."""
    spark_dir.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(lock_path(spark_dir)), thread_local=False)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        print(
            f"waiting for another dbt process to release the Spark metastore in {spark_dir}",
            file=sys.stderr,
        )
        try:
            lock.acquire(timeout=wait_seconds)
        except Timeout:
            raise TradePulseError(
                f"the Spark metastore in {spark_dir} has been busy for {wait_seconds:.0f} s "
                f"(lock: {lock_path(spark_dir)}); wait for the other run or stop it"
            ) from None
    try:
        yield
    finally:
        lock.release()
