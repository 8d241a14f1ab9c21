{#-
    One row per supplier, buyer and month with at least one non-cancelled order between them,
    with the running count of their non-cancelled orders (repeat buyers have two or more).
    Incremental by month (macros/rebuilt_months.sql): the count carries on from the months kept.
-#}
{{ config(**incremental_by_month("{{ delete_months_from('month_start') }}")) }}

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
    where not is_cancelled {{- and_rebuilt_month('order_month') }}
    group by supplier_id, buyer_id, order_month
),

{% if is_incremental() %}
    orders_kept as (
        select
            supplier_id,
            buyer_id,
            max(cumulative_orders) as cumulative_orders
        from {{ this }}
        group by supplier_id, buyer_id
    ),

{% else %}
    orders_kept as (
        select
            cast(null as {{ dbt.type_string() }}) as supplier_id,
            cast(null as {{ dbt.type_string() }}) as buyer_id,
            cast(null as {{ dbt.type_bigint() }}) as cumulative_orders
        where false
    ),

{% endif %}
final as (
    select
        monthly.supplier_id,
        monthly.buyer_id,
        monthly.month_start,
        monthly.buyer_country,
        monthly.orders,
        monthly.gmv_usd,
        cast(coalesce(orders_kept.cumulative_orders, 0) + sum(monthly.orders) over (
            partition by monthly.supplier_id, monthly.buyer_id
            order by monthly.month_start
            rows between unbounded preceding and current row
        ) as bigint) as cumulative_orders
    from monthly
    left join orders_kept
        on monthly.supplier_id = orders_kept.supplier_id
        and monthly.buyer_id = orders_kept.buyer_id
)

select * from final
