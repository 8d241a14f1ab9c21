"""dbt for the Spark target: dbt's own command line, with Spark's ANSI mode as profiles.yml sets it.

dbt-spark 1.11 overwrites `spark.sql.ansi.enabled` with false in every profile, and its session
method re-applies that before each statement, so a `set` cannot turn it back on. This entry
point keeps the profile's value. Run it as dbt, e.g. `python -m pipelines.spark.dbt_cli build
--target spark`; `dbt_executable()` writes a `dbt` wrapper around it for dagster-dbt.
"""

from __future__ import annotations

import stat
import sys
from pathlib import Path

ANSI_MODE = "spark.sql.ansi.enabled"


def keep_profile_ansi_mode() -> None:
    """Make dbt-spark's credentials keep the profile's `spark.sql.ansi.enabled`."""
    from dbt.adapters.spark.connections import SparkCredentials

    forced = SparkCredentials.__post_init__
    if getattr(forced, "keeps_ansi_mode", False):
        return

    def __post_init__(self: SparkCredentials) -> None:
        wanted = {str(k): str(v) for k, v in (self.server_side_parameters or {}).items()}
        forced(self)
        if ANSI_MODE in wanted:
            self.server_side_parameters[ANSI_MODE] = wanted[ANSI_MODE]

    __post_init__.keeps_ansi_mode = True  # type: ignore[attr-defined]
    SparkCredentials.__post_init__ = __post_init__  # type: ignore[method-assign]


def main(argv: list[str] | None = None) -> None:
    """Run dbt with `argv` (default: the command line's); exits with dbt's exit code."""
    keep_profile_ansi_mode()
    from dbt.cli.main import cli

    cli.main(args=argv, prog_name="dbt")


def dbt_executable(directory: Path) -> Path:
    """Write (when missing or stale) an executable `dbt` in `directory` that runs `main`."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "dbt"
    script = f"#!{sys.executable}\nfrom pipelines.spark.dbt_cli import main\n\nmain()\n"
    if not path.exists() or path.read_text() != script:
        temporary = path.with_name(".dbt.tmp")
        temporary.write_text(script)
        temporary.chmod(temporary.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
        temporary.replace(path)
    return path


if __name__ == "__main__":
    main()
