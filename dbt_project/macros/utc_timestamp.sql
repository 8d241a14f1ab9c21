{#-
    A source column as a UTC timestamp without time zone, whatever type it arrived as.
    column_types: the dict that source_column_types() returns for the source relation.
    Used in staging only: {{ utc_timestamp('ordered_at', column_types) }}.
-#}
{% macro source_column_types(relation) -%}
    {%- set types = {} -%}
    {%- if execute -%}
        {%- for column in adapter.get_columns_in_relation(relation) -%}
            {%- do types.update({column.name | lower: column.dtype | lower}) -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(types) }}
{%- endmacro %}

{% macro utc_timestamp(column_name, column_types) -%}
    {{ return(adapter.dispatch('utc_timestamp', 'tradepulse')(column_name, column_types)) }}
{%- endmacro %}

{% macro default__utc_timestamp(column_name, column_types) -%}
    cast({{ column_name }} as timestamp)
{%- endmacro %}

{#-
    DuckDB: an aware timestamp (or text with an offset) is converted to UTC wall-clock time;
    a naive timestamp is taken to be UTC already, as the contract says.
-#}
{% macro duckdb__utc_timestamp(column_name, column_types) -%}
    {%- set data_type = column_types.get(column_name | lower, '') -%}
    {%- if 'with time zone' in data_type or data_type == 'timestamptz' -%}
        timezone('UTC', {{ column_name }})
    {%- elif data_type in ('varchar', 'text', 'string') -%}
        timezone('UTC', cast({{ column_name }} as timestamptz))
    {%- else -%}
        cast({{ column_name }} as timestamp)
    {%- endif -%}
{%- endmacro %}

{#-
    Spark: `timestamp` is an instant (shown in the session time zone, UTC) and is converted to
    UTC wall-clock time, like DuckDB's timestamptz; so is text, an offset in it honoured;
    timestamp_ntz is taken to be UTC already. The result is timestamp_ntz, DuckDB's timestamp.
-#}
{% macro spark__utc_timestamp(column_name, column_types) -%}
    {%- set data_type = column_types.get(column_name | lower, '') -%}
    {%- if data_type in ('timestamp', 'timestamp_ltz', 'string') or data_type.startswith('varchar') -%}
        cast(cast({{ column_name }} as timestamp_ltz) as timestamp_ntz)
    {%- else -%}
        cast({{ column_name }} as timestamp_ntz)
    {%- endif -%}
{%- endmacro %}
