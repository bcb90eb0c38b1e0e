"""Summarizers: extractive methods registered by name, plus trained and abstractive ones."""
