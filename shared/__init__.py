"""The kernel every hoso service imports: statuses, contracts, messaging, store access, logging, settings."""
