{{ config(severity='warn') }}
{#-
    Order-level fields repeat on every line of an order: report orders whose lines disagree
    (fct_orders then takes the max() of each field).
-#}
with

order_lines as (
    select * from {{ ref('fct_order_lines') }}
),

disagreements as (
    select
        order_id,
        count(*) as order_lines
    from order_lines
    group by order_id
    having min(buyer_id) <> max(buyer_id)
        or min(supplier_id) <> max(supplier_id)
        or min(ordered_at) <> max(ordered_at)
        or min(order_status) <> max(order_status)
        or min(currency) <> max(currency)
)

select * from disagreements
