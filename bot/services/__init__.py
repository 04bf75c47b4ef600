"""Use cases over the database, one module per thing the member cares about."""
