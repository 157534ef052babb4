"""Processing's use cases: one `async` function per staff action or citizen request, given `Processing`."""
