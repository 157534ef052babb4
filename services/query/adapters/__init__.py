"""The read model's adapters: its collections on the store, and the in-process signal of applied events."""
