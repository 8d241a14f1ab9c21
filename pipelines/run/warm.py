"""Import what later steps of a run need while the first steps work.

A run's first check step imports Great Expectations (about 3 s). Ingestion before it spends its
time in polars and DuckDB, which release the GIL, so a background thread can pay for that import
meanwhile. Python's per-module import locks keep a step that needs a module before the thread is
done waiting for it rather than importing it twice. (dbt's adapter is not imported in this
process at all: see TradePulseDbtCli.)
"""

import importlib
import threading

# What the first quality check imports.
MODULES = ("great_expectations",)


def _import_all(modules: tuple[str, ...]) -> None:
    for name in modules:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - the step that needs it will raise it where it matters
            return


def warm_imports(modules: tuple[str, ...] = MODULES) -> threading.Thread:
    """Start importing `modules` in a daemon thread; returns the thread."""
    thread = threading.Thread(
        target=_import_all, args=(modules,), name="tradepulse-warm-imports", daemon=True
    )
    thread.start()
    return thread
