{#-
    dbt's dateadd and datediff on Spark, as they behave on DuckDB (the project's dispatch config
    puts these before dbt-spark's own). dbt-spark's versions round-trip through unix seconds
    and `to_timestamp(<number>)`, which ANSI mode with timestamp_ntz rejects, and its month
    datediff is not DuckDB's. The models keep calling dbt.dateadd and dbt.datediff.
-#}

{#- Calendar arithmetic, the end of month clamped (Jan 31 + 1 month = Feb 28/29). A date gives a
    timestamp_ntz, as date + interval gives a timestamp on DuckDB. -#}
{% macro spark__dateadd(datepart, interval, from_date_or_timestamp) -%}
    {%- set units = {
        'year': 'year', 'quarter': 'quarter', 'month': 'month', 'week': 'week', 'day': 'day',
        'hour': 'hour', 'minute': 'minute', 'second': 'second',
    } -%}
    {%- if datepart | lower not in units -%}
        {{ return(dbt.spark__dateadd(datepart, interval, from_date_or_timestamp)) }}
    {%- endif -%}
    timestampadd(
        {{ units[datepart | lower] }},
        cast({{ interval }} as bigint),
        cast({{ from_date_or_timestamp }} as timestamp_ntz)
    )
{%- endmacro %}

{#- Boundaries crossed between the two, like DuckDB's date_diff: from Jan 31 to Feb 1 is one
    month; a bigint. Parts other than day, month, quarter and year: dbt-spark's. -#}
{% macro spark__datediff(first_date, second_date, datepart) -%}
    {%- set part = datepart | lower -%}
    {%- if part == 'day' -%}
        cast(datediff(cast({{ second_date }} as date), cast({{ first_date }} as date)) as bigint)
    {%- elif part in ('month', 'quarter', 'year') -%}
        {%- set per_year = {'month': 12, 'quarter': 4, 'year': 1}[part] -%}
        {%- set within_year = {
            'month': 'month', 'quarter': 'quarter', 'year': none
        }[part] -%}
        cast(
            (year({{ second_date }}) - year({{ first_date }})) * {{ per_year }}
            {%- if within_year %}
            + ({{ within_year }}({{ second_date }}) - {{ within_year }}({{ first_date }}))
            {%- endif %}
            as bigint
        )
    {%- else -%}
        {{ return(dbt.spark__datediff(first_date, second_date, datepart)) }}
    {%- endif -%}
{%- endmacro %}
