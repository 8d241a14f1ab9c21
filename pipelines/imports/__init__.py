"""Imports of real exports onto the raw contract: `tradepulse import ...`."""

from pipelines.imports.online_retail import import_online_retail
from pipelines.imports.summary import ImportSummary

__all__ = ["ImportSummary", "import_online_retail"]
