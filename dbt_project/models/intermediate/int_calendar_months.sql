{#-
    One row per month from the first to the last month with order lines, gaps included.
    A month is complete when the data covers it from its first to its last day.
-#}
with

order_lines as (
    select * from {{ ref('fct_order_lines') }}
),

bounds as (
    select
        min(order_month) as first_month,
        max(order_month) as last_month,
        min(order_date) as first_order_date,
        max(order_date) as last_order_date
    from order_lines
),

months as (
    {{ month_spine(
        '(select first_month from bounds)',
        '(select last_month from bounds)'
    ) | indent(4) }}
),

final as (
    select
        months.month_start,
        cast(
            {{ dbt.dateadd('day', -1, dbt.dateadd('month', 1, 'months.month_start')) }} as date
        ) as month_end,
        cast(extract(year from months.month_start) as integer) as calendar_year,
        cast(extract(month from months.month_start) as integer) as calendar_month,
        (
            months.month_start >= bounds.first_order_date
            and cast(
                {{ dbt.dateadd('day', -1, dbt.dateadd('month', 1, 'months.month_start')) }} as date
            ) <= bounds.last_order_date
        ) as is_complete_month
    from months
    cross join bounds
)

select * from final
