"""The kit every holder of dossier state uses (intake, processing, payment): one write path, written once.

- `errors`: the write conflict (`VersionConflict`) and the refusal when it never resolves (`DossierBusy`);
- `write`: load → decide → store with the outbox, again on a conflict, a command applied once;
- `documents`: how a MongoDB repository stores such a change, in one conditional write;
- `hand_over`: the shape of every reaction that takes a dossier over from another holder;
- `staff_commands`: reading a staff command, answering it, and remembering a refusal;
- `command_consumer`: the bus door of a holder's staff actions, bound as `shared/staff_actions.py` says.
"""
