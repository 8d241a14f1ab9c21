{#-
    The combination of columns is unique (dbt_utils' unique_combination_of_columns, which the
    hub would give us). Usage in YAML, at model level:
        data_tests:
          - unique_combination:
              arguments:
                combination_of_columns: [order_id, line_number]
-#}
{% test unique_combination(model, combination_of_columns) %}

with

duplicates as (
    select
        {{ combination_of_columns | join(', ') }},
        count(*) as copies
    from {{ model }}
    group by {{ combination_of_columns | join(', ') }}
    having count(*) > 1
)

select * from duplicates

{% endtest %}
