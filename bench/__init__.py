"""Benchmarks with seeded data; run as modules: ``python -m bench.sweep``,
``python -m bench.leaderboard``."""
