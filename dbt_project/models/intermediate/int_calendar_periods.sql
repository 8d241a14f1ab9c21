{#- One row per period and each of its months, for the four grains kpi_growth reports. -#}
with

calendar_months as (
    select * from {{ ref('int_calendar_months') }}
),

labelled as (
    select
        month_start,
        is_complete_month,
        calendar_year,
        cast(calendar_year as {{ dbt.type_string() }}) as year_label,
        lpad(cast(calendar_month as {{ dbt.type_string() }}), 2, '0') as month_label,
        case
            when calendar_month <= 3 then 1
            when calendar_month <= 6 then 2
            when calendar_month <= 9 then 3
            else 4
        end as quarter_number,
        case when calendar_month <= 6 then 1 else 2 end as half_number,
        cast({{ dbt.date_trunc('year', 'month_start') }} as date) as year_start
    from calendar_months
),

by_grain as (
    select
        'month' as period_grain,
        year_label || '-' || month_label as period,
        month_start as period_start,
        1 as months_in_period,
        month_start,
        is_complete_month
    from labelled

    union all

    select
        'quarter' as period_grain,
        year_label || '-Q' || cast(quarter_number as {{ dbt.type_string() }}) as period,
        {{ dbt.dateadd('month', '3 * (quarter_number - 1)', 'year_start') }} as period_start,
        3 as months_in_period,
        month_start,
        is_complete_month
    from labelled

    union all

    select
        'half' as period_grain,
        year_label || '-H' || cast(half_number as {{ dbt.type_string() }}) as period,
        {{ dbt.dateadd('month', '6 * (half_number - 1)', 'year_start') }} as period_start,
        6 as months_in_period,
        month_start,
        is_complete_month
    from labelled

    union all

    select
        'year' as period_grain,
        year_label as period,
        year_start as period_start,
        12 as months_in_period,
        month_start,
        is_complete_month
    from labelled
),

final as (
    select
        period_grain,
        period,
        cast(period_start as date) as period_start,
        months_in_period,
        month_start,
        is_complete_month
    from by_grain
)

select * from final
