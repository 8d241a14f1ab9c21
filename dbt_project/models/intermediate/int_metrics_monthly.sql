{#-
    One row per metric, month and slice (dimension, dimension_value) with at least one unit:
    the monthly values kpi_growth rolls up into quarters, halves and years. Which dimensions
    each metric has is listed in _intermediate.yml and docs/marts.md. The CTEs are read by many
    branches of the union and are inlined, not materialized (macros/not_materialized.sql).
    A distinct count is a count(*) over `select distinct` (month, slice, id) rows: with eight
    `count(distinct ...)` branches in one query, DuckDB spilled over 25 GB at 50 M order lines
    (each branch alone fits in memory); written this way the query fits in the 3 GB cap
    (docs/performance.md).
    Incremental by month (macros/rebuilt_months.sql), except listed_suppliers: it comes from
    the suppliers' listing dates, not from orders, and is rebuilt for every month in each run.
-#}
{{ config(**incremental_by_month(
    "{{ delete_months_from('month_start', also=\"metric = 'listed_suppliers'\") }}"
)) }}
{%- set unknown = "'unknown'" -%}
{%- set dimensions = {
    'all': "'all'",
    'buyer_country': "coalesce(buyer_country, " ~ unknown ~ ")",
    'buyer_region': "coalesce(buyer_region, " ~ unknown ~ ")",
    'supplier_country': "coalesce(supplier_country, " ~ unknown ~ ")",
    'category': "coalesce(category, " ~ unknown ~ ")",
} -%}
{#-
    metric, the CTE it counts in, its monthly aggregate (or `distinct` and the counted id),
    and its dimensions.
-#}
{%- set metrics = [
    ('active_buyers', 'buyer_months', 'count(*)', ['all', 'buyer_country', 'buyer_region']),
    ('active_buyers', 'active_lines', ('distinct', 'buyer_id'), ['supplier_country', 'category']),
    ('new_buyers', 'new_buyer_months', 'count(*)', ['all', 'buyer_country', 'buyer_region']),
    ('listed_suppliers', 'listed_supplier_months', 'count(*)', ['all', 'supplier_country', 'category']),
    ('transacting_suppliers', 'active_lines', ('distinct', 'supplier_id'),
        ['all', 'buyer_country', 'buyer_region', 'supplier_country', 'category']),
    ('orders', 'active_orders', 'count(*)', ['all', 'buyer_country', 'buyer_region', 'supplier_country']),
    ('orders', 'active_lines', ('distinct', 'order_id'), ['category']),
    ('gmv_usd', 'active_orders', 'sum(gmv_usd)', ['all', 'buyer_country', 'buyer_region', 'supplier_country']),
    ('gmv_usd', 'active_lines', 'sum(gmv_usd)', ['category']),
] -%}

with

order_lines as {{ not_materialized() }} (
    select * from {{ ref('fct_order_lines') }}
),

orders as {{ not_materialized() }} (
    select * from {{ ref('fct_orders') }}
),

buyers_monthly as {{ not_materialized() }} (
    select * from {{ ref('int_buyers_aggregated_to_months') }}
),

suppliers_listed as {{ not_materialized() }} (
    select * from {{ ref('int_suppliers_listed_monthly') }}
),

active_lines as {{ not_materialized() }} (
    select
        order_month as month_start,
        order_id,
        buyer_id,
        supplier_id,
        buyer_country,
        buyer_region,
        supplier_country,
        product_category as category,
        gmv_usd
    from order_lines
    where not is_cancelled {{- and_rebuilt_month('order_month') }}
),

active_orders as {{ not_materialized() }} (
    select
        order_month as month_start,
        buyer_country,
        buyer_region,
        supplier_country,
        gmv_usd
    from orders
    where not is_cancelled {{- and_rebuilt_month('order_month') }}
),

buyer_months as {{ not_materialized() }} (
    select
        month_start,
        buyer_country,
        buyer_region
    from buyers_monthly
    where true {{- and_rebuilt_month('month_start') }}
),

new_buyer_months as {{ not_materialized() }} (
    select
        month_start,
        buyer_country,
        buyer_region
    from buyers_monthly
    where is_first_active_month {{- and_rebuilt_month('month_start') }}
),

listed_supplier_months as {{ not_materialized() }} (
    select
        month_start,
        supplier_country,
        main_category as category
    from suppliers_listed
),

final as (
    {%- for metric, relation, aggregate, metric_dimensions in metrics %}
        {%- set outer_loop = loop %}
        {%- for dimension in metric_dimensions %}
            {%- if aggregate is string %}
                select
                    '{{ metric }}' as metric,
                    month_start,
                    '{{ dimension }}' as dimension,
                    {{ dimensions[dimension] }} as dimension_value,
                    cast({{ aggregate }} as double) as value
                from {{ relation }}
                group by
                    month_start{% if dimension != 'all' %}, {{ dimensions[dimension] }}{% endif %}
            {%- else %}
                select
                    '{{ metric }}' as metric,
                    month_start,
                    '{{ dimension }}' as dimension,
                    dimension_value,
                    cast(count(*) as double) as value
                from (
                    select distinct
                        month_start,
                        {{ dimensions[dimension] }} as dimension_value,
                        {{ aggregate[1] }}
                    from {{ relation }}
                ) as distinct_{{ aggregate[1] }}s
                group by month_start, dimension_value
            {%- endif %}
            {%- if not (outer_loop.last and loop.last) %}

                union all
            {% endif %}
        {%- endfor %}
    {%- endfor %}
)

select * from final
