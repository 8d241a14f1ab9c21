{#-
    The month range fct_order_lines rebuilds, from the vars months_from and months_to (ISO dates
    of first days of months, inclusive): {'from': '2023-06-01', 'to': '2023-06-01'}, or none when
    both are unset. Fails the compilation when only one is set or a value is not a month start.
-#}
{% macro month_range() -%}
    {%- set raw_from = var('months_from', none) -%}
    {%- set raw_to = var('months_to', none) -%}
    {%- set months_from = none if raw_from is none or (raw_from | string | trim) == '' else (raw_from | string | trim) -%}
    {%- set months_to = none if raw_to is none or (raw_to | string | trim) == '' else (raw_to | string | trim) -%}
    {%- if months_from is none and months_to is none -%}
        {{ return(none) }}
    {%- endif -%}
    {%- if months_from is none or months_to is none -%}
        {{ exceptions.raise_compiler_error(
            "set both months_from and months_to (got months_from=" ~ months_from
            ~ ", months_to=" ~ months_to ~ ")"
        ) }}
    {%- endif -%}
    {%- set parsed = [] -%}
    {%- for value in [months_from, months_to] -%}
        {%- set day = modules.re.match('^([0-9]{4})-([0-9]{2})-([0-9]{2})$', value) -%}
        {%- if day is none or day.group(3) != '01' or day.group(2) < '01' or day.group(2) > '12' -%}
            {{ exceptions.raise_compiler_error(
                "months_from and months_to must be first days of months (YYYY-MM-01), got " ~ value
            ) }}
        {%- endif -%}
        {%- do parsed.append(value) -%}
    {%- endfor -%}
    {%- if parsed[0] > parsed[1] -%}
        {{ exceptions.raise_compiler_error(
            "months_from (" ~ parsed[0] ~ ") is after months_to (" ~ parsed[1] ~ ")"
        ) }}
    {%- endif -%}
    {{ return({'from': parsed[0], 'to': parsed[1]}) }}
{%- endmacro %}


{#-
    Pre-hook of fct_order_lines: on an incremental run with a month range, delete those months
    first, so that a month whose rows all disappeared from the source is emptied too (the
    delete+insert strategy alone only replaces the months present in the new rows).
-#}
{% macro delete_rebuilt_months() -%}
    {%- set months = month_range() -%}
    {%- if months is not none and is_incremental() and target.type not in ('spark', 'databricks') -%}
        delete from {{ this }}
        where order_month >= cast('{{ months.from }}' as date)
            and order_month <= cast('{{ months.to }}' as date)
    {%- endif -%}
{%- endmacro %}
