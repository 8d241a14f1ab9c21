{#- One row per buyer, with its country and lifetime activity. -#}
with

buyers as (
    select * from {{ ref('stg_marketplace__buyers') }}
),

countries as (
    select * from {{ ref('countries') }}
),

buyers_monthly as (
    select * from {{ ref('int_buyers_aggregated_to_months') }}
),

activity as (
    select
        buyer_id,
        min(month_start) as first_active_month,
        max(month_start) as last_active_month,
        count(*) as active_months,
        -- bigint on every engine (DuckDB's sum of bigints is a hugeint).
        cast(sum(orders) as bigint) as orders,
        sum(gmv_usd) as gmv_usd
    from buyers_monthly
    group by buyer_id
),

final as (
    select
        buyers.buyer_id,
        buyers.country_code,
        countries.country_name,
        countries.region,
        countries.sub_region,
        buyers.registered_at,
        buyers.buyer_type,
        activity.first_active_month,
        activity.last_active_month,
        coalesce(activity.active_months, 0) as active_months,
        coalesce(activity.orders, 0) as orders,
        coalesce(activity.gmv_usd, 0) as gmv_usd
    from buyers
    left join countries on buyers.country_code = countries.country_code
    left join activity on buyers.buyer_id = activity.buyer_id
)

select * from final
