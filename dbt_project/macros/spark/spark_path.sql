{#-
    A location under the Spark dir ($TRADEPULSE_SPARK_DIR: metastore, warehouse dir, raw Parquet,
    exports): {{ spark_path('raw/orders') }} -> /work/data/spark/raw/orders. A location that is
    already absolute or a URI (s3a://..., abfss://...) is returned as it is.
-#}
{% macro spark_path(location) -%}
    {%- if location.startswith('/') or '://' in location -%}
        {{ return(location) }}
    {%- endif -%}
    {%- set root = env_var('TRADEPULSE_SPARK_DIR', '../data/spark') | trim -%}
    {{ return(root.rstrip('/') ~ '/' ~ location) }}
{%- endmacro %}
