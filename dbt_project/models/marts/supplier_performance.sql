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
        suppliers.joined_at,
        suppliers.left_at,
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
    {#- The grid and everything joined to it before the windows stay narrow: DuckDB estimates the
        grid's rows far too low (1.5 of 10.8 million at 50 M lines) and builds its hash joins on
        it, so the text attributes are joined last, to the 320,000 suppliers. With them in the grid
        the model ran out of dbt's 3 GB at 50 M lines. Listed is the rule of
        int_suppliers_listed_monthly (listed_in_month), evaluated here rather than joined. #}
    select
        supplier_starts.supplier_id,
        calendar_months.month_start,
        calendar_months.is_complete_month,
        coalesce(
            {{ listed_in_month('supplier_starts', 'calendar_months') }}, false
        ) as is_listed,
        case
            when calendar_months.month_start >= supplier_starts.joined_month
                then {{ dbt.datediff(
                    'supplier_starts.joined_month', 'calendar_months.month_start', 'month'
                ) }}
        end as months_on_platform
    from supplier_starts
    inner join calendar_months on supplier_starts.first_month <= calendar_months.month_start
),

joined as (
    select
        grid.supplier_id,
        grid.month_start,
        grid.is_listed,
        grid.months_on_platform,
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
),

summed as (
    {#- The grid has a row for every month from the supplier's first, so the frame 23 to 12 rows
        back holds the trailing 12 months of a year earlier: one window, one sort. #}
    select
        joined.*,
        sum(joined.gmv_usd) over (
            partition by joined.supplier_id
            order by joined.month_start
            rows between 11 preceding and current row
        ) as trailing_gmv_usd,
        sum(joined.gmv_usd) over (
            partition by joined.supplier_id
            order by joined.month_start
            rows between 23 preceding and 12 preceding
        ) as trailing_gmv_usd_12_months_earlier
    from joined
),

measured as (
    select
        summed.supplier_id,
        summed.month_start,
        supplier_starts.supplier_country,
        supplier_starts.business_type,
        supplier_starts.main_category,
        supplier_starts.is_verified,
        summed.is_listed,
        summed.months_on_platform,
        summed.orders_received,
        summed.orders,
        summed.order_lines,
        summed.gmv_usd,
        summed.buyers,
        summed.buyer_countries,
        summed.repeat_buyers,
        {{ safe_divide('summed.repeat_buyers', 'summed.buyers') }} as repeat_buyer_share,
        summed.shipped_orders_with_ship_by,
        summed.on_time_orders,
        {{ safe_divide('summed.on_time_orders', 'summed.shipped_orders_with_ship_by') }}
            as on_time_shipment_rate,
        summed.cancelled_orders,
        {{ safe_divide('summed.cancelled_orders', 'summed.orders_received') }}
            as cancellation_rate,
        summed.disputed_or_refunded_orders,
        {{ safe_divide('summed.disputed_or_refunded_orders', 'summed.orders_received') }}
            as dispute_refund_rate,
        summed.rating_count,
        {{ safe_divide('summed.rating_sum', 'summed.rating_count') }} as avg_rating,
        summed.median_first_response_hours,
        case
            when {{ dbt.dateadd('month', -11, 'summed.month_start') }}
                >= calendar_bounds.first_month
                then summed.trailing_gmv_usd
        end as t12m_gmv_usd,
        case
            when {{ dbt.dateadd('month', -23, 'summed.month_start') }}
                >= calendar_bounds.first_month
                then coalesce(summed.trailing_gmv_usd_12_months_earlier, 0)
        end as t12m_gmv_usd_prior_year,
        summed.is_complete_month
    from summed
    inner join supplier_starts on summed.supplier_id = supplier_starts.supplier_id
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
