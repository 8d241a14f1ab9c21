"""Publish a warehouse's marts and SIGKILL this process right after its K-th file-system switch.

Usage: python killing_publisher.py WAREHOUSE MARTS_DIR K

Every `os.replace` (a rename into place) and `shutil.rmtree` (pruning) counts as one step. K = 0
never kills; the number of steps taken is then printed, so a test can try every K.
"""

import os
import shutil
import signal
import sys
from collections.abc import Callable
from pathlib import Path

from pipelines.publish.snapshot import publish_snapshot

STEPS = 0


def killing_after(step: Callable[..., object], kill_after: int) -> Callable[..., object]:
    """`step`, counted, and the process killed once the count reaches `kill_after`."""

    def wrapped(*args: object, **kwargs: object) -> object:
        global STEPS
        result = step(*args, **kwargs)
        STEPS += 1
        if kill_after == STEPS:
            os.kill(os.getpid(), signal.SIGKILL)
        return result

    return wrapped


if __name__ == "__main__":
    warehouse, marts_dir, kill_after = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
    os.replace = killing_after(os.replace, kill_after)
    shutil.rmtree = killing_after(shutil.rmtree, kill_after)
    publication = publish_snapshot(warehouse, marts_dir)
    print(STEPS, publication.publish_id)
