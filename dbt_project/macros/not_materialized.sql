{#-
    The hint that keeps a CTE read by several branches of one query from being materialized:
    `active_lines as {{ not_materialized() }} (...)`. DuckDB materializes such a CTE whole, in
    memory and then on disk. Inlined, each branch scans the columnar table for the columns it
    needs (int_metrics_monthly at 10 M lines: 10.2 s and 1.1 GiB instead of 13.4 s and
    2.9 GiB). Spark has no such hint and gets nothing.
-#}
{% macro not_materialized() -%}
    {{ return(adapter.dispatch('not_materialized', 'tradepulse')()) }}
{%- endmacro %}

{% macro default__not_materialized() -%}
{%- endmacro %}

{% macro duckdb__not_materialized() -%}
    not materialized
{%- endmacro %}
