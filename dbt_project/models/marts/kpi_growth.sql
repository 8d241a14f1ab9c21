{#-
    One row per metric, period and slice. Counts of buyers and suppliers above month grain are
    the average of their monthly values (a month without activity in a slice counts as zero);
    flows (new_buyers, orders, gmv_usd) are sums; avg_order_value_usd is gmv_usd / orders of the
    period. The prior year's value is only used when that period is complete.
-#}
with

metrics_monthly as (
    select * from {{ ref('int_metrics_monthly') }}
),

calendar_periods as (
    select * from {{ ref('int_calendar_periods') }}
),

slices as (
    select distinct
        metric,
        dimension,
        dimension_value
    from metrics_monthly
),

periods as (
    select
        period_grain,
        period,
        period_start,
        count(*) as months_present,
        max(months_in_period) as months_in_period,
        min(case when is_complete_month then 1 else 0 end) as all_months_complete
    from calendar_periods
    group by period_grain, period, period_start
),

dense as (
    select
        slices.metric,
        slices.dimension,
        slices.dimension_value,
        calendar_periods.period_grain,
        calendar_periods.period,
        coalesce(metrics_monthly.value, 0) as monthly_value
    from slices
    cross join calendar_periods
    left join metrics_monthly
        on slices.metric = metrics_monthly.metric
        and slices.dimension = metrics_monthly.dimension
        and slices.dimension_value = metrics_monthly.dimension_value
        and calendar_periods.month_start = metrics_monthly.month_start
),

rolled_up as (
    select
        metric,
        period_grain,
        period,
        dimension,
        dimension_value,
        case
            when metric in ('active_buyers', 'listed_suppliers', 'transacting_suppliers')
                then avg(monthly_value)
            else sum(monthly_value)
        end as value
    from dense
    group by metric, period_grain, period, dimension, dimension_value
),

order_values as (
    select
        'avg_order_value_usd' as metric,
        gmv.period_grain,
        gmv.period,
        gmv.dimension,
        gmv.dimension_value,
        {{ safe_divide('gmv.value', 'orders.value') }} as value
    from rolled_up as gmv
    inner join rolled_up as orders
        on gmv.period_grain = orders.period_grain
        and gmv.period = orders.period
        and gmv.dimension = orders.dimension
        and gmv.dimension_value = orders.dimension_value
    where gmv.metric = 'gmv_usd'
        and orders.metric = 'orders'
),

all_metrics as (
    select * from rolled_up
    union all
    select * from order_values
),

with_periods as (
    select
        all_metrics.metric,
        all_metrics.period_grain,
        all_metrics.period,
        all_metrics.dimension,
        all_metrics.dimension_value,
        all_metrics.value,
        periods.period_start,
        (
            periods.months_present = periods.months_in_period
            and periods.all_months_complete = 1
        ) as is_complete_period
    from all_metrics
    inner join periods
        on all_metrics.period_grain = periods.period_grain
        and all_metrics.period = periods.period
),

final as (
    select
        current_period.metric,
        current_period.period_grain,
        current_period.period,
        current_period.dimension,
        current_period.dimension_value,
        current_period.value,
        prior_period.value as value_prior_year,
        case
            when prior_period.value is null or prior_period.value = 0 then null
            else current_period.value / prior_period.value - 1
        end as yoy_growth,
        current_period.is_complete_period
    from with_periods as current_period
    left join with_periods as prior_period
        on current_period.metric = prior_period.metric
        and current_period.period_grain = prior_period.period_grain
        and current_period.dimension = prior_period.dimension
        and current_period.dimension_value = prior_period.dimension_value
        and prior_period.period_start
        = cast({{ dbt.dateadd('year', -1, 'current_period.period_start') }} as date)
        and prior_period.is_complete_period
)

select * from final
