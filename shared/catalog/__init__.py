"""The procedure catalog's data (procedures.json), its blank templates and the generator that writes them."""
