"""The dbt project and its manifest, re-parsed only when a project file changed."""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import subprocess
import sys
from functools import cached_property
from pathlib import Path

from dagster_dbt import DbtCliResource, DbtProject
from packaging import version

from pipelines.config import DBT_PROJECT_DIR, get_settings
from pipelines.errors import TradePulseError

_PROJECT_FILE_GLOBS = (
    "dbt_project.yml",
    "profiles.yml",
    "models/**/*",
    "macros/**/*",
    "seeds/**/*",
    "tests/**/*",
)
_FINGERPRINT_FILE = ".tradepulse-manifest-fingerprint"


def dbt_executable() -> str:
    """The dbt executable of the running interpreter's environment (the venv's bin/)."""
    candidate = Path(sys.executable).parent / "dbt"
    return str(candidate) if candidate.exists() else "dbt"


def project_fingerprint(project_dir: Path = DBT_PROJECT_DIR) -> str:
    """A hash of every file that shapes the manifest."""
    digest = hashlib.sha256()
    for pattern in _PROJECT_FILE_GLOBS:
        for path in sorted(project_dir.glob(pattern)):
            if path.is_file():
                digest.update(str(path.relative_to(project_dir)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def ensure_manifest(project: DbtProject) -> Path:
    """Parse the dbt project when its manifest is missing or older than the project files."""
    fingerprint_path = project.project_dir / project.target_path / _FINGERPRINT_FILE
    fingerprint = project_fingerprint(project.project_dir)
    if (
        project.manifest_path.exists()
        and fingerprint_path.exists()
        and fingerprint_path.read_text() == fingerprint
    ):
        return project.manifest_path
    env = {**os.environ, **get_settings().dbt_env(), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    completed = subprocess.run(
        [
            dbt_executable(),
            "parse",
            "--quiet",
            "--project-dir",
            str(project.project_dir),
            "--profiles-dir",
            str(project.profiles_dir),
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0 or not project.manifest_path.exists():
        raise TradePulseError(
            "dbt could not parse the project in "
            f"{project.project_dir}:\n{completed.stdout}{completed.stderr}"
        )
    fingerprint_path.write_text(fingerprint)
    return project.manifest_path


class TradePulseDbtCli(DbtCliResource):
    """dagster-dbt's resource, told dbt's version instead of asking the executable.

    dagster-dbt runs `dbt --version` in a subprocess before every invocation (about 3 s here) to
    choose between dbt Core and the Fusion engine. The executable is always this environment's
    dbt (or a wrapper around it, for Spark), so the installed dbt-core package answers.
    """

    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(importlib.metadata.version("dbt-core"))


dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR)
ensure_manifest(dbt_project)
