{#-
    The median of a numeric expression as an aggregate, on any adapter:
    {{ median('first_response_hours') }} -> median(first_response_hours) on DuckDB.
-#}
{% macro median(expression) -%}
    {{ return(adapter.dispatch('median', 'tradepulse')(expression)) }}
{%- endmacro %}

{% macro default__median(expression) -%}
    percentile_cont(0.5) within group (order by {{ expression }})
{%- endmacro %}

{% macro duckdb__median(expression) -%}
    median({{ expression }})
{%- endmacro %}

{#- Spark's exact percentile; percentile_approx would trade exactness for memory. -#}
{% macro spark__median(expression) -%}
    percentile({{ expression }}, 0.5)
{%- endmacro %}

{% macro databricks__median(expression) -%}
    percentile({{ expression }}, 0.5)
{%- endmacro %}
