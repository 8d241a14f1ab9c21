{#-
    Incremental by month: every run replaces whole months (delete+insert on order_month here,
    insert_overwrite of order_month partitions on Spark). Which months is documented in
    _fct_order_lines.yml: the vars months_from/months_to when set, else the months with rows
    loaded since this table's last build, or everything on a full refresh.
-#}
{%- if target.type in ('spark', 'databricks') -%}
{{
    config(
        materialized='incremental',
        incremental_strategy='insert_overwrite',
        partition_by=['order_month'],
        file_format='parquet',
        on_schema_change='sync_all_columns',
        pre_hook="{{ delete_rebuilt_months() }}",
    )
}}
{%- else -%}
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='order_month',
        on_schema_change='sync_all_columns',
        pre_hook="{{ delete_rebuilt_months() }}",
    )
}}
{%- endif -%}
{%- set months = month_range() -%}

with

order_lines as (
    select * from {{ ref('int_order_lines_enriched') }}
),

{% if months is none and is_incremental() -%}
    last_build as (
        select max(_loaded_at) as last_loaded_at from {{ this }}
    ),

    months_with_new_rows as (
        select distinct order_lines.order_month
        from order_lines
        cross join last_build
        where last_build.last_loaded_at is null
            or order_lines._loaded_at > last_build.last_loaded_at
    ),

{% endif -%}
final as (
    select
        order_id,
        line_number,
        buyer_id,
        supplier_id,
        ordered_at,
        order_date,
        order_month,
        product_category,
        product_group,
        quantity,
        unit_price,
        currency,
        usd_per_unit,
        fx_rate_month,
        unit_price_usd,
        line_amount,
        line_amount_usd,
        gmv_usd,
        order_status,
        is_cancelled,
        is_disputed_or_refunded,
        promised_ship_by,
        shipped_at,
        delivered_at,
        is_shipped_on_time,
        buyer_rating,
        first_response_hours,
        buyer_country,
        buyer_region,
        supplier_country,
        supplier_region,
        supplier_business_type,
        _source_file,
        _source_row,
        _loaded_at
    from order_lines
    {%- if months is not none %}
        where {{ in_months(months, 'order_month') }}
    {%- elif is_incremental() %}
        where order_month in (select months_with_new_rows.order_month from months_with_new_rows)
    {%- endif %}
)

select * from final
