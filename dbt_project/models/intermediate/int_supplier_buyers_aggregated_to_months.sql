{#-
    One row per supplier, buyer and month with at least one non-cancelled order between them,
    with the running count of their non-cancelled orders (repeat buyers have two or more).
-#}
with

orders as (
    select * from {{ ref('fct_orders') }}
),

monthly as (
    select
        supplier_id,
        buyer_id,
        order_month as month_start,
        max(buyer_country) as buyer_country,
        count(*) as orders,
        sum(gmv_usd) as gmv_usd
    from orders
    where not is_cancelled
    group by supplier_id, buyer_id, order_month
),

final as (
    select
        supplier_id,
        buyer_id,
        month_start,
        buyer_country,
        orders,
        gmv_usd,
        cast(sum(orders) over (
            partition by supplier_id, buyer_id
            order by month_start
            rows between unbounded preceding and current row
        ) as bigint) as cumulative_orders
    from monthly
)

select * from final
