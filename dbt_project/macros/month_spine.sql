{#-
    One row per month from first_month to last_month (date expressions, first days of months),
    as a column named month_start. Portable: no generate_series, just a 0..999 counter.
    Example: select month_start from ({{ month_spine("date '2023-01-01'", "date '2023-12-01'") }}).
-#}
{% macro month_spine(first_month, last_month) -%}
    with digits as (
        select 0 as digit union all select 1 union all select 2 union all select 3
        union all select 4 union all select 5 union all select 6 union all select 7
        union all select 8 union all select 9
    ),

    counter as (
        select hundreds.digit * 100 + tens.digit * 10 + units.digit as month_offset
        from digits as hundreds
        cross join digits as tens
        cross join digits as units
    ),

    months as (
        select cast({{ dbt.dateadd('month', 'counter.month_offset', first_month) }} as date)
            as month_start
        from counter
    )

    select month_start
    from months
    where month_start <= {{ last_month }}
{%- endmacro %}
