{#-
    The pavilion shortlist: the var('pavilion_size') candidates that meet the most of the 14
    criteria (docs: pavilion_criteria), ties broken by T12M GMV, then supplier_id.
    A criterion whose figure is missing (no orders, no ratings, ...) is not met.
-#}
{%- set business_types = var('pavilion_business_types') -%}

with

candidates as (
    select * from {{ ref('int_pavilion_candidates_measured') }}
),

flagged as (
    select
        *,
        coalesce(
            country_code = '{{ var("pavilion_country_code") }}'
            and business_type in ('{{ business_types | join("', '") }}'),
            false
        ) as meets_made_in_vietnam,
        coalesce(is_verified, false) as meets_verified,
        coalesce(
            months_on_platform >= {{ var('pavilion_min_months_on_platform') }}, false
        ) as meets_tenure,
        coalesce(
            recent_active_months >= {{ var('pavilion_active_months') }}, false
        ) as meets_continuous_activity,
        coalesce(t12m_orders >= {{ var('pavilion_min_orders') }}, false) as meets_order_volume,
        coalesce(t12m_gmv_usd >= {{ var('pavilion_min_gmv_usd') }}, false) as meets_gmv,
        coalesce(
            t12m_gmv_usd > 0
            and t12m_gmv_usd >= prior_t12m_gmv_usd * (1 + {{ var('pavilion_min_gmv_growth') }}),
            false
        ) as meets_gmv_growth,
        coalesce(
            t12m_buyer_countries >= {{ var('pavilion_min_buyer_countries') }}, false
        ) as meets_buyer_countries,
        coalesce(
            t12m_repeat_buyer_share >= {{ var('pavilion_min_repeat_buyer_share') }}, false
        ) as meets_repeat_buyers,
        coalesce(
            t12m_on_time_shipment_rate >= {{ var('pavilion_min_on_time_rate') }}, false
        ) as meets_on_time_shipment,
        coalesce(
            t12m_cancellation_rate <= {{ var('pavilion_max_cancellation_rate') }}, false
        ) as meets_cancellation_rate,
        coalesce(
            t12m_dispute_refund_rate <= {{ var('pavilion_max_dispute_refund_rate') }}, false
        ) as meets_dispute_refund_rate,
        coalesce(
            t12m_avg_rating >= {{ var('pavilion_min_avg_rating') }}
            and t12m_rating_count >= {{ var('pavilion_min_rating_count') }},
            false
        ) as meets_rating,
        coalesce(
            t12m_median_first_response_hours
            <= {{ var('pavilion_max_median_first_response_hours') }},
            false
        ) as meets_response_time
    from candidates
),

{%- set criteria = [
    'meets_made_in_vietnam', 'meets_verified', 'meets_tenure', 'meets_continuous_activity',
    'meets_order_volume', 'meets_gmv', 'meets_gmv_growth', 'meets_buyer_countries',
    'meets_repeat_buyers', 'meets_on_time_shipment', 'meets_cancellation_rate',
    'meets_dispute_refund_rate', 'meets_rating', 'meets_response_time',
] %}

counted as (
    select
        *,
        {%- for criterion in criteria %}
            {% if not loop.first %}+ {% endif %}case when {{ criterion }} then 1 else 0 end
        {%- endfor %}
            as criteria_met
    from flagged
),

ranked as (
    select
        *,
        -- bigint on every engine (Spark's row_number is an int).
        cast(row_number() over (
            order by criteria_met desc, coalesce(t12m_gmv_usd, 0) desc, supplier_id
        ) as bigint) as shortlist_rank
    from counted
),

final as (
    select
        shortlist_rank,
        supplier_id,
        supplier_name,
        evaluation_month,
        criteria_met,
        {%- for criterion in criteria %}
            {{ criterion }},
        {%- endfor %}
        country_code,
        province,
        business_type,
        is_verified,
        joined_at,
        months_on_platform,
        recent_active_months,
        t12m_orders,
        t12m_orders_received,
        t12m_gmv_usd,
        prior_t12m_gmv_usd,
        t12m_gmv_growth,
        t12m_buyers,
        t12m_buyer_countries,
        t12m_repeat_buyers,
        t12m_repeat_buyer_share,
        t12m_shipped_orders_with_ship_by,
        t12m_on_time_orders,
        t12m_on_time_shipment_rate,
        t12m_cancelled_orders,
        t12m_cancellation_rate,
        t12m_disputed_or_refunded_orders,
        t12m_dispute_refund_rate,
        t12m_rating_count,
        t12m_avg_rating,
        t12m_median_first_response_hours
    from ranked
    where shortlist_rank <= {{ var('pavilion_size') }}
)

select * from final
