"""The project's dbt, run by tests against a warehouse of their own.

pytest puts `tests/` on the import path (its conftest.py is not in a package), so any test
module can `from dbt_commands import run_dbt`.
"""

import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from pipelines.config import DBT_PROJECT_DIR


def run_dbt(
    args: Sequence[str], warehouse: Path, work_dir: Path, check: bool = True
) -> subprocess.CompletedProcess[str]:
    """Run the venv's dbt on the project against `warehouse`, target and logs in `work_dir`."""
    env = {
        **os.environ,
        "TRADEPULSE_WAREHOUSE": str(warehouse),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    executable = Path(sys.executable).parent / "dbt"
    command = [
        str(executable) if executable.exists() else "dbt",
        *args,
        "--project-dir", str(DBT_PROJECT_DIR),
        "--profiles-dir", str(DBT_PROJECT_DIR),
        "--target-path", str(work_dir / "target"),
        "--log-path", str(work_dir / "logs"),
    ]  # fmt: skip
    completed = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if check and completed.returncode != 0:
        pytest.fail(f"dbt {' '.join(args)} failed:\n{completed.stdout[-6000:]}{completed.stderr}")
    return completed
