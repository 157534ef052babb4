"""The read model's domain (pure, no I/O): the document, how events fold into it, and how readers see it."""
