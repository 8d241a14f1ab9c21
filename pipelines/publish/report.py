"""The HTML report: headline cards, narrative, charts and the shortlist, from the published marts.

Self-contained: inline CSS and SVG, no scripts, no web fonts, so it reads offline.
"""

from __future__ import annotations

import json
import os
import uuid
from html import escape
from pathlib import Path

import duckdb

from pipelines.publish.charts import bar_chart, line_chart
from pipelines.publish.kpi import open_published
from pipelines.publish.layout import REPORT_FILE, manifest_file
from pipelines.publish.narrative import Sentence, growth_sentence, shortlist_sentence
from pipelines.run.headline import headline_period

STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 980px; color: #1d2733; }
h1 { margin-bottom: 0.2rem; } .meta { color: #5b6775; margin-top: 0; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(210px, 1fr)); gap: 1rem; }
.card { border: 1px solid #d5dbe2; border-radius: 8px; padding: 0.8rem 1rem; }
.card .label { color: #5b6775; font-size: 0.85rem; } .card .value { font-size: 1.7rem; }
.up { color: #11804a; } .down { color: #b42318; }
.narrative p { margin: 0.3rem 0; } .narrative .vi { font-weight: 600; }
svg { width: 100%; height: auto; } .line { fill: none; stroke: #1f6feb; stroke-width: 2; }
.grid { stroke: #e3e8ee; } .tick { font-size: 11px; fill: #5b6775; }
.bar { fill: #1f6feb; } .bar.negative { fill: #d1495b; }
table { border-collapse: collapse; font-size: 0.8rem; width: 100%; }
th, td { border-bottom: 1px solid #e3e8ee; padding: 0.25rem 0.4rem; text-align: right; }
th:nth-child(-n+3), td:nth-child(-n+3) { text-align: left; } .empty { color: #5b6775; }
"""


VN_SUPPLIERS = "Listed Vietnamese suppliers"


def _has_table(conn: duckdb.DuckDBPyConnection, table: str) -> bool:
    return bool(
        conn.execute(
            "select count(*) from information_schema.tables where table_name = ?", [table]
        ).fetchone()[0]
    )


def _columns(conn: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    rows = conn.execute(
        "select column_name from information_schema.columns where table_name = ? "
        "order by ordinal_position",
        [table],
    ).fetchall()
    return [row[0] for row in rows]


def _kpi(conn, metric, period, dimension="all", value="all"):
    return conn.execute(
        "select value, value_prior_year, yoy_growth from kpi_growth where metric = ? "
        "and period = ? and dimension = ? and dimension_value = ?",
        [metric, period, dimension, value],
    ).fetchone()


def _monthly(conn, metric, dimension="all", value="all"):
    return conn.execute(
        "select period, value, yoy_growth from kpi_growth where metric = ? "
        "and period_grain = 'month' and dimension = ? and dimension_value = ? "
        "and is_complete_period order by period",
        [metric, dimension, value],
    ).fetchall()


def _growth_class(growth: float | None) -> str:
    return "" if growth is None else ("up" if growth >= 0 else "down")


def _card(label: str, row: tuple | None, money: bool = False) -> str:
    if row is None:
        return f'<div class="card"><div class="label">{escape(label)}</div>n/a</div>'
    value, prior, growth = row
    shown = f"{value:,.0f}" + (" USD" if money else "")
    change = "n/a" if growth is None else f"{growth:+.1%}"
    prior_text = "n/a" if prior is None else f"{prior:,.0f}"
    return (
        f'<div class="card"><div class="label">{escape(label)}</div>'
        f'<div class="value">{shown}</div>'
        f'<div class="{_growth_class(growth)}">{change} year on year</div>'
        f'<div class="label">a year earlier: {prior_text}</div></div>'
    )


def _growth_bars(conn, metric, period, dimension, title, limit=15) -> str:
    rows = conn.execute(
        "select dimension_value, yoy_growth from kpi_growth where metric = ? and period = ? "
        "and dimension = ? and yoy_growth is not null "
        "order by value desc, dimension_value limit ?",
        [metric, period, dimension, limit],
    ).fetchall()
    return bar_chart([r[0] for r in rows], [r[1] for r in rows], title, percent=True)


def _monthly_section(conn, metric, dimension, value, title) -> str:
    rows = _monthly(conn, metric, dimension, value)
    labels = [r[0] for r in rows]
    values = line_chart(labels, [r[1] for r in rows], f"{title}, per month")
    growth = line_chart(
        labels, [None if r[2] is None else r[2] * 100 for r in rows], f"{title}: YoY growth, %"
    )
    note = "<p class='meta'>Complete months only. Year-on-year growth, %:</p>"
    return f"<h3>{escape(title)}</h3>{values}{note}{growth}"


def _performance_section(conn) -> str:
    if not _has_table(conn, "supplier_performance"):
        return '<p class="empty">supplier_performance is not in this publish.</p>'
    columns = _columns(conn, "supplier_performance")
    measure = next((c for c in ("on_time_shipment_rate", "on_time_rate") if c in columns), None)
    month_column = next(
        (c for c in ("month_start", "activity_month", "month") if c in columns), None
    )
    if measure is None or month_column is None:
        return '<p class="empty">supplier_performance has no on-time shipment rate.</p>'
    rows = conn.execute(
        f"""
        with latest as (select max({month_column}) as month from supplier_performance)
        select
            case when {measure} >= 0.9 then '90-100%'
                 when {measure} >= 0.8 then '80-90%'
                 when {measure} >= 0.7 then '70-80%'
                 else 'under 70%' end as bucket,
            count(*) as suppliers
        from supplier_performance, latest
        where {month_column} = latest.month and {measure} is not null
        group by bucket order by min({measure}) desc
        """
    ).fetchall()
    chart = bar_chart([r[0] for r in rows], [float(r[1]) for r in rows], "suppliers", False)
    return f"<p class='meta'>Suppliers by on-time shipment rate, latest month</p>{chart}"


def _shortlist_section(conn) -> tuple[str, Sentence | None]:
    if not _has_table(conn, "pavilion_shortlist"):
        return '<p class="empty">pavilion_shortlist is not in this publish.</p>', None
    columns = _columns(conn, "pavilion_shortlist")
    criteria = [c for c in columns if c.startswith("meets_")]
    shown = [c for c in ("shortlist_rank", "rank", "supplier_id", "supplier_name", "province",
                         "criteria_met") if c in columns]  # fmt: skip
    order = shown[0] if shown else columns[0]
    rows = conn.execute(
        f"select {', '.join(shown)} from pavilion_shortlist order by {order}"
    ).fetchall()
    month_column = next((c for c in ("evaluation_month",) if c in columns), None)
    sentence = None
    if not rows:
        message = (
            "No Vietnamese supplier qualifies in this data: the shortlist does not apply "
            "(e.g. a dataset without Vietnamese suppliers)."
        )
        return f'<p class="empty">{escape(message)}</p>', None
    if month_column:
        month = conn.execute(f"select max({month_column}) from pavilion_shortlist").fetchone()[0]
        label = month.strftime("%Y-%m") if hasattr(month, "strftime") else str(month)[:7]
        sentence = shortlist_sentence(len(rows), len(criteria), label)
    head = "".join(f"<th>{escape(c)}</th>" for c in shown)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(str(v))}</td>" for v in row) + "</tr>" for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>", sentence


def render_report(conn: duckdb.DuckDBPyConnection, manifest: dict) -> str:
    """The report's HTML, computed from the published marts."""
    period = headline_period(conn)
    buyers = _kpi(conn, "active_buyers", period) if period else None
    vn_suppliers = (
        _kpi(conn, "listed_suppliers", period, "supplier_country", "VN") if period else None
    )
    orders = _kpi(conn, "orders", period) if period else None
    gmv = _kpi(conn, "gmv_usd", period) if period else None
    sentences = []
    if buyers and buyers[2] is not None:
        sentences.append(
            growth_sentence(
                "Số lượng người mua bình quân", "Average monthly buyers", period, buyers[2]
            )
        )
    if vn_suppliers and vn_suppliers[2] is not None:
        sentences.append(
            growth_sentence(
                "Số nhà cung cấp Việt Nam bình quân",
                "Average monthly Vietnamese suppliers",
                period,
                vn_suppliers[2],
            )
        )
    shortlist_html, shortlist = _shortlist_section(conn)
    if shortlist:
        sentences.append(shortlist)
    narrative = "".join(
        f'<p class="vi" lang="vi">{escape(s.vi)}.</p><p lang="en">{escape(s.en)}.</p>'
        for s in sentences
    )
    cards = "".join(
        [
            _card(f"Active buyers, monthly average, {period}", buyers),
            _card(f"Listed Vietnamese suppliers, {period}", vn_suppliers),
            _card(f"Orders, {period}", orders),
            _card(f"GMV, {period}", gmv, money=True),
        ]
    )
    category_metric = "gmv_usd" if gmv else "active_buyers"
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>TradePulse report {escape(str(period))}</title><style>{STYLE}</style></head>
<body>
<h1>TradePulse: buyer and supplier growth</h1>
<p class="meta">Published {escape(str(manifest.get("published_at", "")))} ·
data {escape(str(manifest.get("first_month")))} to {escape(str(manifest.get("last_month")))} ·
publish {escape(str(manifest.get("publish_id", "")))}<br>
Source: {escape(str(manifest.get("data_source") or "not recorded"))}</p>
<section class="cards">{cards}</section>
<section class="narrative"><h2>In brief / Tóm tắt</h2>{narrative}</section>
<section><h2>Monthly trends</h2>
{_monthly_section(conn, "active_buyers", "all", "all", "Active buyers")}
{_monthly_section(conn, "listed_suppliers", "supplier_country", "VN", VN_SUPPLIERS)}
</section>
<section><h2>Growth by buyer region, {escape(str(period))}</h2>
{_growth_bars(conn, "active_buyers", period, "buyer_region", "active buyers by buyer region")}
</section>
<section><h2>Growth by category, {escape(str(period))}</h2>
{_growth_bars(conn, category_metric, period, "category", f"{category_metric} by category")}
</section>
<section><h2>Supplier performance</h2>{_performance_section(conn)}</section>
<section><h2>Pavilion shortlist</h2>{shortlist_html}</section>
</body></html>
"""


def write_report(marts_dir: Path) -> Path:
    """Write report.html beside the published marts, atomically."""
    manifest_path = manifest_file(marts_dir)
    manifest = json.loads(manifest_path.read_text()) if manifest_path.exists() else {}
    with open_published(marts_dir) as conn:
        html = render_report(conn, manifest)
    target = marts_dir / REPORT_FILE
    temporary = target.with_name(f".{target.name}.{uuid.uuid4().hex}")
    temporary.write_text(html, encoding="utf-8")
    os.replace(temporary, target)
    return target
