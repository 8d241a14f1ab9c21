{#-
    The listing rule, as a SQL condition: a supplier is listed in a month when it joined by the
    month's last day and had not left before its first day. `supplier` names a relation with
    joined_at and left_at, `month` one with month_start and month_end.
-#}
{% macro listed_in_month(supplier, month) -%}
    {{ supplier }}.joined_at <= {{ month }}.month_end
    and ({{ supplier }}.left_at is null or {{ supplier }}.left_at >= {{ month }}.month_start)
{%- endmacro %}
