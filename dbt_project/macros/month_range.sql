{#-
    The month range fct_order_lines rebuilds, from the vars months_from and months_to (ISO dates
    of first days of months, inclusive): {'from': '2023-06-01', 'to': '2023-06-01'}, or none when
    both are unset. Fails the compilation when only one is set or a value is not a month start.
    Unset vars fall back to the environment variables TRADEPULSE_MONTHS_FROM and
    TRADEPULSE_MONTHS_TO, which the pipeline sets: a change of --vars makes dbt parse the whole
    project again, a change of an environment variable only the files that read it.
-#}
{% macro month_range() -%}
    {%- set raw_from = var('months_from', none) -%}
    {%- set raw_to = var('months_to', none) -%}
    {%- if raw_from is none and raw_to is none -%}
        {%- set raw_from = env_var('TRADEPULSE_MONTHS_FROM', '') -%}
        {%- set raw_to = env_var('TRADEPULSE_MONTHS_TO', '') -%}
    {%- endif -%}
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
    Pre-hook of fct_order_lines: on an incremental run with a month range, empty those months
    first, so that a month whose rows all disappeared from the source is emptied too (the
    incremental strategy alone only replaces the months present in the new rows): a delete on
    DuckDB, dropping the months' order_month partitions on Spark.
-#}
{% macro delete_rebuilt_months() -%}
    {%- set months = month_range() -%}
    {%- if months is not none and is_incremental() -%}
        {{ adapter.dispatch('delete_rebuilt_months', 'tradepulse')(months) }}
    {%- endif -%}
{%- endmacro %}

{% macro default__delete_rebuilt_months(months) -%}
    delete from {{ this }}
    where {{ in_months(months, 'order_month') }}
{%- endmacro %}


{#- `<column>` (a date) within `months` (what month_range() returns), as a SQL condition. -#}
{% macro in_months(months, column) -%}
    {{ column }} >= cast('{{ months.from }}' as date) and {{ column }} <= cast('{{ months.to }}' as date)
{%- endmacro %}

{% macro spark__delete_rebuilt_months(months) -%}
    alter table {{ this }} drop if exists
    {%- for month in month_starts(months.from, months.to) %}
        partition (order_month = '{{ month }}'){% if not loop.last %},{% endif %}
    {%- endfor %}
{%- endmacro %}


{#- The first days of the months from first_month to last_month (ISO dates), inclusive. -#}
{% macro month_starts(first_month, last_month) -%}
    {%- set first_year, first_number = first_month[:4] | int, first_month[5:7] | int -%}
    {%- set last_year, last_number = last_month[:4] | int, last_month[5:7] | int -%}
    {%- set count = (last_year - first_year) * 12 + last_number - first_number + 1 -%}
    {%- set months = [] -%}
    {%- for offset in range(count) -%}
        {%- set index = first_number - 1 + offset -%}
        {%- do months.append(
            '%04d-%02d-01' | format(first_year + index // 12, index % 12 + 1)
        ) -%}
    {%- endfor -%}
    {{ return(months) }}
{%- endmacro %}
