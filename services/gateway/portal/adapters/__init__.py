"""The portal's outside world: the public `/v1` API it is built on, and the catalogs it reads from it."""
