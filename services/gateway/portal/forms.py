"""The dossier form (biểu mẫu hồ sơ): one per procedure, its fields from the procedure catalog.

Holds what the person typed, as typed, so that a refused form comes back filled in; `body()` is what the
API takes. A draft may be saved incomplete: the API takes only what is filled in, and checks that all that is
required is there when the dossier is sent.
"""

from dataclasses import dataclass, field
from typing import Any

from services.gateway.adapters.tokens import Principal
from services.gateway.portal.labels import APPLICANT_FIELDS


@dataclass
class DossierForm:
    procedure: dict[str, Any]
    title: str = ""
    applicant: dict[str, str] = field(default_factory=dict)
    values: dict[str, str] = field(default_factory=dict)  # the procedure's fields by name, as typed

    @classmethod
    def blank(cls, procedure: dict[str, Any], principal: Principal | None) -> "DossierForm":
        """A new dossier, with the account's name and email filled in."""
        applicant = {"full_name": principal.name if principal else "",
                     "email": (principal.email or "") if principal else ""}
        return cls(procedure, applicant=applicant)

    @classmethod
    def of_dossier(cls, procedure: dict[str, Any], dossier: dict[str, Any]) -> "DossierForm":
        values = {name: "" if value is None else str(value) for name, value in dossier["form"].items()}
        applicant = {name: str(dossier["applicant"].get(name) or "") for name in APPLICANT_FIELDS}
        return cls(procedure, title=dossier["title"] or "", applicant=applicant, values=values)

    @classmethod
    def posted(cls, procedure: dict[str, Any], form: Any) -> "DossierForm":
        def text(name: str) -> str:
            value = form.get(name)
            return value.strip() if isinstance(value, str) else ""

        return cls(procedure, title=text("title"),
                   applicant={name: text(f"applicant.{name}") for name in APPLICANT_FIELDS},
                   values={spec["name"]: text(f"form.{spec['name']}") for spec in procedure["form_fields"]})

    def body(self) -> dict[str, Any]:
        """The API's content: what is filled in of the title, the applicant and the form (with their types).

        A field left empty is left out (the title is null), so that a draft is saved as far as it goes."""
        types = {spec["name"]: spec["type"] for spec in self.procedure["form_fields"]}
        body: dict[str, Any] = {"title": self.title or None,
                                "applicant": {name: value for name, value in self.applicant.items() if value}}
        if types:  # a procedure gone from the catalog keeps the form it had
            body["form"] = {name: _typed(value, types[name]) for name, value in self.values.items()
                            if value and name in types}
        return body


def _typed(value: str, kind: str) -> Any:
    if kind == "number":
        # Left as typed when it is not a number: the API names the field and says so.
        for parse in (int, float):
            try:
                return parse(value.replace(",", "."))
            except ValueError:
                continue
    return value
