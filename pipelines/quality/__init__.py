"""Data quality: Great Expectations suites run on the DuckDB warehouse with SQL pushdown."""

import os

# Set before GX is imported anywhere in this package: GX's own usage analytics stay off.
os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
