"""A publisher killed at every step of the switch leaves the old or the new publish, whole."""

import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from reliability_helpers import read_published, small_warehouse, versions

from pipelines.publish.snapshot import publish_snapshot

PUBLISHER = Path(__file__).with_name("killing_publisher.py")
TEMPORARY = re.compile(r"^\..+\.[0-9a-f]{32}$")


def publish_killed_after(warehouse: Path, marts: Path, step: int) -> subprocess.CompletedProcess:
    """Run the killing publisher on the marts dir; K = `step`."""
    return subprocess.run(
        [sys.executable, str(PUBLISHER), str(warehouse), str(marts), str(step)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


@pytest.mark.case("CR-04")
def test_a_publisher_killed_at_any_step_leaves_a_whole_publish(tmp_path: Path) -> None:
    warehouse = small_warehouse(tmp_path / "warehouse.duckdb", suppliers=1)
    template = tmp_path / "template"
    publish_snapshot(warehouse, template)
    current = publish_snapshot(warehouse, template)  # two publishes: the next one prunes one
    old = read_published(template)
    small_warehouse(warehouse, suppliers=3)
    with duckdb.connect(str(warehouse)) as conn:
        conn.execute("update marts.kpi_growth set value = 160 where period = '2023-H1'")
    shutil.copytree(template, tmp_path / "dry", symlinks=True)
    dry_run = publish_killed_after(warehouse, tmp_path / "dry", 0)
    assert dry_run.returncode == 0, dry_run.stderr
    steps = int(dry_run.stdout.split()[0])
    new_checksums = read_published(tmp_path / "dry").checksums

    outcomes = []
    for step in range(1, steps + 1):
        marts = tmp_path / f"killed-after-{step}"
        shutil.copytree(template, marts, symlinks=True)
        killed = publish_killed_after(warehouse, marts, step)
        assert killed.returncode == -signal.SIGKILL, killed.stderr

        published = read_published(marts)
        published.assert_whole()
        if published.manifest_id == current.publish_id:
            assert published.checksums == old.checksums
            outcomes.append("old")
        else:
            assert published.history_ids == (*old.history_ids, published.manifest_id)
            assert published.checksums == new_checksums
            outcomes.append("new")

        # The next publish needs no clean-up and keeps only itself and the one it replaced.
        before = published.manifest_id
        again = publish_snapshot(warehouse, marts)
        after = read_published(marts)
        after.assert_whole()
        assert (after.manifest_id, after.checksums) == (again.publish_id, new_checksums)
        assert versions(marts) == sorted([before, again.publish_id])
        assert not [path.name for path in marts.iterdir() if TEMPORARY.match(path.name)]

    # Killed before the switch: the old publish; after it: the new one; never anything else.
    assert outcomes == sorted(outcomes, key=["old", "new"].index)
    assert outcomes[0] == "old" and outcomes[-1] == "new"
