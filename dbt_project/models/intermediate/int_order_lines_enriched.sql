{{ config(materialized='view') }}
{#- Order lines with the buyer's and supplier's attributes and the flags the marts count on. -#}
with

order_lines as (
    select * from {{ ref('stg_marketplace__order_lines') }}
),

buyers as (
    select * from {{ ref('stg_marketplace__buyers') }}
),

suppliers as (
    select * from {{ ref('stg_marketplace__suppliers') }}
),

countries as (
    select * from {{ ref('countries') }}
),

categories as (
    select * from {{ ref('product_categories') }}
),

final as (
    select
        order_lines.order_id,
        order_lines.line_number,
        order_lines.buyer_id,
        order_lines.supplier_id,
        order_lines.ordered_at,
        order_lines.order_date,
        order_lines.order_month,
        order_lines.product_category,
        categories.parent_group as product_group,
        order_lines.quantity,
        order_lines.unit_price,
        order_lines.currency,
        order_lines.usd_per_unit,
        order_lines.fx_rate_month,
        order_lines.unit_price_usd,
        order_lines.line_amount,
        order_lines.line_amount_usd,
        case
            when order_lines.order_status = 'cancelled' then 0.0
            else order_lines.line_amount_usd
        end as gmv_usd,
        order_lines.order_status,
        order_lines.order_status = 'cancelled' as is_cancelled,
        order_lines.order_status in ('disputed', 'refunded') as is_disputed_or_refunded,
        order_lines.promised_ship_by,
        order_lines.shipped_at,
        order_lines.delivered_at,
        case
            when order_lines.promised_ship_by is null or order_lines.shipped_at is null then null
            else cast(order_lines.shipped_at as date) <= order_lines.promised_ship_by
        end as is_shipped_on_time,
        order_lines.buyer_rating,
        order_lines.first_response_hours,
        buyers.country_code as buyer_country,
        buyer_countries.region as buyer_region,
        suppliers.country_code as supplier_country,
        supplier_countries.region as supplier_region,
        suppliers.business_type as supplier_business_type,
        order_lines._source_file,
        order_lines._source_row,
        order_lines._loaded_at
    from order_lines
    left join buyers on order_lines.buyer_id = buyers.buyer_id
    left join suppliers on order_lines.supplier_id = suppliers.supplier_id
    left join countries as buyer_countries on buyers.country_code = buyer_countries.country_code
    left join countries as supplier_countries
        on suppliers.country_code = supplier_countries.country_code
    left join categories on order_lines.product_category = categories.category_code
)

select * from final
