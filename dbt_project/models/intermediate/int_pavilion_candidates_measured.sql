{#-
    One row per pavilion candidate (a supplier of var('pavilion_country_code') listed in the
    evaluation month, the last complete month of the data), with the figures behind each of
    the 14 criteria. T12M = the 12 months ending with the evaluation month.
-#}
{%- set active_months = var('pavilion_active_months') -%}

with

calendar_months as (
    select * from {{ ref('int_calendar_months') }}
),

suppliers as (
    select * from {{ ref('stg_marketplace__suppliers') }}
),

suppliers_listed as (
    select * from {{ ref('int_suppliers_listed_monthly') }}
),

suppliers_monthly as (
    select * from {{ ref('int_suppliers_aggregated_to_months') }}
),

supplier_buyers as (
    select * from {{ ref('int_supplier_buyers_aggregated_to_months') }}
),

orders as (
    select * from {{ ref('fct_orders') }}
),

evaluation as (
    select max(month_start) as evaluation_month
    from calendar_months
    where is_complete_month
),

windows as (
    select
        evaluation_month,
        cast({{ dbt.dateadd('month', -11, 'evaluation_month') }} as date) as window_start,
        cast({{ dbt.dateadd('month', -23, 'evaluation_month') }} as date) as prior_window_start,
        cast({{ dbt.dateadd('month', -12, 'evaluation_month') }} as date) as prior_window_end,
        cast({{ dbt.dateadd('month', 1 - active_months, 'evaluation_month') }} as date)
            as active_window_start
    from evaluation
),

candidates as (
    select
        suppliers.supplier_id,
        suppliers.supplier_name,
        suppliers.country_code,
        suppliers.province,
        suppliers.business_type,
        suppliers.is_verified,
        suppliers.joined_at,
        windows.evaluation_month,
        windows.window_start,
        windows.prior_window_start,
        windows.prior_window_end,
        windows.active_window_start,
        {{ dbt.datediff(
            dbt.date_trunc('month', 'suppliers.joined_at'), 'windows.evaluation_month', 'month'
        ) }} as months_on_platform
    from suppliers_listed
    inner join windows on suppliers_listed.month_start = windows.evaluation_month
    inner join suppliers on suppliers_listed.supplier_id = suppliers.supplier_id
    where suppliers.country_code = '{{ var("pavilion_country_code") }}'
),

trailing_activity as (
    select
        candidates.supplier_id,
        cast(sum(
            case
                when suppliers_monthly.month_start >= candidates.window_start
                    then suppliers_monthly.orders
                else 0
            end
        ) as bigint) as t12m_orders,
        cast(sum(
            case
                when suppliers_monthly.month_start >= candidates.window_start
                    then suppliers_monthly.orders_received
                else 0
            end
        ) as bigint) as t12m_orders_received,
        cast(sum(
            case
                when suppliers_monthly.month_start >= candidates.window_start
                    then suppliers_monthly.gmv_usd
                else 0
            end
        ) as double) as t12m_gmv_usd,
        cast(sum(
            case
                when suppliers_monthly.month_start <= candidates.prior_window_end
                    then suppliers_monthly.gmv_usd
                else 0
            end
        ) as double) as prior_t12m_gmv_usd,
        cast(sum(
            case
                when suppliers_monthly.month_start >= candidates.active_window_start
                    and suppliers_monthly.orders > 0
                    then 1
                else 0
            end
        ) as bigint) as recent_active_months,
        cast(sum(
            case
                when suppliers_monthly.month_start >= candidates.window_start
                    then suppliers_monthly.cancelled_orders
                else 0
            end
        ) as bigint) as t12m_cancelled_orders,
        cast(sum(
            case
                when suppliers_monthly.month_start >= candidates.window_start
                    then suppliers_monthly.disputed_or_refunded_orders
                else 0
            end
        ) as bigint) as t12m_disputed_or_refunded_orders,
        cast(sum(
            case
                when suppliers_monthly.month_start >= candidates.window_start
                    then suppliers_monthly.shipped_orders_with_ship_by
                else 0
            end
        ) as bigint) as t12m_shipped_orders_with_ship_by,
        cast(sum(
            case
                when suppliers_monthly.month_start >= candidates.window_start
                    then suppliers_monthly.on_time_orders
                else 0
            end
        ) as bigint) as t12m_on_time_orders,
        cast(sum(
            case
                when suppliers_monthly.month_start >= candidates.window_start
                    then suppliers_monthly.rating_count
                else 0
            end
        ) as bigint) as t12m_rating_count,
        cast(sum(
            case
                when suppliers_monthly.month_start >= candidates.window_start
                    then suppliers_monthly.rating_sum
                else 0
            end
        ) as bigint) as t12m_rating_sum
    from candidates
    inner join suppliers_monthly
        on candidates.supplier_id = suppliers_monthly.supplier_id
        and candidates.prior_window_start <= suppliers_monthly.month_start
        and candidates.evaluation_month >= suppliers_monthly.month_start
    group by candidates.supplier_id
),

trailing_buyer_pairs as (
    select
        candidates.supplier_id,
        supplier_buyers.buyer_id,
        max(supplier_buyers.buyer_country) as buyer_country,
        max(supplier_buyers.cumulative_orders) as cumulative_orders
    from candidates
    inner join supplier_buyers
        on candidates.supplier_id = supplier_buyers.supplier_id
        and candidates.window_start <= supplier_buyers.month_start
        and candidates.evaluation_month >= supplier_buyers.month_start
    group by candidates.supplier_id, supplier_buyers.buyer_id
),

trailing_buyers as (
    select
        supplier_id,
        count(*) as t12m_buyers,
        count(distinct buyer_country) as t12m_buyer_countries,
        cast(
            sum(case when cumulative_orders >= 2 then 1 else 0 end) as bigint
        ) as t12m_repeat_buyers
    from trailing_buyer_pairs
    group by supplier_id
),

trailing_response as (
    select
        candidates.supplier_id,
        {{ median('orders.first_response_hours') }} as t12m_median_first_response_hours
    from candidates
    inner join orders
        on candidates.supplier_id = orders.supplier_id
        and candidates.window_start <= orders.order_month
        and candidates.evaluation_month >= orders.order_month
    where orders.first_response_hours is not null
    group by candidates.supplier_id
),

counted as (
    select
        candidates.supplier_id,
        candidates.supplier_name,
        candidates.evaluation_month,
        candidates.country_code,
        candidates.province,
        candidates.business_type,
        candidates.is_verified,
        candidates.joined_at,
        candidates.months_on_platform,
        coalesce(trailing_activity.recent_active_months, 0) as recent_active_months,
        coalesce(trailing_activity.t12m_orders, 0) as t12m_orders,
        coalesce(trailing_activity.t12m_orders_received, 0) as t12m_orders_received,
        coalesce(trailing_activity.t12m_gmv_usd, 0) as t12m_gmv_usd,
        coalesce(trailing_activity.prior_t12m_gmv_usd, 0) as prior_t12m_gmv_usd,
        coalesce(trailing_buyers.t12m_buyers, 0) as t12m_buyers,
        coalesce(trailing_buyers.t12m_buyer_countries, 0) as t12m_buyer_countries,
        coalesce(trailing_buyers.t12m_repeat_buyers, 0) as t12m_repeat_buyers,
        coalesce(trailing_activity.t12m_shipped_orders_with_ship_by, 0)
            as t12m_shipped_orders_with_ship_by,
        coalesce(trailing_activity.t12m_on_time_orders, 0) as t12m_on_time_orders,
        coalesce(trailing_activity.t12m_cancelled_orders, 0) as t12m_cancelled_orders,
        coalesce(trailing_activity.t12m_disputed_or_refunded_orders, 0)
            as t12m_disputed_or_refunded_orders,
        coalesce(trailing_activity.t12m_rating_count, 0) as t12m_rating_count,
        trailing_activity.t12m_rating_sum,
        trailing_response.t12m_median_first_response_hours
    from candidates
    left join trailing_activity on candidates.supplier_id = trailing_activity.supplier_id
    left join trailing_buyers on candidates.supplier_id = trailing_buyers.supplier_id
    left join trailing_response on candidates.supplier_id = trailing_response.supplier_id
),

final as (
    select
        supplier_id,
        supplier_name,
        evaluation_month,
        country_code,
        province,
        business_type,
        is_verified,
        joined_at,
        months_on_platform,
        recent_active_months,
        t12m_orders,
        t12m_orders_received,
        t12m_gmv_usd,
        prior_t12m_gmv_usd,
        case
            when prior_t12m_gmv_usd = 0 then null
            else t12m_gmv_usd / prior_t12m_gmv_usd - 1
        end as t12m_gmv_growth,
        t12m_buyers,
        t12m_buyer_countries,
        t12m_repeat_buyers,
        {{ safe_divide('t12m_repeat_buyers', 't12m_buyers') }} as t12m_repeat_buyer_share,
        t12m_shipped_orders_with_ship_by,
        t12m_on_time_orders,
        {{ safe_divide('t12m_on_time_orders', 't12m_shipped_orders_with_ship_by') }}
            as t12m_on_time_shipment_rate,
        t12m_cancelled_orders,
        {{ safe_divide('t12m_cancelled_orders', 't12m_orders_received') }}
            as t12m_cancellation_rate,
        t12m_disputed_or_refunded_orders,
        {{ safe_divide('t12m_disputed_or_refunded_orders', 't12m_orders_received') }}
            as t12m_dispute_refund_rate,
        t12m_rating_count,
        {{ safe_divide('t12m_rating_sum', 't12m_rating_count') }} as t12m_avg_rating,
        t12m_median_first_response_hours
    from counted
)

select * from final
