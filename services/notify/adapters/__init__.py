"""Notify's adapters: its collections (the recipient book, the delivery log) and the mail transports."""
