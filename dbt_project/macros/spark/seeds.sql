{#-
    Seeds on Spark. The seed YAML names column types as DuckDB does; Spark wants `string` where
    it says varchar or text (Spark's varchar needs a length).
-#}
{% macro spark_type(data_type) -%}
    {{ return('string' if (data_type | lower | trim) in ('varchar', 'text') else data_type) }}
{%- endmacro %}


{#- The Spark type of each column of a seed, in order: its column_types entry, else the type
    dbt infers from the CSV, translated by spark_type(). -#}
{% macro spark_seed_types(model, agate_table) -%}
    {%- set column_override = model['config'].get('column_types', {}) -%}
    {%- set types = [] -%}
    {%- for col_name in agate_table.column_names -%}
        {%- set inferred_type = adapter.convert_type(agate_table, loop.index0) -%}
        {%- do types.append(spark_type(column_override.get(col_name, inferred_type))) -%}
    {%- endfor -%}
    {{ return(types) }}
{%- endmacro %}


{#- dbt-spark's create_csv_table, with the column types translated by spark_type(). -#}
{% macro spark__create_csv_table(model, agate_table) -%}
    {%- set types = spark_seed_types(model, agate_table) -%}
    {%- set quote_seed_column = model['config'].get('quote_columns', None) -%}
    {%- set sql -%}
        create table {{ this.render() }} (
            {%- for col_name in agate_table.column_names -%}
                {{ adapter.quote_seed_column(col_name | string, quote_seed_column) }} {{ types[loop.index0] }}
                {%- if not loop.last -%}, {% endif -%}
            {%- endfor -%}
        )
        {{ file_format_clause() }}
        {{ partition_cols(label="partitioned by") }}
        {{ clustered_cols(label="clustered by") }}
        {{ location_clause() }}
        {{ comment_clause() }}
    {%- endset -%}
    {%- call statement('_') -%}
        {{ sql }}
    {%- endcall -%}
    {{ return(sql) }}
{%- endmacro %}


{#-
    Seeds on Spark's session method: Spark reads the CSV file itself and casts each column once,
    instead of dbt-spark's `insert ... values (cast(? as ...), ...)` (about 600 rows a second,
    and its session method breaks on an apostrophe such as Côte d'Ivoire). Empty fields are
    nulls, as dbt's CSV reader makes them. A cluster that cannot see this checkout's files sets
    the var spark_seeds_from_files to false: typed literals, 1,000 rows per insert.
-#}
{% macro spark__load_csv_rows(model, agate_table) -%}
    {%- if not var('spark_seeds_from_files', true) -%}
        {{ return(spark_insert_seed_literals(model, agate_table)) }}
    {%- endif -%}
    {%- set types = spark_seed_types(model, agate_table) -%}
    {%- set quote_seed_column = model['config'].get('quote_columns', None) -%}
    {%- set path = model.root_path ~ '/' ~ model.original_file_path -%}
    {%- set view = adapter.quote(model.alias ~ '__dbt_seed_csv') -%}
    {%- set columns = [] -%}
    {%- for col_name in agate_table.column_names -%}
        {%- do columns.append(
            'cast(' ~ adapter.quote(col_name) ~ ' as ' ~ types[loop.index0] ~ ') as '
            ~ adapter.quote_seed_column(col_name | string, quote_seed_column)
        ) -%}
    {%- endfor -%}
    {%- call statement('_') -%}
        create or replace temporary view {{ view }}
        using csv
        options (path '{{ path }}', header 'true', escape '"', multiLine 'true', encoding 'UTF-8')
    {%- endcall -%}
    {%- set sql -%}
        insert into {{ this.render() }}
        select {{ columns | join(', ') }}
        from {{ view }}
    {%- endset -%}
    {%- call statement('_') -%}
        {{ sql }}
    {%- endcall -%}
    {{ return(sql) }}
{%- endmacro %}


{#- A seed value as a Spark literal of its column's type. -#}
{% macro spark_literal(value, data_type) -%}
    {%- set kind = data_type | lower | trim -%}
    {%- if value is none -%}
        {{ return('null') }}
    {%- elif kind == 'string' -%}
        {{ return("'" ~ (value | string).replace('\\', '\\\\').replace("'", "\\'") ~ "'") }}
    {%- elif kind in ('date', 'timestamp', 'timestamp_ntz') -%}
        {{ return(kind ~ " '" ~ value ~ "'") }}
    {%- elif kind == 'boolean' -%}
        {{ return('true' if value else 'false') }}
    {%- else -%}
        {{ return(value | string) }}
    {%- endif -%}
{%- endmacro %}


{% macro spark_insert_seed_literals(model, agate_table) -%}
    {%- set types = spark_seed_types(model, agate_table) -%}
    {%- set statements = [] -%}
    {%- for chunk in agate_table.rows | batch(1000) -%}
        {%- set rows = [] -%}
        {%- for row in chunk -%}
            {%- set values = [] -%}
            {%- for value in row -%}
                {%- do values.append(spark_literal(value, types[loop.index0])) -%}
            {%- endfor -%}
            {%- do rows.append('(' ~ values | join(', ') ~ ')') -%}
        {%- endfor -%}
        {%- set sql = 'insert into ' ~ this.render() ~ ' values ' ~ rows | join(', ') -%}
        {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
        {%- do statements.append(sql) -%}
    {%- endfor -%}
    {{ return(statements[0] if statements else '') }}
{%- endmacro %}
