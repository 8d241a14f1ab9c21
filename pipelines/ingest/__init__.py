"""Ingestion: raw files under TRADEPULSE_RAW_DIR become raw tables in the warehouse."""
