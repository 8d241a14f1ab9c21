{#-
    One row per order. Order-level fields repeat on every line of an order; they are taken with
    max() (a warn-level test reports orders whose lines disagree).
-#}
with

order_lines as (
    select * from {{ ref('fct_order_lines') }}
),

aggregated as (
    select
        order_id,
        max(buyer_id) as buyer_id,
        max(supplier_id) as supplier_id,
        max(ordered_at) as ordered_at,
        max(currency) as currency,
        max(order_status) as order_status,
        max(promised_ship_by) as promised_ship_by,
        max(shipped_at) as shipped_at,
        max(delivered_at) as delivered_at,
        max(buyer_rating) as buyer_rating,
        max(first_response_hours) as first_response_hours,
        max(buyer_country) as buyer_country,
        max(buyer_region) as buyer_region,
        max(supplier_country) as supplier_country,
        max(supplier_region) as supplier_region,
        count(*) as order_lines,
        sum(quantity) as quantity,
        sum(line_amount) as order_amount,
        sum(line_amount_usd) as order_amount_usd,
        sum(gmv_usd) as gmv_usd
    from order_lines
    group by order_id
),

final as (
    select
        order_id,
        buyer_id,
        supplier_id,
        ordered_at,
        cast(ordered_at as date) as order_date,
        cast({{ dbt.date_trunc('month', 'ordered_at') }} as date) as order_month,
        currency,
        order_status,
        order_status = 'cancelled' as is_cancelled,
        order_status in ('disputed', 'refunded') as is_disputed_or_refunded,
        promised_ship_by,
        shipped_at,
        delivered_at,
        case
            when promised_ship_by is null or shipped_at is null then null
            else cast(shipped_at as date) <= promised_ship_by
        end as is_shipped_on_time,
        buyer_rating,
        first_response_hours,
        buyer_country,
        buyer_region,
        supplier_country,
        supplier_region,
        order_lines,
        quantity,
        order_amount,
        order_amount_usd,
        gmv_usd
    from aggregated
)

select * from final
