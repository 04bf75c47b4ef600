"""Benchmarks with seeded data; run as modules, e.g. ``python -m bench.leaderboard``."""
