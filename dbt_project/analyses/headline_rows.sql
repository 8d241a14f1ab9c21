-- The two figures of the news report, with the monthly values behind them:
-- `dbt compile --select headline_rows` writes the SQL to target/compiled/.
with

kpi_growth as (
    select * from {{ ref('kpi_growth') }}
),

headline as (
    select *
    from kpi_growth
    where
        (
            (metric = 'active_buyers' and dimension = 'all')
            or (
                metric = 'listed_suppliers'
                and dimension = 'supplier_country'
                and dimension_value = '{{ var("home_country_code") }}'
            )
        )
        and (
            (period_grain = 'half' and period in ('2022-H1', '2023-H1'))
            or (period_grain = 'month' and period between '2022-01' and '2023-06')
        )
)

select * from headline
order by metric, period_grain, period
