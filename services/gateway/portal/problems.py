"""What went wrong, for the person at the page: the API's refusal in plain Vietnamese, field by field.

The API already answers Vietnamese messages; this adds the page's own names for the fields it points at
and says refused transitions in terms of the dossier's status rather than its codes.
"""

from dataclasses import dataclass, field

from services.gateway.portal.adapters.public_api import ApiError
from services.gateway.portal.labels import DOCUMENT_FIELD, FIELD_NAMES
from shared.field_messages import label_of


@dataclass(frozen=True)
class Problem:
    """A message for the top of the page and, per field (by the API's name for it), what is wrong there."""

    message: str
    fields: dict[str, str] = field(default_factory=dict)
    field_labels: dict[str, str] = field(default_factory=dict)

    def listed(self) -> list[tuple[str, str, str]]:
        """Each field's (name, label, message), in the order the API gave them."""
        return [(name, self.label_of(name), message) for name, message in self.fields.items()]

    def summary(self) -> list[tuple[str, str]]:
        """Each field's (name, line of the error summary): the message led by the field's label on this page.

        The API's messages already name their field ("Số điện thoại: …"); the label is not said twice, and a
        page that labels the field its own way ("Lý do từ chối") says it that way."""
        lines = []
        for name, message in self.fields.items():
            label = self.label_of(name)
            for named in (label, label_of(name)):
                if message.startswith(f"{named}:"):
                    message = message.removeprefix(f"{named}:").lstrip()
                    break
            lines.append((name, f"{label}: {message}"))
        return lines

    def renamed(self, names: dict[str, str]) -> "Problem":
        """The same problem with the API's fields under the page's names for them (`names`: API's to page's),
        each message without the API's label, which the page says its own way."""
        fields: dict[str, str] = {}
        for name, message in self.fields.items():
            if name in names:
                message = message.removeprefix(f"{label_of(name)}:").lstrip()
                message = f"{self.label_of(names[name])}: {message}"
            fields.setdefault(names.get(name, name), message)
        return Problem(self.message, fields, self.field_labels)

    def label_of(self, name: str) -> str:
        document = DOCUMENT_FIELD if name.startswith("documents.") else None
        return self.field_labels.get(name) or FIELD_NAMES.get(name) or document or name


def explain(error: ApiError, *, status_label: str | None = None, form_labels: dict[str, str] | None = None,
            field_labels: dict[str, str] | None = None) -> Problem:
    """The refusal as a `Problem`; `form_labels` names the procedure's own fields (`form.<name>`),
    `field_labels` any other field the way this page labels it."""
    labels = {f"form.{name}": label for name, label in (form_labels or {}).items()} | (field_labels or {})
    if error.code == "transition_not_allowed":
        where = f" (hồ sơ đang ở trạng thái “{status_label}”)" if status_label else ""
        return Problem(f"Thao tác này không còn thực hiện được{where}. Vui lòng xem lại thông tin hồ sơ.")
    if error.code == "document_file_not_found":
        return Problem(error.message)  # the dossier is there; the message names the document
    if error.status == 404:
        return Problem("Không tìm thấy hồ sơ, hoặc hồ sơ không thuộc tài khoản của bạn.")
    if error.fields and all(name.startswith("documents.") for name in error.fields):
        return Problem("Hồ sơ chưa đủ thành phần: vui lòng đính kèm các thành phần hồ sơ được đánh dấu dưới đây.",
                       dict(error.fields), labels)
    if error.fields:
        return Problem("Vui lòng kiểm tra lại các thông tin được đánh dấu dưới đây.", dict(error.fields), labels)
    return Problem(error.message)


def problem(message: str, **fields: str) -> Problem:
    """A problem the portal finds itself, before asking the API."""
    return Problem(message, fields)
