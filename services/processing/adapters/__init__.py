"""Processing's outside world: its collections (dossiers, result documents, lookup-code counters) and the
working-day calendar read from the `holidays` library and the government's adjustments file."""
