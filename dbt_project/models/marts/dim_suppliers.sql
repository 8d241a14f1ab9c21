{#- One row per supplier, with its country, category and lifetime activity. -#}
with

suppliers as (
    select * from {{ ref('stg_marketplace__suppliers') }}
),

countries as (
    select * from {{ ref('countries') }}
),

categories as (
    select * from {{ ref('product_categories') }}
),

orders as (
    select * from {{ ref('fct_orders') }}
),

activity as (
    select
        supplier_id,
        min(order_date) as first_order_date,
        max(order_date) as last_order_date,
        -- bigint on every engine (DuckDB's sum of integers is a hugeint).
        cast(sum(case when is_cancelled then 0 else 1 end) as bigint) as orders,
        sum(gmv_usd) as gmv_usd
    from orders
    group by supplier_id
),

final as (
    select
        suppliers.supplier_id,
        suppliers.supplier_name,
        suppliers.country_code,
        countries.country_name,
        countries.region,
        countries.sub_region,
        suppliers.province,
        suppliers.business_type,
        suppliers.main_category,
        categories.category_name as main_category_name,
        suppliers.is_verified,
        suppliers.joined_at,
        suppliers.left_at,
        suppliers.left_at is null as is_member,
        activity.first_order_date,
        activity.last_order_date,
        coalesce(activity.orders, 0) as orders,
        coalesce(activity.gmv_usd, 0) as gmv_usd
    from suppliers
    left join countries on suppliers.country_code = countries.country_code
    left join categories on suppliers.main_category = categories.category_code
    left join activity on suppliers.supplier_id = activity.supplier_id
)

select * from final
