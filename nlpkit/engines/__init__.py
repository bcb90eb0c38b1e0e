"""Engines that run a scoring job: `local` (worker processes) and `ray` (Ray Data)."""
