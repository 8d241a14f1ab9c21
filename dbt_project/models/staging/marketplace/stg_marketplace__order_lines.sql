{#-
    One row per order line (order_id, line_number) after de-duplication, with prices in USD.
    The de-duplication and FX rules are documented in _marketplace__models.yml.

    A table, unlike the other staging models: the de-duplication window runs over every raw
    line, and a view would run it again for each reader (fct_order_lines, its tests and the
    staging GX suite; 80 s of the GX stage alone at 10 M lines). Incremental by month on
    DuckDB, like fct_order_lines (macros/rebuilt_months.sql): a run with a month range
    rebuilds the lines of those months and of every key with a raw copy in them; the keys
    with no row left get de-duplicated again.
-#}
{{ config(**incremental_by_month(
    "{{ delete_rebuilt_order_lines(source('marketplace', 'orders')) }}"
)) }}
{%- set column_types = source_column_types(source('marketplace', 'orders')) -%}

with

source as (
    select * from {{ source('marketplace', 'orders') }}
),

{% if is_incremental() %}
    kept_lines as (
        select
            order_id,
            line_number
        from {{ this }}
    ),

    -- The lines whose key has no row, joined on the raw columns first: several times faster
    -- than on trimmed ones (1.8 s against 8.2 s at 10 M lines). A stored key is trimmed, so a
    -- raw key equal to it trims to it: this finds every line to rebuild, and the lines whose
    -- key only matches once trimmed, which the next step drops.
    candidate_lines as (
        select source.*
        from source
        where
            not exists (
                select 1
                from kept_lines
                where
                    kept_lines.order_id = source.order_id
                    and kept_lines.line_number = source.line_number
            )
    ),

    rebuilt_source as (
        select candidate_lines.*
        from candidate_lines
        where
            not exists (
                select 1
                from kept_lines
                where
                    kept_lines.order_id = trim(candidate_lines.order_id)
                    and kept_lines.line_number
                    = cast(candidate_lines.line_number as integer)
            )
    ),

{% else %}
    rebuilt_source as (
        select * from source
    ),

{% endif %}
fx_rates as (
    select * from {{ ref('fx_rates_monthly') }}
),

renamed as (
    select
        trim(order_id) as order_id,
        cast(line_number as integer) as line_number,
        trim(buyer_id) as buyer_id,
        trim(supplier_id) as supplier_id,
        {{ utc_timestamp('ordered_at', column_types) }} as ordered_at,
        trim(product_category) as product_category,
        cast(quantity as double) as quantity,
        cast(unit_price as double) as unit_price,
        upper(trim(currency)) as currency,
        lower(trim(order_status)) as order_status,
        cast(promised_ship_by as date) as promised_ship_by,
        {{ utc_timestamp('shipped_at', column_types) }} as shipped_at,
        {{ utc_timestamp('delivered_at', column_types) }} as delivered_at,
        cast(buyer_rating as integer) as buyer_rating,
        cast(first_response_hours as double) as first_response_hours,
        _source_file,
        cast(_source_row as bigint) as _source_row,
        {{ utc_timestamp('_loaded_at', column_types) }} as _loaded_at
    from rebuilt_source
),

ranked as (
    select
        *,
        row_number() over (
            partition by order_id, line_number
            order by _loaded_at desc, _source_file desc, _source_row desc
        ) as copy_rank
    from renamed
),

deduplicated as (
    select
        *,
        cast({{ dbt.date_trunc('month', 'ordered_at') }} as date) as order_month
    from ranked
    where copy_rank = 1
),

rates as (
    select
        cast(month as date) as rate_month,
        upper(trim(currency_code)) as currency_code,
        cast(usd_per_unit as double) as usd_per_unit
    from fx_rates
),

rate_bounds as (
    select
        currency_code,
        min(rate_month) as first_rate_month,
        max(rate_month) as last_rate_month
    from rates
    group by currency_code
),

-- Outside the seed's months a currency takes its nearest month's rate (see the YAML).
with_rate_month as (
    select
        deduplicated.*,
        case
            when deduplicated.currency = 'USD' then deduplicated.order_month
            when deduplicated.order_month > rate_bounds.last_rate_month
                then rate_bounds.last_rate_month
            when deduplicated.order_month < rate_bounds.first_rate_month
                then rate_bounds.first_rate_month
            else deduplicated.order_month
        end as fx_rate_month
    from deduplicated
    left join rate_bounds on deduplicated.currency = rate_bounds.currency_code
),

converted as (
    select
        with_rate_month.*,
        case
            when with_rate_month.currency = 'USD' then 1.0
            else rates.usd_per_unit
        end as usd_per_unit
    from with_rate_month
    left join rates
        on with_rate_month.currency = rates.currency_code
        and with_rate_month.fx_rate_month = rates.rate_month
),

final as (
    select
        order_id,
        line_number,
        buyer_id,
        supplier_id,
        ordered_at,
        cast(ordered_at as date) as order_date,
        order_month,
        product_category,
        quantity,
        unit_price,
        currency,
        usd_per_unit,
        fx_rate_month,
        unit_price * usd_per_unit as unit_price_usd,
        quantity * unit_price as line_amount,
        quantity * unit_price * usd_per_unit as line_amount_usd,
        order_status,
        promised_ship_by,
        shipped_at,
        delivered_at,
        buyer_rating,
        first_response_hours,
        _source_file,
        _source_row,
        _loaded_at
    from converted
)

select * from final
