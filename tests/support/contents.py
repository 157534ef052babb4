"""A stand-in for intake's content API (`shared.dossier_content.ContentSource`), for the tests that run query
or slips without intake: it answers what the test told it of each dossier, and for the rest the content
`every` dossier has, or None (intake has no such dossier: an event is applied with the outline it carries)."""

from shared.dossier_content import DossierContentAnswer
from shared.messages import DraftContent


class KnownContents:
    def __init__(self, every: DraftContent | None = None) -> None:
        self.every = every
        self.answers: dict[str, DossierContentAnswer] = {}
        self.asked: list[str] = []

    def hold(self, dossier_id: str, content: DraftContent, version: int = 1) -> None:
        """What intake would answer of `dossier_id` from now on."""
        self.answers[dossier_id] = DossierContentAnswer(dossier_id=dossier_id, version=version, content=content)

    async def content(self, dossier_id: str) -> DossierContentAnswer | None:
        self.asked.append(dossier_id)
        if dossier_id in self.answers or self.every is None:
            return self.answers.get(dossier_id)
        return DossierContentAnswer(dossier_id=dossier_id, version=1, content=self.every)
