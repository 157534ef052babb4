"""Processing's outside world: its collections (dossiers, lookup-code counters, and the result documents an
earlier release kept in the store, moved to the blob store at start) and the working-day calendar read from
the `holidays` library and the government's adjustments file."""
