{%- set column_types = source_column_types(source('marketplace', 'suppliers')) -%}

with

source as (
    select * from {{ source('marketplace', 'suppliers') }}
),

renamed as (
    select
        trim(supplier_id) as supplier_id,
        trim(supplier_name) as supplier_name,
        upper(trim(country_code)) as country_code,
        nullif(trim(province), '') as province,
        lower(trim(business_type)) as business_type,
        nullif(trim(main_category), '') as main_category,
        cast(is_verified as boolean) as is_verified,
        cast(joined_at as date) as joined_at,
        cast(left_at as date) as left_at,
        _source_file,
        cast(_source_row as bigint) as _source_row,
        {{ utc_timestamp('_loaded_at', column_types) }} as _loaded_at
    from source
),

-- A supplier delivered twice keeps its latest copy: latest load, then file name, then row.
ranked as (
    select
        *,
        row_number() over (
            partition by supplier_id
            order by _loaded_at desc, _source_file desc, _source_row desc
        ) as copy_rank
    from renamed
),

final as (
    select
        supplier_id,
        supplier_name,
        country_code,
        province,
        business_type,
        main_category,
        is_verified,
        joined_at,
        left_at,
        _source_file,
        _loaded_at
    from ranked
    where copy_rank = 1
)

select * from final
