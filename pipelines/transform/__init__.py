"""Transformation: the dbt project, loaded into Dagster as assets."""
