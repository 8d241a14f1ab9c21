{#-
    Every row satisfies a boolean SQL expression (optionally only rows matching `where`).
    Usage at model level:
        data_tests:
          - expression_is_true:
              arguments:
                expression: "line_amount_usd = quantity * unit_price_usd"
-#}
{% test expression_is_true(model, expression, column_name=none) %}

select *
from {{ model }}
where not ({{ expression }})

{% endtest %}
