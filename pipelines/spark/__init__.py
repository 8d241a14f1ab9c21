"""The dbt project on Apache Spark: raw tables out as Parquet, dbt on Spark, models back."""
