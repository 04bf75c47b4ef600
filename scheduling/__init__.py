"""Waking the system up: the delivery outbox and the APScheduler wiring around it."""
