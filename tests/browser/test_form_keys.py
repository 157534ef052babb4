"""A form of the portal sent twice is one command: each form is drawn with a one-time key (a hidden field),
which the portal passes on as the API's `Idempotency-Key` (issue 17, scenario 3).

In Chromium: the same filled-in create form posted by the page itself, two at once and then once more (as
a double click and a browser's "resubmit" send it): one draft. The detail's
"Gửi hồ sơ" form posted twice: sent once, and the second post answered as the first, not refused.
"""

from collections.abc import Callable
from typing import Any

from tests.browser.portal import Person, api_as, draft, new_email
from tests.support.documents import attach_required

FORM = {"chuyen_mon": "Bác sĩ đa khoa", "pham_vi": "Khám bệnh, chữa bệnh đa khoa"}
# The page posts its own form (the one `selector` finds) as the browser would, `times` at once; answers
# where each post ended up after its redirect, and its status.
POST_FORM_AGAIN = """async ([selector, times]) => {
  const form = document.querySelector(selector);
  const posts = Array.from({length: times}, () => fetch(form.action, {method: "POST", body: new FormData(form)}));
  return (await Promise.all(posts)).map((answer) => [new URL(answer.url).pathname, answer.status]);
}"""


def fill_new_draft(citizen: Person, title: str) -> None:
    page = citizen.page
    page.goto("/ho-so/moi?thu-tuc=SYT-KCB-01")
    page.get_by_label("Tên hồ sơ").fill(title)
    page.get_by_label("Số định danh cá nhân").fill("079185001234")
    page.get_by_label("Số điện thoại").fill("0987654321")
    page.get_by_label("Địa chỉ").fill("8 Nguyễn Huệ, Quận 1, TP. Hồ Chí Minh")
    page.get_by_label("Văn bằng chuyên môn").fill(FORM["chuyen_mon"])


def drafts_titled(api: Any, title: str) -> list[str]:
    listed = api.get("/v1/dossiers", params={"status": "draft", "q": title}).json()["items"]
    return [item["id"] for item in listed if item["title"] == title]


def test_the_create_form_sent_twice_makes_one_draft(person: Callable[..., Person], portal_url: str) -> None:
    email = new_email()
    citizen = person()
    citizen.sign_in("Đặng Thị Bích", email)
    with api_as(portal_url, email) as api:
        # The same filled-in form posted again and again: two at once (a double click), then once more (the
        # browser's "resubmit"). A real double click is not used: Chromium often drops its first post.
        fill_new_draft(citizen, "Giấy phép (gửi lại)")
        answers = citizen.page.evaluate(POST_FORM_AGAIN, ["#bieu-mau-ho-so", 2])
        answers += citizen.page.evaluate(POST_FORM_AGAIN, ["#bieu-mau-ho-so", 1])
        [created] = drafts_titled(api, "Giấy phép (gửi lại)")
        assert answers == [[f"/ho-so/{created}/sua", 200]] * 3, answers

        # A form drawn anew is a new command: the same content makes a second draft.
        fill_new_draft(citizen, "Giấy phép (gửi lại)")
        citizen.press("Lưu nháp")
        citizen.page.wait_for_url("**/sua#thanh-phan-ho-so")
        assert len(drafts_titled(api, "Giấy phép (gửi lại)")) == 2
        citizen.page.goto("/?trang-thai=draft")
        citizen.shot("170-mot-ho-so-moi-lan-gui")


def test_the_send_form_posted_twice_sends_once_and_answers_both(person: Callable[..., Person],
                                                                portal_url: str) -> None:
    email = new_email()
    citizen = person()
    citizen.sign_in("Đặng Thị Bích", email)
    with api_as(portal_url, email) as api:
        dossier_id = draft(api, "SYT-KCB-01", "Giấy phép (gửi hai lần)", FORM)
        attach_required(api, dossier_id, "SYT-KCB-01")
        citizen.page.goto(f"/ho-so/{dossier_id}")
        answers = citizen.page.evaluate(POST_FORM_AGAIN, [f"form[action='/ho-so/{dossier_id}/gui']", 2])
        # Both end on the detail (no refusal drawn there: a 409 would show "Không thể chuyển hồ sơ ...").
        assert answers == [[f"/ho-so/{dossier_id}", 200]] * 2, answers
        shown = api.get(f"/v1/dossiers/{dossier_id}").json()
        assert [entry["to"] for entry in shown["history"]] == ["draft", "submitted"]
        citizen.page.goto(f"/ho-so/{dossier_id}")
        assert citizen.status() == "Đã gửi"
        citizen.shot("171-gui-hai-lan-mot-lan-gui")
