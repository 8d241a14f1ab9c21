{#-
    One row per order. Order-level fields repeat on every line of an order; they are taken with
    max() (a warn-level test reports orders whose lines disagree). Incremental by month
    (macros/rebuilt_months.sql): the pre-hook deletes the orders with a line in the months
    rebuilt, and the orders with lines and no row are built again.
-#}
{{ config(**incremental_by_month("{{ delete_rebuilt_orders() }}")) }}

with

order_lines as (
    select * from {{ ref('fct_order_lines') }}
),

{% if is_incremental() %}
    kept_orders as (
        select order_id from {{ this }}
    ),

    rebuilt_lines as (
        select order_lines.*
        from order_lines
        where
            not exists (
                select 1
                from kept_orders
                where kept_orders.order_id = order_lines.order_id
            )
    ),

{% else %}
    rebuilt_lines as (
        select * from order_lines
    ),

{% endif %}
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
    from rebuilt_lines
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
