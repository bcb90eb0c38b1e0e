"""Readers (anything -> articles) and writers (records -> JSONL/CSV/Parquet)."""
