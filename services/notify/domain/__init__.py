"""Notify's domain (pure, no I/O): which changes are told, the delivery and its retries, the message."""
