{#-
    One row per buyer per month in which the buyer is active: at least one order line ordered
    that month whose order_status is not cancelled.
-#}
with

order_lines as (
    select * from {{ ref('fct_order_lines') }}
),

monthly as (
    select
        buyer_id,
        order_month as month_start,
        max(buyer_country) as buyer_country,
        max(buyer_region) as buyer_region,
        count(distinct order_id) as orders,
        count(*) as order_lines,
        sum(gmv_usd) as gmv_usd
    from order_lines
    where not is_cancelled
    group by buyer_id, order_month
),

final as (
    select
        monthly.buyer_id,
        monthly.month_start,
        monthly.buyer_country,
        monthly.buyer_region,
        monthly.orders,
        monthly.order_lines,
        monthly.gmv_usd,
        monthly.month_start = min(monthly.month_start) over (
            partition by monthly.buyer_id
        ) as is_first_active_month
    from monthly
)

select * from final
