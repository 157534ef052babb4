"""The satisfaction rating (đánh giá mức độ hài lòng), over every status: once, after the result is returned."""

import pytest

from services.processing.domain.dossier import Dossier
from services.processing.domain.rating import RatingAsked, rate
from services.processing.errors import AlreadyRated, RatingCommentRequired
from services.processing.tests.dossiers import NOW, dossier
from shared.errors import RatingNotOpen
from shared.holder.write import Change
from shared.lifecycle import DossierRated
from shared.statuses import Status

BEFORE_RETURN = [status for status in Status if status is not Status.RESULT_RETURNED]


def rated(dossier: Dossier, asked: RatingAsked) -> Change[Dossier]:
    """A rating that changes the dossier (not a retry)."""
    change = rate(dossier, asked, NOW)
    assert change is not None
    return change


def test_a_returned_result_may_be_rated_and_the_rating_is_published_with_the_next_version() -> None:
    before = dossier(Status.RESULT_RETURNED, delivery="at_office")
    after, [payload] = rated(before, RatingAsked("satisfied", "  Cán bộ hướng dẫn tận tình  "))
    assert (after.status, after.version) == (Status.RESULT_RETURNED, before.version + 1)
    assert after.rating is not None
    assert (after.rating.level, after.rating.comment, after.rating.rated_at) == (
        "satisfied", "Cán bộ hướng dẫn tận tình", NOW)
    assert payload == DossierRated(level="satisfied", comment="Cán bộ hướng dẫn tận tình", rated_at=NOW)


def test_a_blank_comment_is_no_comment() -> None:
    after, [payload] = rated(dossier(Status.RESULT_RETURNED), RatingAsked("very_satisfied", "   "))
    assert after.rating is not None and after.rating.comment is None
    assert isinstance(payload, DossierRated) and payload.comment is None


@pytest.mark.parametrize("status", BEFORE_RETURN)
def test_before_the_result_is_returned_the_rating_is_refused(status: Status) -> None:
    with pytest.raises(RatingNotOpen) as refused:
        rate(dossier(status), RatingAsked("satisfied"), NOW)
    assert refused.value.http_status == 409
    assert "sau khi hồ sơ đã được trả kết quả" in refused.value.message


@pytest.mark.parametrize("comment", [None, "", "  \n "])
def test_dissatisfied_needs_a_comment(comment: str | None) -> None:
    with pytest.raises(RatingCommentRequired) as refused:
        rate(dossier(Status.RESULT_RETURNED), RatingAsked("dissatisfied", comment), NOW)
    assert refused.value.http_status == 422
    assert refused.value.details["fields"]["comment"].startswith("Ý kiến: bắt buộc")


def test_a_second_different_rating_is_refused() -> None:
    once, _ = rated(dossier(Status.RESULT_RETURNED), RatingAsked("satisfied"))
    for asked in (RatingAsked("very_satisfied"), RatingAsked("satisfied", "Thêm ý kiến"),
                  RatingAsked("dissatisfied", "Chậm")):
        with pytest.raises(AlreadyRated) as refused:
            rate(once, asked, NOW)
        assert refused.value.http_status == 409


def test_the_same_rating_again_changes_nothing() -> None:
    once, _ = rated(dossier(Status.RESULT_RETURNED), RatingAsked("dissatisfied", "Phải đi lại nhiều lần"))
    assert rate(once, RatingAsked("dissatisfied", " Phải đi lại nhiều lần "), NOW) is None

