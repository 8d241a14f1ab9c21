{#-
    numerator / denominator as a double, null when the denominator is zero or null:
    {{ safe_divide('on_time_orders', 'orders_with_ship_by') }}.
-#}
{% macro safe_divide(numerator, denominator) -%}
    case
        when {{ denominator }} is null or {{ denominator }} = 0 then null
        else cast({{ numerator }} as double) / {{ denominator }}
    end
{%- endmacro %}
