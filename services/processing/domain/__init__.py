"""Processing's domain: the dossier it holds and the pure decisions that change it (no I/O, no `async`)."""
