"""The slips service's adapters: its collections (the dossier book, the slip register) and the signer."""
