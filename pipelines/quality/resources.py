"""One Great Expectations session per Dagster run, shared by the check steps of every suite.

Building a GX context and rendering Data Docs cost about a second per suite when each suite
did its own. The resource creates one `GXSession` when the run's first suite runs and, when
the run ends (whatever its outcome, so a blocked run's failures are in the docs too), closes it
and renders the Data Docs of every suite the run validated, once. With the in-process executor
(`pipelines/definitions.py`) a run initializes it once; under an executor with a process per
step each step gets its own session and renders its own suite, as before.
"""

from pathlib import Path
from typing import TYPE_CHECKING, Any

import dagster as dg
from pydantic import PrivateAttr

from pipelines.config import get_settings
from pipelines.publish.layout import QUALITY_DIR

if TYPE_CHECKING:
    from pipelines.quality.runner import GXSession


class GreatExpectationsResource(dg.ConfigurableResource):
    """The run's GX session; Data Docs go to `data_docs_dir` (default the marts dir's quality/).

    GX is imported when the first suite asks for the session, not when the definitions load.
    """

    data_docs_dir: str = ""

    _session: Any = PrivateAttr(default=None)

    def docs_dir(self) -> Path:
        """Where the Data Docs site is written: `$TRADEPULSE_MARTS_DIR/quality/` by default."""
        return (
            Path(self.data_docs_dir)
            if self.data_docs_dir
            else get_settings().marts_dir / QUALITY_DIR
        )

    def session(self) -> "GXSession":
        """The run's GX session, created on first use."""
        if self._session is None:
            from pipelines.quality.runner import GXSession

            self._session = GXSession(self.docs_dir())
        return self._session

    def teardown_after_execution(self, context: dg.InitResourceContext) -> None:
        """Release the warehouse and render the Data Docs of the run's suites."""
        session, self._session = self._session, None
        if session is None:
            return
        session.close()
        index = session.build_data_docs()
        if index is not None and context.log is not None:
            context.log.info(f"Data Docs of {session.validations} GX suites in {index}")
