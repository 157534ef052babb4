"""Rebuilding the read model (dựng lại): fold each dossier's stored events, in version order. Pure."""

from collections.abc import Iterable, Iterator

from services.query.domain.ordering import Decision, decide
from services.query.domain.projection import Document, ProcedureNames, UnreadableEvent, project
from shared.messages import Envelope


def replay(events: Iterable[Envelope], procedure_name: ProcedureNames) -> Iterator[Document]:
    """One document per dossier from events sorted by (dossier id, version).

    A repeated version is skipped; a missing or unreadable one stops that dossier where its history
    is complete, as live consumption would.
    """
    current: Document | None = None
    for event in events:
        if current is not None and current["_id"] != event.dossier_id:
            yield current
            current = None
        stored = current["version"] if current else None
        if event.version is None or decide(stored, event.version) is not Decision.APPLY:
            continue
        try:
            current = project(current, event, procedure_name)
        except UnreadableEvent:
            # Live consumption dead-lettered it too: the dossier stays at the version before it.
            continue
    if current is not None:
        yield current
