"""Synthetic read-model documents for the read benchmark, built by the query service's own projection.

Each dossier is a short, real event history (draft created, submitted, received, processing started, cut
at a stage that depends on its number) folded by `services.query.domain.projection.project`, exactly as the
query service folds the events it consumes. Only how the events arrive is skipped: the documents are
written to the store before the query service starts (see `bench.seeding`).

Everything is a pure function of the dossier's number, so a reader knows which ids an owner holds.
"""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

from services.query.bootstrap import procedure_names
from services.query.domain.intake_events import with_intake_content
from services.query.domain.projection import Document, project
from services.query.reactions import CONTENT_EVENTS
from shared.lifecycle import DossierReceived, ProcessingStarted
from shared.messages import Actor, Applicant, DossierContent, DossierSubmitted, DraftCreated, Envelope, Payload
from shared.procedures import load_catalog
from shared.producers import PRODUCERS

# Each owner (a citizen) holds this many dossiers: a status tab lists a handful, as on the real portal.
PER_OWNER = 20
SEARCH_WORDS = "giay phep"  # folded like a citizen types it; matches about a third of the titles
TITLES = ("Giấy phép hành nghề khám bệnh cho {name}", "Chứng chỉ hành nghề dược của {name}",
           "Công bố sản phẩm mỹ phẩm, người nộp {name}", "Đăng ký cơ sở an toàn thực phẩm của {name}",
           "Xin cấp lại giấy phép hoạt động phòng khám của {name}", "Xác nhận quảng cáo thuốc cho {name}")
_FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ")
_GIVEN = ("Thị Bích", "Văn Đức", "Minh Anh", "Quốc Huy", "Thu Hà", "Đình Khoa", "Ngọc Lan", "Hữu Phước")
_START = datetime(2025, 1, 6, 1, 30, tzinfo=UTC)
_CLERK = Actor(kind="staff", id="clerk-bench")


def owner_of(number: int) -> str:
    return f"bench-citizen-{number // PER_OWNER:06d}"


def dossier_id(number: int) -> str:
    return f"bench-{number:08d}"


def owners(count: int) -> list[str]:
    """The owners of the first `count` dossiers."""
    return [owner_of(number) for number in range(0, count, PER_OWNER)]


def dossiers_of(owner_number: int) -> list[str]:
    return [dossier_id(owner_number * PER_OWNER + offset) for offset in range(PER_OWNER)]


def documents(start: int, stop: int) -> Iterator[Document]:
    """The read-model documents of dossiers number `start` to `stop` (excluded)."""
    names = procedure_names(load_catalog())
    codes = [procedure.code for procedure in load_catalog().procedures]
    for number in range(start, stop):
        document: Document | None = None
        for event in _history(number, codes):
            document = project(document, event, names)
        assert document is not None
        yield document


def _history(number: int, codes: list[str]) -> list[Envelope]:
    owner = owner_of(number)
    name = f"{_FAMILY[number % len(_FAMILY)]} {_GIVEN[number // 7 % len(_GIVEN)]}"
    applicant = Applicant(full_name=name, id_number=f"{79_185_000_000 + number:012d}", phone="0987654321",
                          email=f"{owner}@example.vn", address="8 Nguyễn Huệ, Quận 1, TP. Hồ Chí Minh")
    content = DossierContent(procedure_code=codes[number % len(codes)],
                             title=TITLES[number % len(TITLES)].format(name=name), applicant=applicant,
                             form={"chuyen_mon": "Bác sĩ nội khoa", "pham_vi": "Khám bệnh nội khoa"})
    created = _START + timedelta(minutes=number)
    citizen = Actor(kind="citizen", id=owner)
    received = created + timedelta(days=1)
    steps: list[tuple[Payload, Actor, datetime]] = [
        (DraftCreated(owner_id=owner, content=content), citizen, created),
        (DossierSubmitted(owner_id=owner, content=content, from_status="draft"), citizen,
         created + timedelta(hours=1)),
        (DossierReceived(lookup_code=f"000.00.17.H00-{received:%y%m%d}-{number % 10_000:04d}",
                         received_at=received, due_date=(received + timedelta(days=28)).date(),
                         processing_days=20, owner_id=owner), _CLERK, received),
        (ProcessingStarted(from_status="received"), _CLERK, received + timedelta(days=2)),
    ]
    # Stages 1 to 4: a quarter each of drafts, submitted, received and in processing.
    stages = steps[: number % len(steps) + 1]
    events = [Envelope(type=payload.message_type, producer=PRODUCERS[payload.message_type],
                       dossier_id=dossier_id(number), version=version, actor=actor, occurred_at=at,
                       data=payload.model_dump(mode="json"))
              for version, (payload, actor, at) in enumerate(stages, start=1)]
    # Intake's events carry the outline only: the applicant beside it, as query keeps them once intake answered.
    return [with_intake_content(event, content) if event.type in CONTENT_EVENTS else event for event in events]
