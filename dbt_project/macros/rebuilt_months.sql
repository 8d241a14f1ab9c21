{#-
    Models incremental by month on DuckDB (Spark builds them as tables); docs/marts.md has the
    rules. stg_marketplace__order_lines rebuilds the run's months, like fct_order_lines.
    fct_orders and the aggregates to months rebuild every month from the run's first month on
    and keep the months before it: a buyer's first active month and a supplier-buyer pair's
    running order count depend on every earlier month, so a rebuilt month changes the months
    after it, never the ones before. A new month at the end rebuilds that month alone; a run
    with no month range rebuilds everything.

    In a model: `{{ config(**incremental_by_month("{{ delete_months_from('month_start') }}")) }}`,
    rows filtered with and_rebuilt_month(), and the months kept read back from {{ this }}
    (the pre-hook has deleted the rest by then).
-#}


{#-
    The config of a model incremental by month on DuckDB: rows appended after `pre_hook` has
    deleted what the run rebuilds. A change of columns fails the run (rebuild it with
    --full-refresh). Spark builds a table.
-#}
{% macro incremental_by_month(pre_hook) -%}
    {%- if target.type in ('spark', 'databricks') -%}
        {{ return({'materialized': 'table'}) }}
    {%- endif -%}
    {{ return({
        'materialized': 'incremental',
        'incremental_strategy': 'append',
        'on_schema_change': 'fail',
        'pre_hook': pre_hook,
    }) }}
{%- endmacro %}


{#-
    The first month an incremental run rebuilds (an ISO date), or none: the whole table (a
    first build, a full refresh, or an incremental run without a month range).
-#}
{% macro rebuilt_from_month() -%}
    {%- set months = month_range() -%}
    {{ return(months.from if months is not none and is_incremental() else none) }}
{%- endmacro %}


{#- `and <column> >= <first rebuilt month>`, or nothing when the whole table is rebuilt. -#}
{% macro and_rebuilt_month(column) -%}
    {%- set from_month = rebuilt_from_month() -%}
    {%- if from_month is not none %} and {{ column }} >= cast('{{ from_month }}' as date){% endif -%}
{%- endmacro %}


{#-
    Pre-hook: on an incremental run, delete the months the run rebuilds (every row when there
    is no month range), and the rows matching `also` (a SQL condition) with them.
-#}
{% macro delete_months_from(column, also=none) -%}
    {%- if is_incremental() -%}
        delete from {{ this }} where true {{- and_rebuilt_month(column) -}}
        {%- if also is not none %} or {{ also }}{% endif -%}
    {%- endif -%}
{%- endmacro %}


{#-
    Pre-hook of fct_orders: delete the orders of the months rebuilt and every order with a line
    in them (an order whose lines span months is in its latest month). The model then rebuilds
    each order that has lines and no row.
-#}
{% macro delete_rebuilt_orders() -%}
    {{ delete_months_from(
        'order_month',
        also="order_id in (select order_id from " ~ ref('fct_order_lines')
            ~ " where true" ~ and_rebuilt_month('order_month') ~ ")",
    ) }}
{%- endmacro %}


{#-
    Pre-hook of stg_marketplace__order_lines: delete the lines of the run's months and every
    line whose key has a raw copy ordered in them (a copy there may now win the
    de-duplication). The model then de-duplicates the raw copies of each key with no row.
-#}
{% macro delete_rebuilt_order_lines(source_relation) -%}
    {%- if is_incremental() -%}
        {%- set months = month_range() -%}
        {%- set ordered_at = utc_timestamp('ordered_at', source_column_types(source_relation)) -%}
        delete from {{ this }}
        {%- if months is not none %}
        where ({{ in_months(months, 'order_month') }})
        or (order_id, line_number) in (
            select (trim(order_id), cast(line_number as integer))
            from {{ source_relation }}
            where {{ ordered_at }} >= cast('{{ months.from }}' as timestamp)
                and {{ ordered_at }} < cast('{{ months.to }}' as timestamp) + interval 1 month
        )
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}
