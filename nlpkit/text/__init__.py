"""Text steps: cleaning (pure str -> str) and segmentation (sentences with offsets)."""
