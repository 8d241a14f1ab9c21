"""Warming imports in the background while a run's first steps work."""

import sys

from pipelines.run.warm import warm_imports


def test_the_modules_are_imported_in_a_daemon_thread() -> None:
    sys.modules.pop("colorsys", None)

    thread = warm_imports(("colorsys",))
    thread.join(timeout=30)

    assert thread.daemon and not thread.is_alive()
    assert "colorsys" in sys.modules


def test_a_module_that_fails_to_import_stops_the_thread_quietly() -> None:
    sys.modules.pop("calendar", None)

    thread = warm_imports(("tradepulse_no_such_module", "calendar"))
    thread.join(timeout=30)

    assert not thread.is_alive()
    assert "tradepulse_no_such_module" not in sys.modules
