"""The kit every holder of dossier state uses (intake, processing, payment): one write path, written once.

- `errors`: the write conflict (`VersionConflict`) and the refusal when it never resolves (`DossierBusy`);
- `write`: load → decide → store with the outbox, again on a conflict, a command applied once;
- `hand_over`: the shape of every reaction that takes a dossier over from another holder;
- `staff_commands`: reading a staff command, answering it, remembering a refusal, and its bus consumer.
"""
