"""The dbt project and its manifest, re-parsed only when a project file changed.

dbt itself re-uses its last parse (`partial_parse.msgpack`) only when the profile it renders is
the same: the warehouse path and memory cap come from the environment, so a run with other
settings than the last parse's would parse the whole project again (about 4 s). Each set of
settings keeps its own saved parse (`target/parse-states/`), restored before a build and
saved after it.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import re
import shutil
import subprocess
import sys
import uuid
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path

from dagster_dbt import DbtCliResource, DbtProject
from packaging import version

from pipelines.config import DBT_PROJECT_DIR, Settings, get_settings
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
PARTIAL_PARSE_FILE = "partial_parse.msgpack"
_PARSE_STATES_DIR = "parse-states"
# Saved parses kept (the newest): one per warehouse location in use, each about 1 MB.
PARSE_STATES_KEPT = 8
# Target dirs of past builds kept (the newest), for their logs, compiled SQL and run results:
# each holds a manifest and a parse, 8 to 10 MB, and a scheduled warehouse builds every day.
INVOCATION_TARGETS_KEPT = 10
# The name of one invocation's target dir (invocation_target_path, as dagster-dbt names them):
# <op>-<run id[:7]>-<random[:7]>.
_INVOCATION_TARGET = re.compile(r"\w+-[0-9a-f]{7}-[0-9a-f]{7}")


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
    save_parse_state(project, get_settings(), project.project_dir / project.target_path)
    return project.manifest_path


def parse_state_path(project: DbtProject, settings: Settings) -> Path:
    """Where the parse of dbt's last build or parse with these `settings` is kept."""
    environment = sorted(settings.dbt_env().items())
    key = json.dumps([environment, importlib.metadata.version("dbt-core")])
    digest = hashlib.sha256(key.encode()).hexdigest()[:16]
    return project.project_dir / project.target_path / _PARSE_STATES_DIR / f"{digest}.msgpack"


def restore_parse_state(project: DbtProject, settings: Settings, target_path: Path) -> bool:
    """Put the parse saved for `settings` where a dbt command writing to `target_path` reads it.

    Returns False when none is saved: dbt then parses what it must (dagster-dbt copies the
    project's own `target/partial_parse.msgpack`, from its last `dbt parse`).
    """
    saved = parse_state_path(project, settings)
    if not saved.exists():
        return False
    target_path.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(saved, target_path / PARTIAL_PARSE_FILE)
    return True


def save_parse_state(project: DbtProject, settings: Settings, target_path: Path) -> None:
    """Keep the parse a dbt command left in `target_path` for the next one with `settings`."""
    produced = target_path / PARTIAL_PARSE_FILE
    if not produced.exists():
        return
    saved = parse_state_path(project, settings)
    saved.parent.mkdir(parents=True, exist_ok=True)
    partial = saved.with_name(f"{saved.name}.{os.getpid()}.tmp")
    shutil.copyfile(produced, partial)
    os.replace(partial, saved)
    _remove_all_but_newest(list(saved.parent.glob("*.msgpack")), PARSE_STATES_KEPT)


def _remove_all_but_newest(paths: list[Path], keep: int) -> None:
    """Delete every file or dir of `paths` but the `keep` most recently modified."""
    for stale in sorted(paths, key=lambda path: path.stat().st_mtime)[: max(len(paths) - keep, 0)]:
        if stale.is_dir():
            shutil.rmtree(stale, ignore_errors=True)
        else:
            stale.unlink(missing_ok=True)


def invocation_target_path(project: DbtProject, op_name: str, run_id: str) -> Path:
    """A target dir of its own for one dbt invocation, named like dagster-dbt names them."""
    return (
        project.project_dir / project.target_path / f"{op_name}-{run_id[:7]}-{uuid.uuid4().hex[:7]}"
    )


def prune_invocation_targets(target_dir: Path, keep: int = INVOCATION_TARGETS_KEPT) -> None:
    """Delete all but the newest `keep` per-build target dirs under `target_dir`.

    Other entries (saved parses, the manifest, what dbt run by hand leaves) are not touched.
    """
    if not target_dir.is_dir():
        return
    builds = [
        entry
        for entry in target_dir.iterdir()
        if entry.is_dir() and _INVOCATION_TARGET.fullmatch(entry.name)
    ]
    _remove_all_but_newest(builds, keep)


class TradePulseDbtCli(DbtCliResource):
    """dagster-dbt's resource, told dbt's version instead of asking the executable, and with no
    dbt adapter of its own.

    dagster-dbt runs `dbt --version` in a subprocess before every invocation (about 3 s here) to
    choose between dbt Core and the Fusion engine. The executable is always this environment's
    dbt (or a wrapper around it, for Spark), so the installed dbt-core package answers.
    """

    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(importlib.metadata.version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args: Sequence[str]) -> None:  # type: ignore[override]
        """No dbt adapter in this process.

        dagster-dbt builds one before every invocation (loading the profile, the project and
        dbt's macros: about 2 s) for one use: fetching row counts and column metadata after the
        build, which this project does not ask for. The build itself runs in dbt's process.
        """
        return None


dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR)
ensure_manifest(dbt_project)
