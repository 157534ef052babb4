"""Payment's domain: the payment request it holds for a dossier, the payments made on it, and the pure
decisions that change it (no I/O, no `async`)."""
