{%- set column_types = source_column_types(source('marketplace', 'buyers')) -%}

with

source as (
    select * from {{ source('marketplace', 'buyers') }}
),

renamed as (
    select
        trim(buyer_id) as buyer_id,
        upper(trim(country_code)) as country_code,
        cast(registered_at as date) as registered_at,
        nullif(lower(trim(buyer_type)), '') as buyer_type,
        _source_file,
        cast(_source_row as bigint) as _source_row,
        {{ utc_timestamp('_loaded_at', column_types) }} as _loaded_at
    from source
),

-- A buyer delivered twice keeps its latest copy: latest load, then file name, then row.
ranked as (
    select
        *,
        row_number() over (
            partition by buyer_id
            order by _loaded_at desc, _source_file desc, _source_row desc
        ) as copy_rank
    from renamed
),

final as (
    select
        buyer_id,
        country_code,
        registered_at,
        buyer_type,
        _source_file,
        _loaded_at
    from ranked
    where copy_rank = 1
)

select * from final
