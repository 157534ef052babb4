"""The gateway's own word on a download's headers, whatever the service behind it sent."""

from services.gateway.api.documents import download_headers


def test_a_type_never_judged_is_sent_as_bytes_to_save() -> None:
    headers = download_headers({"content-type": "text/html; charset=utf-8", "content-length": "12"})
    assert headers == {"content-type": "application/octet-stream", "content-length": "12",
                       "content-disposition": "attachment", "x-content-type-options": "nosniff",
                       "cache-control": "private, no-store"}


def test_a_judged_type_and_its_attachment_name_are_kept_and_caching_is_refused() -> None:
    headers = download_headers({"content-type": "application/pdf", "cache-control": "public, max-age=600",
                                "content-disposition": 'attachment; filename="a.pdf"', "x-dossier-version": "7"},
                               "x-dossier-version")
    assert headers == {"content-type": "application/pdf", "content-disposition": 'attachment; filename="a.pdf"',
                       "x-dossier-version": "7", "x-content-type-options": "nosniff",
                       "cache-control": "private, no-store"}


def test_an_inline_disposition_becomes_an_attachment() -> None:
    assert download_headers({"content-disposition": "inline"})["content-disposition"] == "attachment"
