{#-
    One row per buyer per month in which the buyer is active: at least one order line ordered
    that month whose order_status is not cancelled. Incremental by month
    (macros/rebuilt_months.sql): a buyer with a row in a month kept is not new in a month rebuilt.
-#}
{{ config(**incremental_by_month("{{ delete_months_from('month_start') }}")) }}

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
    where not is_cancelled {{- and_rebuilt_month('order_month') }}
    group by buyer_id, order_month
),

{% if is_incremental() %}
    buyers_kept as (
        select distinct buyer_id from {{ this }}
    ),

{% else %}
    buyers_kept as (
        select cast(null as {{ dbt.type_string() }}) as buyer_id
        where false
    ),

{% endif %}
final as (
    select
        monthly.buyer_id,
        monthly.month_start,
        monthly.buyer_country,
        monthly.buyer_region,
        monthly.orders,
        monthly.order_lines,
        monthly.gmv_usd,
        buyers_kept.buyer_id is null
        and monthly.month_start = min(monthly.month_start) over (
            partition by monthly.buyer_id
        ) as is_first_active_month
    from monthly
    left join buyers_kept on monthly.buyer_id = buyers_kept.buyer_id
)

select * from final
