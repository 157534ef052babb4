"""The citizen's satisfaction rating (đánh giá mức độ hài lòng): once, after the result is returned. Pure.

A retry of the same rating (the same level and comment) changes nothing and is no refusal: a citizen whose
first answer was lost on the way must not be told they rated already. A different rating is refused.
"""

from dataclasses import dataclass, replace
from datetime import datetime

from services.processing.domain.dossier import Dossier, Rating
from services.processing.errors import AlreadyRated, RatingCommentRequired
from shared.errors import RatingNotOpen
from shared.holder.write import Change
from shared.lifecycle import DossierRated, RatingLevel
from shared.statuses import Status


@dataclass(frozen=True)
class RatingAsked:
    """What the citizen sent: the level and, perhaps, a comment (ý kiến)."""

    level: RatingLevel
    comment: str | None = None

    @property
    def cleaned_comment(self) -> str | None:
        return (self.comment or "").strip() or None


def rate(dossier: Dossier, asked: RatingAsked, now: datetime) -> Change[Dossier] | None:
    """Record the rating; None when this very rating is recorded already (a retry)."""
    comment = asked.cleaned_comment
    if asked.level == "dissatisfied" and comment is None:
        raise RatingCommentRequired()
    if dossier.status is not Status.RESULT_RETURNED:
        raise RatingNotOpen(status=dossier.status)
    if dossier.rating is not None:
        if (dossier.rating.level, dossier.rating.comment) == (asked.level, comment):
            return None
        raise AlreadyRated()
    rating = Rating(level=asked.level, comment=comment, rated_at=now)
    rated = replace(dossier, rating=rating, version=dossier.version + 1, updated_at=now)
    return Change(rated, [DossierRated(level=rating.level, comment=rating.comment, rated_at=now)])
