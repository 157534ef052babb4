"""A draft saved incomplete (no title, part of the applicant) is listed, searched and shown like any other."""

from datetime import date, timedelta, timezone

from services.query.domain.views import detail, list_item
from services.query.tests.factory import OWNER, catalog_documents, content, event, fold, submitted
from shared.messages import DraftContent, DraftCreated, DraftUpdated
from shared.read_model import DossierDetail, DossierListItem

VIETNAM = timezone(timedelta(hours=7))
TODAY = date(2025, 3, 10)
ALMOST_EMPTY = DraftContent(procedure_code="SYT-KCB-01", applicant={"phone": "0901234567"})


def names(_code: str) -> str:
    return "Cấp mới giấy phép hành nghề"


def test_a_draft_without_title_or_name_is_listed_and_shown_with_them_null() -> None:
    document = fold([event(DraftCreated(owner_id=OWNER, content=ALMOST_EMPTY), 1, intake_holds=ALMOST_EMPTY)], names)
    item = DossierListItem.model_validate(list_item(document, TODAY, VIETNAM))
    assert (item.title, item.applicant_name, item.procedure_name) == (None, None, "Cấp mới giấy phép hành nghề")
    shown = DossierDetail.model_validate(detail(document, TODAY, VIETNAM, catalog_documents))
    assert (shown.applicant.phone, shown.applicant.full_name, shown.applicant.email) == ("0901234567", None, None)
    assert "cap moi giay phep" in document["search_text"]


def test_completing_and_sending_it_fills_the_list_item_in() -> None:
    halfway = DraftContent(procedure_code="SYT-KCB-01", title="Tạm")
    document = fold([event(DraftCreated(owner_id=OWNER, content=ALMOST_EMPTY), 1, intake_holds=ALMOST_EMPTY),
                     event(DraftUpdated(content=halfway), 2, intake_holds=halfway),
                     event(submitted(), 3)], names)
    item = DossierListItem.model_validate(list_item(document, TODAY, VIETNAM))
    assert (item.title, item.applicant_name) == (content().title, content().applicant.full_name)
    assert "nguyen thi dao" in document["search_text"]
