{#-
    on-run-start on Spark: declare every source with an `external` property as an external table
    over its files (dbt-spark has no external sources of its own), e.g. raw.orders over the
    Parquet files the pipeline exported to $TRADEPULSE_SPARK_DIR/raw/orders. The table is
    dropped and declared again each run, so it always has the files' current columns; dropping
    an external table leaves its files alone. Partitioned sources get their partitions
    recovered. Other adapters read the tables the ingestion wrote: nothing to do.
-#}
{% macro register_external_sources() -%}
    {%- if execute and target.type in ('spark', 'databricks') -%}
        {%- for node in graph.sources.values() if node.external and node.external.location -%}
            {%- set relation = api.Relation.create(
                schema=node.schema, identifier=node.identifier, type='table'
            ) -%}
            {%- set location = spark_path(node.external.location) -%}
            {%- do log('external source ' ~ relation ~ ' over ' ~ location, info=true) -%}
            {%- do run_query('create schema if not exists ' ~ relation.schema) -%}
            {%- do run_query('drop table if exists ' ~ relation) -%}
            {%- do run_query(
                'create table ' ~ relation
                ~ ' using ' ~ (node.external.file_format or 'parquet')
                ~ " location '" ~ location ~ "'"
            ) -%}
            {%- if node.external.partitions -%}
                {%- do run_query('alter table ' ~ relation ~ ' recover partitions') -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
{%- endmacro %}
