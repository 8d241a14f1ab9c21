-- The floor: kpi_growth, supplier_performance and pavilion_shortlist computed by one plain DuckDB
-- script straight from the raw Parquet files, with no orchestration, no checks, no staging views
-- and no intermediate tables kept. Same definitions as the dbt models (docs/marts.md), written
-- the short way; the pavilion thresholds are the defaults of dbt_project.yml.
--
-- Two variables name the inputs (bench/floor.py sets them):
--     set variable raw_dir = 'data/raw';          -- {suppliers,buyers,orders}/*.parquet
--     set variable seeds_dir = 'dbt_project/seeds';
-- and the three marts are created in the current database.

set timezone = 'UTC';

-- Reference data: the dbt seeds, read as dbt reads them.
create or replace temp table countries as
select country_code, region
from read_csv(
    getvariable('seeds_dir') || '/countries.csv',
    header = true, all_varchar = true
);

create or replace temp table fx_rates as
select
    cast(month as date) as rate_month,
    upper(trim(currency_code)) as currency_code,
    cast(usd_per_unit as double) as usd_per_unit
from read_csv(getvariable('seeds_dir') || '/fx_rates_monthly.csv', header = true);

-- Suppliers and buyers: the latest copy of each (later file, then later row).
create or replace temp table suppliers as
select
    supplier_id,
    country_code,
    business_type,
    main_category,
    is_verified,
    joined_at,
    left_at,
    supplier_name,
    province
from read_parquet(
    getvariable('raw_dir') || '/suppliers/*.parquet',
    filename = true, file_row_number = true
)
qualify row_number() over (
    partition by supplier_id order by filename desc, file_row_number desc
) = 1;

create or replace temp table buyers as
select buyers.buyer_id, buyers.country_code, countries.region
from read_parquet(
    getvariable('raw_dir') || '/buyers/*.parquet',
    filename = true, file_row_number = true
) as buyers
left join countries on buyers.country_code = countries.country_code
qualify row_number() over (
    partition by buyers.buyer_id order by buyers.filename desc, buyers.file_row_number desc
) = 1;

-- Order lines: de-duplicated, in USD (nearest month of the FX seed), with buyer and supplier.
create or replace temp table lines as
with

raw_lines as (
    select
        order_id,
        line_number,
        buyer_id,
        supplier_id,
        timezone('UTC', ordered_at) as ordered_at,
        product_category,
        quantity,
        unit_price,
        currency,
        order_status,
        promised_ship_by,
        timezone('UTC', shipped_at) as shipped_at,
        buyer_rating,
        first_response_hours
    from read_parquet(
        getvariable('raw_dir') || '/orders/*.parquet',
        filename = true, file_row_number = true
    )
    qualify row_number() over (
        partition by order_id, line_number order by filename desc, file_row_number desc
    ) = 1
),

rate_bounds as (
    select currency_code, min(rate_month) as first_month, max(rate_month) as last_month
    from fx_rates
    group by currency_code
),

dated as (
    select
        raw_lines.*,
        cast(date_trunc('month', raw_lines.ordered_at) as date) as order_month,
        least(
            greatest(cast(date_trunc('month', raw_lines.ordered_at) as date), first_month),
            last_month
        ) as fx_rate_month
    from raw_lines
    left join rate_bounds on raw_lines.currency = rate_bounds.currency_code
)

select
    dated.order_id,
    dated.buyer_id,
    dated.supplier_id,
    dated.ordered_at,
    dated.order_month,
    dated.product_category as category,
    dated.order_status,
    dated.order_status = 'cancelled' as is_cancelled,
    dated.promised_ship_by,
    dated.shipped_at,
    dated.buyer_rating,
    dated.first_response_hours,
    case
        when dated.order_status = 'cancelled' then 0.0
        when dated.currency = 'USD' then dated.quantity * dated.unit_price
        else dated.quantity * dated.unit_price * fx_rates.usd_per_unit
    end as gmv_usd,
    buyers.country_code as buyer_country,
    buyers.region as buyer_region,
    suppliers.country_code as supplier_country
from dated
left join fx_rates
    on dated.currency = fx_rates.currency_code and dated.fx_rate_month = fx_rates.rate_month
left join buyers on dated.buyer_id = buyers.buyer_id
left join suppliers on dated.supplier_id = suppliers.supplier_id;

-- One row per order: order-level fields repeat on each line (max, as fct_orders).
create or replace temp table orders as
select
    order_id,
    max(buyer_id) as buyer_id,
    max(supplier_id) as supplier_id,
    cast(date_trunc('month', max(ordered_at)) as date) as order_month,
    max(order_status) = 'cancelled' as is_cancelled,
    max(order_status) in ('disputed', 'refunded') as is_disputed_or_refunded,
    case
        when max(promised_ship_by) is null or max(shipped_at) is null then null
        else cast(max(shipped_at) as date) <= max(promised_ship_by)
    end as is_shipped_on_time,
    max(buyer_rating) as buyer_rating,
    max(first_response_hours) as first_response_hours,
    max(buyer_country) as buyer_country,
    max(buyer_region) as buyer_region,
    max(supplier_country) as supplier_country,
    count(*) as order_lines,
    sum(gmv_usd) as gmv_usd
from lines
group by order_id;

-- The months of the data; complete when the data covers them from first to last day.
create or replace temp table months as
with

bounds as (
    select
        min(order_month) as first_month,
        max(order_month) as last_month,
        min(cast(ordered_at as date)) as first_day,
        max(cast(ordered_at as date)) as last_day
    from lines
),

spine as (
    select
        cast(
            unnest(generate_series(first_month, last_month, interval 1 month)) as date
        ) as month_start
    from bounds
)

select
    spine.month_start,
    cast(spine.month_start + interval 1 month - interval 1 day as date) as month_end,
    spine.month_start >= bounds.first_day
    and spine.month_start + interval 1 month - interval 1 day <= bounds.last_day
        as is_complete_month
from spine
cross join bounds;

create or replace temp table listed as
select
    suppliers.supplier_id,
    months.month_start,
    suppliers.country_code as supplier_country,
    suppliers.main_category
from suppliers
inner join months
    on suppliers.joined_at <= months.month_end
    and (suppliers.left_at is null or suppliers.left_at >= months.month_start);

-- Supplier x buyer x month, with the running count of their non-cancelled orders.
create or replace temp table supplier_buyers as
select
    supplier_id,
    buyer_id,
    order_month as month_start,
    max(buyer_country) as buyer_country,
    sum(count(*)) over (
        partition by supplier_id, buyer_id order by order_month
    ) as cumulative_orders
from orders
where not is_cancelled
group by supplier_id, buyer_id, order_month;

create or replace temp table suppliers_monthly as
with

from_orders as (
    select
        supplier_id,
        order_month as month_start,
        count(*) as orders_received,
        count(*) filter (where not is_cancelled) as orders,
        coalesce(sum(order_lines) filter (where not is_cancelled), 0) as order_lines,
        sum(gmv_usd) as gmv_usd,
        count(*) filter (where is_cancelled) as cancelled_orders,
        count(*) filter (where is_disputed_or_refunded) as disputed_or_refunded_orders,
        count(is_shipped_on_time) as shipped_orders_with_ship_by,
        count(*) filter (where is_shipped_on_time) as on_time_orders,
        count(buyer_rating) as rating_count,
        sum(buyer_rating) as rating_sum,
        median(first_response_hours) as median_first_response_hours
    from orders
    group by supplier_id, order_month
),

from_buyers as (
    select
        supplier_id,
        month_start,
        count(*) as buyers,
        count(distinct buyer_country) as buyer_countries,
        count(*) filter (where cumulative_orders >= 2) as repeat_buyers
    from supplier_buyers
    group by supplier_id, month_start
)

select
    from_orders.*,
    coalesce(from_buyers.buyers, 0) as buyers,
    coalesce(from_buyers.buyer_countries, 0) as buyer_countries,
    coalesce(from_buyers.repeat_buyers, 0) as repeat_buyers
from from_orders
left join from_buyers using (supplier_id, month_start);

-- kpi_growth: monthly values per metric and slice, rolled up to quarters, halves and years.
create or replace temp table metrics_monthly as
with

buyer_months as (
    select
        buyer_id,
        order_month as month_start,
        max(buyer_country) as buyer_country,
        max(buyer_region) as buyer_region,
        order_month = min(order_month) over (partition by buyer_id) as is_first
    from lines
    where not is_cancelled
    group by buyer_id, order_month
),

from_buyer_months as (
    select
        month_start,
        case
            when grouping(buyer_country) = 0 then 'buyer_country'
            when grouping(buyer_region) = 0 then 'buyer_region'
            else 'all'
        end as dimension,
        coalesce(buyer_country, buyer_region, 'unknown') as value_raw,
        count(*) as active_buyers,
        count(*) filter (where is_first) as new_buyers
    from buyer_months
    group by grouping sets (
        (month_start), (month_start, buyer_country), (month_start, buyer_region)
    )
),

active_lines as (
    select * from lines
    where not is_cancelled
),

-- One plain group-by per metric and slice: faster in DuckDB than count(distinct) over
-- grouping sets.
from_lines as (
    select
        'active_buyers' as metric,
        order_month as month_start,
        'supplier_country' as dimension,
        supplier_country as value_raw,
        count(distinct buyer_id) as value
    from active_lines
    group by order_month, supplier_country
    union all
    select 'active_buyers', order_month, 'category', category, count(distinct buyer_id)
    from active_lines
    group by order_month, category
    union all
    select 'transacting_suppliers', order_month, 'all', null, count(distinct supplier_id)
    from active_lines
    group by order_month
    union all
    select
        'transacting_suppliers', order_month, 'buyer_country', buyer_country,
        count(distinct supplier_id)
    from active_lines
    group by order_month, buyer_country
    union all
    select
        'transacting_suppliers', order_month, 'buyer_region', buyer_region,
        count(distinct supplier_id)
    from active_lines
    group by order_month, buyer_region
    union all
    select
        'transacting_suppliers', order_month, 'supplier_country', supplier_country,
        count(distinct supplier_id)
    from active_lines
    group by order_month, supplier_country
    union all
    select 'transacting_suppliers', order_month, 'category', category, count(distinct supplier_id)
    from active_lines
    group by order_month, category
    union all
    select 'orders', order_month, 'category', category, count(distinct order_id)
    from active_lines
    group by order_month, category
    union all
    select 'gmv_usd', order_month, 'category', category, sum(gmv_usd)
    from active_lines
    group by order_month, category
),

from_orders as (
    select
        order_month as month_start,
        case
            when grouping(buyer_country) = 0 then 'buyer_country'
            when grouping(buyer_region) = 0 then 'buyer_region'
            when grouping(supplier_country) = 0 then 'supplier_country'
            else 'all'
        end as dimension,
        coalesce(buyer_country, buyer_region, supplier_country) as value_raw,
        count(*) as orders,
        sum(gmv_usd) as gmv_usd
    from orders
    where not is_cancelled
    group by grouping sets (
        (order_month),
        (order_month, buyer_country),
        (order_month, buyer_region),
        (order_month, supplier_country)
    )
),

from_listed as (
    select
        month_start,
        case
            when grouping(supplier_country) = 0 then 'supplier_country'
            when grouping(main_category) = 0 then 'category'
            else 'all'
        end as dimension,
        coalesce(supplier_country, main_category) as value_raw,
        count(*) as listed_suppliers
    from listed
    group by grouping sets (
        (month_start), (month_start, supplier_country), (month_start, main_category)
    )
),

unpivoted as (
    select 'active_buyers' as metric, month_start, dimension, value_raw, active_buyers as value
    from from_buyer_months
    union all
    select 'new_buyers', month_start, dimension, value_raw, new_buyers
    from from_buyer_months
    where new_buyers > 0
    union all
    select * from from_lines
    union all
    select 'orders', month_start, dimension, value_raw, orders
    from from_orders
    union all
    select 'gmv_usd', month_start, dimension, value_raw, gmv_usd
    from from_orders
    union all
    select 'listed_suppliers', month_start, dimension, value_raw, listed_suppliers
    from from_listed
)

select
    metric,
    month_start,
    dimension,
    case when dimension = 'all' then 'all' else coalesce(value_raw, 'unknown') end
        as dimension_value,
    cast(value as double) as value
from unpivoted;

create or replace table kpi_growth as
with

calendar_periods as (
    select
        grains.period_grain,
        case grains.period_grain
            when 'month' then strftime(months.month_start, '%Y-%m')
            when 'quarter' then strftime(months.month_start, '%Y-Q') || quarter(months.month_start)
            when 'half' then strftime(months.month_start, '%Y-H')
                || (case when month(months.month_start) <= 6 then 1 else 2 end)
            else strftime(months.month_start, '%Y')
        end as period,
        cast(case grains.period_grain
            when 'month' then months.month_start
            when 'quarter' then date_trunc('quarter', months.month_start)
            when 'half' then date_trunc('year', months.month_start)
                + to_months(case when month(months.month_start) <= 6 then 0 else 6 end)
            else date_trunc('year', months.month_start)
        end as date) as period_start,
        grains.months_in_period,
        months.month_start,
        months.is_complete_month
    from months
    cross join (
        values ('month', 1), ('quarter', 3), ('half', 6), ('year', 12)
    ) as grains (period_grain, months_in_period)
),

periods as (
    select
        period_grain,
        period,
        period_start,
        count(*) = max(months_in_period) and bool_and(is_complete_month) as is_complete_period
    from calendar_periods
    group by period_grain, period, period_start
),

slices as (
    select distinct metric, dimension, dimension_value
    from metrics_monthly
),

rolled_up as (
    select
        slices.metric,
        calendar_periods.period_grain,
        calendar_periods.period,
        slices.dimension,
        slices.dimension_value,
        case
            when slices.metric in ('active_buyers', 'listed_suppliers', 'transacting_suppliers')
                then avg(coalesce(metrics_monthly.value, 0))
            else sum(coalesce(metrics_monthly.value, 0))
        end as value
    from slices
    cross join calendar_periods
    left join metrics_monthly
        on slices.metric = metrics_monthly.metric
        and slices.dimension = metrics_monthly.dimension
        and slices.dimension_value = metrics_monthly.dimension_value
        and calendar_periods.month_start = metrics_monthly.month_start
    group by
        slices.metric,
        calendar_periods.period_grain,
        calendar_periods.period,
        slices.dimension,
        slices.dimension_value
),

all_metrics as (
    select * from rolled_up
    union all
    select
        'avg_order_value_usd',
        gmv.period_grain,
        gmv.period,
        gmv.dimension,
        gmv.dimension_value,
        case when orders.value = 0 then null else gmv.value / orders.value end
    from rolled_up as gmv
    inner join rolled_up as orders
        using (period_grain, period, dimension, dimension_value)
    where gmv.metric = 'gmv_usd' and orders.metric = 'orders'
),

with_periods as (
    select all_metrics.*, periods.period_start, periods.is_complete_period
    from all_metrics
    inner join periods using (period_grain, period)
)

select
    current_period.metric,
    current_period.period_grain,
    current_period.period,
    current_period.dimension,
    current_period.dimension_value,
    current_period.value,
    prior_period.value as value_prior_year,
    case
        when prior_period.value = 0 then null
        else current_period.value / prior_period.value - 1
    end as yoy_growth,
    current_period.is_complete_period
from with_periods as current_period
left join with_periods as prior_period
    on current_period.metric = prior_period.metric
    and current_period.period_grain = prior_period.period_grain
    and current_period.dimension = prior_period.dimension
    and current_period.dimension_value = prior_period.dimension_value
    and prior_period.period_start = current_period.period_start - interval 1 year
    and prior_period.is_complete_period;

-- supplier_performance: one row per supplier per month from its first month to the last.
create or replace table supplier_performance as
with

first_month as (
    select min(month_start) as first_month
    from months
),

starts as (
    select
        suppliers.*,
        cast(date_trunc('month', suppliers.joined_at) as date) as joined_month,
        least(
            coalesce(activity.first_order_month, date_trunc('month', suppliers.joined_at)),
            date_trunc('month', suppliers.joined_at)
        ) as start_month
    from suppliers
    left join (
        select supplier_id, min(month_start) as first_order_month
        from suppliers_monthly
        group by supplier_id
    ) as activity on suppliers.supplier_id = activity.supplier_id
),

joined as (
    select
        starts.supplier_id,
        months.month_start,
        starts.country_code as supplier_country,
        starts.business_type,
        starts.main_category,
        starts.is_verified,
        listed.supplier_id is not null as is_listed,
        case
            when months.month_start >= starts.joined_month
                then date_diff('month', starts.joined_month, months.month_start)
        end as months_on_platform,
        coalesce(monthly.orders_received, 0) as orders_received,
        coalesce(monthly.orders, 0) as orders,
        coalesce(monthly.order_lines, 0) as order_lines,
        coalesce(monthly.gmv_usd, 0) as gmv_usd,
        coalesce(monthly.buyers, 0) as buyers,
        coalesce(monthly.buyer_countries, 0) as buyer_countries,
        coalesce(monthly.repeat_buyers, 0) as repeat_buyers,
        coalesce(monthly.shipped_orders_with_ship_by, 0) as shipped_orders_with_ship_by,
        coalesce(monthly.on_time_orders, 0) as on_time_orders,
        coalesce(monthly.cancelled_orders, 0) as cancelled_orders,
        coalesce(monthly.disputed_or_refunded_orders, 0) as disputed_or_refunded_orders,
        coalesce(monthly.rating_count, 0) as rating_count,
        monthly.rating_sum,
        monthly.median_first_response_hours,
        months.is_complete_month
    from starts
    inner join months on starts.start_month <= months.month_start
    left join suppliers_monthly as monthly
        on starts.supplier_id = monthly.supplier_id and months.month_start = monthly.month_start
    left join listed
        on starts.supplier_id = listed.supplier_id and months.month_start = listed.month_start
),

with_trailing as (
    select
        joined.*,
        sum(gmv_usd) over (
            partition by supplier_id order by month_start rows between 11 preceding and current row
        ) as trailing_gmv_usd
    from joined
),

measured as (
    select
        with_trailing.* exclude (trailing_gmv_usd, is_complete_month),
        case when buyers = 0 then null else repeat_buyers / buyers end as repeat_buyer_share,
        case
            when shipped_orders_with_ship_by = 0 then null
            else on_time_orders / shipped_orders_with_ship_by
        end as on_time_shipment_rate,
        case
            when orders_received = 0 then null else cancelled_orders / orders_received
        end as cancellation_rate,
        case
            when orders_received = 0 then null else disputed_or_refunded_orders / orders_received
        end as dispute_refund_rate,
        case when rating_count = 0 then null else rating_sum / rating_count end as avg_rating,
        case
            when month_start - interval 11 month >= first_month.first_month then trailing_gmv_usd
        end as t12m_gmv_usd,
        case
            when month_start - interval 23 month >= first_month.first_month
                then coalesce(
                    lag(trailing_gmv_usd, 12) over (partition by supplier_id order by month_start),
                    0
                )
        end as t12m_gmv_usd_prior_year,
        is_complete_month
    from with_trailing
    cross join first_month
)

select
    supplier_id,
    month_start,
    supplier_country,
    business_type,
    main_category,
    is_verified,
    is_listed,
    months_on_platform,
    orders_received,
    orders,
    order_lines,
    gmv_usd,
    buyers,
    buyer_countries,
    repeat_buyers,
    repeat_buyer_share,
    shipped_orders_with_ship_by,
    on_time_orders,
    on_time_shipment_rate,
    cancelled_orders,
    cancellation_rate,
    disputed_or_refunded_orders,
    dispute_refund_rate,
    rating_count,
    avg_rating,
    median_first_response_hours,
    t12m_gmv_usd,
    t12m_gmv_usd_prior_year,
    is_complete_month,
    case
        when t12m_gmv_usd_prior_year = 0 then null
        else t12m_gmv_usd / t12m_gmv_usd_prior_year - 1
    end as t12m_gmv_yoy_growth
from measured;

-- pavilion_shortlist: the 100 Vietnamese suppliers meeting most of the 14 criteria.
create or replace table pavilion_shortlist as
with

windows as (
    select
        max(month_start) as evaluation_month,
        cast(max(month_start) - interval 11 month as date) as window_start,
        cast(max(month_start) - interval 23 month as date) as prior_window_start,
        cast(max(month_start) - interval 12 month as date) as prior_window_end,
        cast(max(month_start) - interval 5 month as date) as active_window_start
    from months
    where is_complete_month
),

candidates as (
    select
        suppliers.*,
        windows.*,
        date_diff(
            'month', date_trunc('month', suppliers.joined_at), windows.evaluation_month
        ) as months_on_platform
    from listed
    inner join windows on listed.month_start = windows.evaluation_month
    inner join suppliers on listed.supplier_id = suppliers.supplier_id
    where suppliers.country_code = 'VN'
),

activity as (
    select
        candidates.supplier_id,
        sum(m.orders) filter (where m.month_start >= window_start) as t12m_orders,
        sum(m.orders_received) filter (where m.month_start >= window_start)
            as t12m_orders_received,
        sum(m.gmv_usd) filter (where m.month_start >= window_start) as t12m_gmv_usd,
        sum(m.gmv_usd) filter (where m.month_start <= prior_window_end) as prior_t12m_gmv_usd,
        count(*) filter (where m.month_start >= active_window_start and m.orders > 0)
            as recent_active_months,
        sum(m.cancelled_orders) filter (where m.month_start >= window_start)
            as t12m_cancelled_orders,
        sum(m.disputed_or_refunded_orders) filter (where m.month_start >= window_start)
            as t12m_disputed_or_refunded_orders,
        sum(m.shipped_orders_with_ship_by) filter (where m.month_start >= window_start)
            as t12m_shipped_orders_with_ship_by,
        sum(m.on_time_orders) filter (where m.month_start >= window_start) as t12m_on_time_orders,
        sum(m.rating_count) filter (where m.month_start >= window_start) as t12m_rating_count,
        sum(m.rating_sum) filter (where m.month_start >= window_start) as t12m_rating_sum
    from candidates
    inner join suppliers_monthly as m
        on candidates.supplier_id = m.supplier_id
        and m.month_start between candidates.prior_window_start and candidates.evaluation_month
    group by candidates.supplier_id
),

buyer_pairs as (
    select
        candidates.supplier_id,
        max(sb.buyer_country) as buyer_country,
        max(sb.cumulative_orders) as cumulative_orders
    from candidates
    inner join supplier_buyers as sb
        on candidates.supplier_id = sb.supplier_id
        and sb.month_start between candidates.window_start and candidates.evaluation_month
    group by candidates.supplier_id, sb.buyer_id
),

buyer_counts as (
    select
        supplier_id,
        count(*) as t12m_buyers,
        count(distinct buyer_country) as t12m_buyer_countries,
        count(*) filter (where cumulative_orders >= 2) as t12m_repeat_buyers
    from buyer_pairs
    group by supplier_id
),

response as (
    select
        candidates.supplier_id,
        median(orders.first_response_hours) as t12m_median_first_response_hours
    from candidates
    inner join orders
        on candidates.supplier_id = orders.supplier_id
        and orders.order_month between candidates.window_start and candidates.evaluation_month
    group by candidates.supplier_id
),

measured as (
    select
        candidates.supplier_id,
        candidates.supplier_name,
        candidates.evaluation_month,
        candidates.country_code,
        candidates.business_type,
        candidates.is_verified,
        candidates.months_on_platform,
        coalesce(activity.recent_active_months, 0) as recent_active_months,
        coalesce(activity.t12m_orders, 0) as t12m_orders,
        coalesce(activity.t12m_orders_received, 0) as t12m_orders_received,
        coalesce(activity.t12m_gmv_usd, 0) as t12m_gmv_usd,
        coalesce(activity.prior_t12m_gmv_usd, 0) as prior_t12m_gmv_usd,
        coalesce(buyer_counts.t12m_buyer_countries, 0) as t12m_buyer_countries,
        case
            when coalesce(buyer_counts.t12m_buyers, 0) = 0 then null
            else buyer_counts.t12m_repeat_buyers / buyer_counts.t12m_buyers
        end as t12m_repeat_buyer_share,
        case
            when coalesce(activity.t12m_shipped_orders_with_ship_by, 0) = 0 then null
            else activity.t12m_on_time_orders / activity.t12m_shipped_orders_with_ship_by
        end as t12m_on_time_shipment_rate,
        case
            when coalesce(activity.t12m_orders_received, 0) = 0 then null
            else activity.t12m_cancelled_orders / activity.t12m_orders_received
        end as t12m_cancellation_rate,
        case
            when coalesce(activity.t12m_orders_received, 0) = 0 then null
            else activity.t12m_disputed_or_refunded_orders / activity.t12m_orders_received
        end as t12m_dispute_refund_rate,
        coalesce(activity.t12m_rating_count, 0) as t12m_rating_count,
        case
            when coalesce(activity.t12m_rating_count, 0) = 0 then null
            else activity.t12m_rating_sum / activity.t12m_rating_count
        end as t12m_avg_rating,
        response.t12m_median_first_response_hours
    from candidates
    left join activity on candidates.supplier_id = activity.supplier_id
    left join buyer_counts on candidates.supplier_id = buyer_counts.supplier_id
    left join response on candidates.supplier_id = response.supplier_id
),

counted as (
    select
        *,
        coalesce(country_code = 'VN' and business_type in ('manufacturer'), false)::int
        + coalesce(is_verified, false)::int
        + coalesce(months_on_platform >= 24, false)::int
        + coalesce(recent_active_months >= 6, false)::int
        + coalesce(t12m_orders >= 50, false)::int
        + coalesce(t12m_gmv_usd >= 50000, false)::int
        + coalesce(t12m_gmv_usd > 0 and t12m_gmv_usd >= prior_t12m_gmv_usd * (1 + 0.0), false)::int
        + coalesce(t12m_buyer_countries >= 5, false)::int
        + coalesce(t12m_repeat_buyer_share >= 0.20, false)::int
        + coalesce(t12m_on_time_shipment_rate >= 0.90, false)::int
        + coalesce(t12m_cancellation_rate <= 0.05, false)::int
        + coalesce(t12m_dispute_refund_rate <= 0.02, false)::int
        + coalesce(t12m_avg_rating >= 4.3 and t12m_rating_count >= 10, false)::int
        + coalesce(t12m_median_first_response_hours <= 24, false)::int
            as criteria_met
    from measured
)

select
    row_number() over (
        order by criteria_met desc, t12m_gmv_usd desc, supplier_id
    ) as shortlist_rank,
    supplier_id,
    supplier_name,
    evaluation_month,
    criteria_met,
    t12m_orders,
    t12m_gmv_usd
from counted
qualify shortlist_rank <= 100;
