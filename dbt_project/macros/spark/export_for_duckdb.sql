{#-
    on-run-end on Spark: write each model this run built as Parquet under
    $TRADEPULSE_SPARK_DIR/export/<schema>/<model>/, columns in the model's own order (Spark moves
    partition columns last in the table itself). The pipeline then copies these into the DuckDB
    warehouse (pipelines/spark/copy_back.py), where the quality checks and the publish step read
    them as they read a DuckDB build. Every table is exported, and of the views only staging's,
    which the quality checks read; int_order_lines_enriched is not needed outside dbt.
-#}
{% macro export_for_duckdb(results) -%}
    {%- if execute and target.type in ('spark', 'databricks') -%}
        {%- for result in results
            if result.status == 'success' and result.node.resource_type == 'model' -%}
            {%- set node = result.node -%}
            {%- if node.config.materialized != 'view' or node.schema == 'staging' -%}
                {%- set relation = api.Relation.create(
                    schema=node.schema, identifier=node.alias, type='table'
                ) -%}
                {%- set described = run_query('describe query ' ~ node.compiled_code) -%}
                {%- set columns = [] -%}
                {%- for row in described.rows -%}
                    {%- do columns.append(adapter.quote(row[0])) -%}
                {%- endfor -%}
                {%- set location = spark_path('export/' ~ node.schema ~ '/' ~ node.alias) -%}
                {%- do log('exporting ' ~ relation ~ ' to ' ~ location, info=true) -%}
                {%- do run_query(
                    "insert overwrite directory '" ~ location ~ "' using parquet "
                    ~ 'select ' ~ columns | join(', ') ~ ' from ' ~ relation
                ) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
{%- endmacro %}
