"""The one-stop slips (phiếu, giấy tờ một cửa) as the other services see them: their kinds, and the event
that says one was issued.

The Reception and Result Return Unit issues a slip at each step (Decree 61/2018/NĐ-CP, the forms of
Circular 01/2018/TT-VPCP): services/slips renders and signs it, keeps the signed PDF in its blob store and
announces it with `slip.issued`. The event never carries the bytes; whoever needs them asks the slips
service for that slip. Like notify's reports, it is not a change of the dossier and carries no version.
"""

from datetime import datetime
from typing import Literal

from pydantic import Field

from shared.messages import Payload

SlipKind = Literal["receipt", "supplement", "refusal", "apology", "fee-receipt"]
SLIP_KIND_PATTERN = r"^(receipt|supplement|refusal|apology|fee-receipt)$"

# Each kind's name on the slip, in the detail and on the portal.
SLIP_TITLES: dict[str, str] = {
    "receipt": "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
    "supplement": "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
    "refusal": "Phiếu từ chối tiếp nhận, giải quyết hồ sơ",
    "apology": "Phiếu xin lỗi và hẹn lại ngày trả kết quả",
    "fee-receipt": "Biên lai thu phí, lệ phí",
}


class SlipIssued(Payload):
    """A slip was issued for a dossier (đã cấp phiếu): signed and stored once, the same bytes ever after.

    A reissue is another slip with its own id; the earlier one stays available."""

    message_type: str = Field(default="slip.issued", exclude=True)
    slip_id: str
    kind: SlipKind
    title: str
    number: str = Field(description="Số phiếu, as printed on the slip")
    issued_at: datetime
    for_event_id: str = Field(description="The event of the step the slip records (its cause)")
