"""The metastore lock: one holder at a time, a clear error when it stays busy."""

import threading
import time
from pathlib import Path

import pytest

from pipelines.errors import TradePulseError
from pipelines.spark.lock import lock_path, metastore_lock


def test_a_second_holder_waits_then_gives_up_with_the_lock_file(tmp_path: Path) -> None:
    spark_dir = tmp_path / "spark"
    with (
        metastore_lock(spark_dir),
        pytest.raises(TradePulseError) as raised,
        metastore_lock(spark_dir, wait_seconds=0.2),
    ):
        pass
    assert str(raised.value) == (
        f"the Spark metastore in {spark_dir} has been busy for 0 s "
        f"(lock: {lock_path(spark_dir)}); wait for the other run or stop it"
    )


def test_the_next_holder_gets_the_lock_when_it_is_released(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spark_dir = tmp_path / "spark"
    order = []
    first_has_it = threading.Event()

    def first() -> None:
        with metastore_lock(spark_dir):
            first_has_it.set()
            time.sleep(0.3)
            order.append("first released")

    holder = threading.Thread(target=first)
    holder.start()
    first_has_it.wait()
    with metastore_lock(spark_dir, wait_seconds=10):
        order.append("second acquired")
    holder.join()
    assert order == ["first released", "second acquired"]
    assert (
        "waiting for another dbt process to release the Spark metastore" in capsys.readouterr().err
    )
