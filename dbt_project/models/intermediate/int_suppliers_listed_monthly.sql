{#-
    A supplier is listed in a month when joined_at <= the month's last day and
    (left_at is null or left_at >= the month's first day): macros/listed_in_month.sql.
-#}
with

suppliers as (
    select * from {{ ref('stg_marketplace__suppliers') }}
),

calendar_months as (
    select * from {{ ref('int_calendar_months') }}
),

final as (
    select
        suppliers.supplier_id,
        calendar_months.month_start,
        suppliers.country_code as supplier_country,
        suppliers.main_category,
        suppliers.business_type
    from suppliers
    inner join calendar_months
        on {{ listed_in_month('suppliers', 'calendar_months') }}
)

select * from final
