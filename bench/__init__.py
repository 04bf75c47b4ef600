"""Benchmarks with seeded data: ``python -m bench --size small|full`` runs them all;
each stage also runs alone (``python -m bench.commands``, ``bench.leaderboard``,
``bench.sweep``, ``bench.live``). Figures and the machine: ``bench/RESULTS.md``."""
