"""`make bench`: how fast the pipeline and the API are (see bench/README.md)."""
