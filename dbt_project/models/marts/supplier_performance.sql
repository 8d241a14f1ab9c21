{#-
    One row per supplier per month, from the supplier's first month (joining or first order,
    not before the data starts) to the last month of the data. Definitions: supplier_performance.yml.
-#}
with

suppliers as (
    select * from {{ ref('stg_marketplace__suppliers') }}
),

calendar_months as (
    select * from {{ ref('int_calendar_months') }}
),

suppliers_monthly as (
    select * from {{ ref('int_suppliers_aggregated_to_months') }}
),

suppliers_listed as (
    select * from {{ ref('int_suppliers_listed_monthly') }}
),

calendar_bounds as (
    select min(month_start) as first_month
    from calendar_months
),

first_activity as (
    select
        supplier_id,
        min(month_start) as first_order_month
    from suppliers_monthly
    group by supplier_id
),

supplier_starts as (
    select
        suppliers.supplier_id,
        suppliers.country_code as supplier_country,
        suppliers.business_type,
        suppliers.main_category,
        suppliers.is_verified,
        cast({{ dbt.date_trunc('month', 'suppliers.joined_at') }} as date) as joined_month,
        case
            when first_activity.first_order_month is null
                then cast({{ dbt.date_trunc('month', 'suppliers.joined_at') }} as date)
            when first_activity.first_order_month
                < cast({{ dbt.date_trunc('month', 'suppliers.joined_at') }} as date)
                then first_activity.first_order_month
            else cast({{ dbt.date_trunc('month', 'suppliers.joined_at') }} as date)
        end as first_month
    from suppliers
    left join first_activity on suppliers.supplier_id = first_activity.supplier_id
),

grid as (
    select
        supplier_starts.*,
        calendar_months.month_start,
        calendar_months.is_complete_month
    from supplier_starts
    inner join calendar_months on supplier_starts.first_month <= calendar_months.month_start
),

joined as (
    select
        grid.supplier_id,
        grid.month_start,
        grid.supplier_country,
        grid.business_type,
        grid.main_category,
        grid.is_verified,
        suppliers_listed.supplier_id is not null as is_listed,
        case
            when grid.month_start >= grid.joined_month
                then {{ dbt.datediff('grid.joined_month', 'grid.month_start', 'month') }}
        end as months_on_platform,
        coalesce(suppliers_monthly.orders_received, 0) as orders_received,
        coalesce(suppliers_monthly.orders, 0) as orders,
        coalesce(suppliers_monthly.order_lines, 0) as order_lines,
        coalesce(suppliers_monthly.gmv_usd, 0) as gmv_usd,
        coalesce(suppliers_monthly.buyers, 0) as buyers,
        coalesce(suppliers_monthly.buyer_countries, 0) as buyer_countries,
        coalesce(suppliers_monthly.repeat_buyers, 0) as repeat_buyers,
        coalesce(suppliers_monthly.shipped_orders_with_ship_by, 0) as shipped_orders_with_ship_by,
        coalesce(suppliers_monthly.on_time_orders, 0) as on_time_orders,
        coalesce(suppliers_monthly.cancelled_orders, 0) as cancelled_orders,
        coalesce(suppliers_monthly.disputed_or_refunded_orders, 0) as disputed_or_refunded_orders,
        coalesce(suppliers_monthly.rating_count, 0) as rating_count,
        suppliers_monthly.rating_sum,
        suppliers_monthly.median_first_response_hours,
        grid.is_complete_month
    from grid
    left join suppliers_monthly
        on grid.supplier_id = suppliers_monthly.supplier_id
        and grid.month_start = suppliers_monthly.month_start
    left join suppliers_listed
        on grid.supplier_id = suppliers_listed.supplier_id
        and grid.month_start = suppliers_listed.month_start
),

with_trailing as (
    select
        joined.*,
        sum(joined.gmv_usd) over (
            partition by joined.supplier_id
            order by joined.month_start
            rows between 11 preceding and current row
        ) as trailing_gmv_usd
    from joined
),

with_prior as (
    select
        with_trailing.*,
        lag(with_trailing.trailing_gmv_usd, 12) over (
            partition by with_trailing.supplier_id
            order by with_trailing.month_start
        ) as trailing_gmv_usd_12_months_earlier
    from with_trailing
),

measured as (
    select
        with_prior.supplier_id,
        with_prior.month_start,
        with_prior.supplier_country,
        with_prior.business_type,
        with_prior.main_category,
        with_prior.is_verified,
        with_prior.is_listed,
        with_prior.months_on_platform,
        with_prior.orders_received,
        with_prior.orders,
        with_prior.order_lines,
        with_prior.gmv_usd,
        with_prior.buyers,
        with_prior.buyer_countries,
        with_prior.repeat_buyers,
        {{ safe_divide('with_prior.repeat_buyers', 'with_prior.buyers') }} as repeat_buyer_share,
        with_prior.shipped_orders_with_ship_by,
        with_prior.on_time_orders,
        {{ safe_divide('with_prior.on_time_orders', 'with_prior.shipped_orders_with_ship_by') }}
            as on_time_shipment_rate,
        with_prior.cancelled_orders,
        {{ safe_divide('with_prior.cancelled_orders', 'with_prior.orders_received') }}
            as cancellation_rate,
        with_prior.disputed_or_refunded_orders,
        {{ safe_divide('with_prior.disputed_or_refunded_orders', 'with_prior.orders_received') }}
            as dispute_refund_rate,
        with_prior.rating_count,
        {{ safe_divide('with_prior.rating_sum', 'with_prior.rating_count') }} as avg_rating,
        with_prior.median_first_response_hours,
        case
            when {{ dbt.dateadd('month', -11, 'with_prior.month_start') }}
                >= calendar_bounds.first_month
                then with_prior.trailing_gmv_usd
        end as t12m_gmv_usd,
        case
            when {{ dbt.dateadd('month', -23, 'with_prior.month_start') }}
                >= calendar_bounds.first_month
                then coalesce(with_prior.trailing_gmv_usd_12_months_earlier, 0)
        end as t12m_gmv_usd_prior_year,
        with_prior.is_complete_month
    from with_prior
    cross join calendar_bounds
),

final as (
    select
        measured.*,
        case
            when
                measured.t12m_gmv_usd_prior_year is null
                or measured.t12m_gmv_usd_prior_year = 0
                then null
            else measured.t12m_gmv_usd / measured.t12m_gmv_usd_prior_year - 1
        end as t12m_gmv_yoy_growth
    from measured
)

select * from final
