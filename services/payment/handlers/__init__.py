"""Payment's use cases: the citizen pays, a provider reports, staff confirm, the sandbox's buttons; each
given `Payments`."""
