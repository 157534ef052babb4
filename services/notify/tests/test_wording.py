"""The mails send the citizen to the portal by the words its screens use: a menu the portal does not have
is a dead end for someone following the mail."""

import re
from pathlib import Path

MAILS = Path(__file__).parents[1] / "templates"
PORTAL_MENU = Path(__file__).parents[2] / "gateway" / "portal" / "templates" / "base.html"


def test_every_menu_a_mail_names_is_one_the_portal_shows() -> None:
    menu = set(re.findall(r'<li><a href="[^"]+"[^>]*>([^<]+)</a></li>', PORTAL_MENU.read_text(encoding="utf-8")))
    assert "Quản lý hồ sơ" in menu
    named = {(mail.name, found) for mail in MAILS.iterdir()
             for found in re.findall(r'mục ["“]([^"”]+)["”]', mail.read_text(encoding="utf-8"))}
    assert named, "the mails name the portal's menu"
    assert {(mail, found) for mail, found in named if found not in menu} == set()
