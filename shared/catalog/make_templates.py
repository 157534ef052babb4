"""Writes the blank application forms (đơn đề nghị, tờ khai) a citizen downloads, fills in and prints.

Each form is a Word document (.docx) built from WordprocessingML with the standard library alone, so the
catalog needs no office suite to be rebuilt. The layout follows the decree forms each procedure names (the
national header, the title, "Kính gửi", the fields on dotted lines, the request, the commitment and the
signature block), in this catalog's own wording. The list of attached documents is read from
procedures.json, so a form always lists what the catalog asks for.

    python -m shared.catalog.make_templates    # rewrites shared/catalog/templates/*.docx
"""

import json
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from xml.sax.saxutils import escape

CATALOG_DIR = Path(__file__).parent
CATALOG_FILE = CATALOG_DIR / "procedures.json"
TEMPLATES_DIR = CATALOG_DIR / "templates"

# A4 with the margins of Nghị định 30/2020/NĐ-CP on administrative documents (in twentieths of a point).
PAGE_WIDTH, PAGE_HEIGHT = 11906, 16838
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 1701, 1134, 1134, 1134
TEXT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT
# Times New Roman 13 pt, the size of body text in Vietnamese administrative documents (half-points).
BODY_SIZE = 26
TITLE_SIZE = 28
SMALL_SIZE = 22
SIGNATURE_INDENT = TEXT_WIDTH * 2 // 5
# The average width of a character of 13 pt Times New Roman, for placing tab stops after labels.
CHAR_WIDTH = 118
DOTS = "…………………………"
SHORT_DOTS = DOTS[:8]  # what fits under the facility's name in the narrow left column of its header
BOX = "□"  # a glyph Times New Roman has, unlike the ballot box, so it prints the same everywhere

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
# Fixed, so that rebuilding a template with unchanged content writes the same archive entries.
ZIP_DATE = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class Fields:
    """One line of labels, each followed by a dotted line to fill in; the line is shared evenly."""

    labels: tuple[str, ...]


@dataclass(frozen=True)
class Choices:
    """A label and the options to tick; stacked one per line when `stacked`."""

    label: str
    options: tuple[str, ...]
    stacked: bool = False


@dataclass(frozen=True)
class Blank:
    """Empty dotted lines for free text, after an optional hint in italics."""

    lines: int = 1
    hint: str | None = None


Line = Fields | Choices | Blank


@dataclass(frozen=True)
class Section:
    heading: str
    lines: tuple[Line, ...]


@dataclass(frozen=True)
class Form:
    """The content of one application form; the procedure's catalog entry says its file name."""

    procedure: str
    model: str
    title: str
    subtitle: str
    applicant: Literal["person", "facility"]
    sections: tuple[Section, ...]
    request: str
    commitment: str
    photo: bool = False


def fields(*labels: str) -> Fields:
    return Fields(labels)


PERSON = Section("I. THÔNG TIN NGƯỜI ĐỀ NGHỊ", (
    fields("Họ và tên", "Giới tính"),
    fields("Ngày, tháng, năm sinh", "Quốc tịch"),
    fields("Số định danh cá nhân", "Ngày cấp"),
    fields("Nơi cấp"),
    fields("Nơi cư trú"),
    Blank(),
    fields("Điện thoại", "Thư điện tử"),
))


def facility(heading: str, name_label: str = "Tên cơ sở") -> Section:
    return Section(heading, (
        fields(name_label),
        fields("Địa chỉ"),
        Blank(),
        fields("Điện thoại", "Thư điện tử"),
        fields("Mã số doanh nghiệp (hộ kinh doanh)", "Ngày cấp"),
        fields("Người đại diện theo pháp luật", "Chức vụ"),
    ))


PERSON_COMMITMENT = (
    "Tôi xin cam đoan những nội dung kê khai trong đơn và hồ sơ kèm theo là đúng sự thật, chấp hành đúng "
    "các quy định của pháp luật và chịu trách nhiệm trước pháp luật về các nội dung đã kê khai."
)

FORMS = (
    Form(
        procedure="SYT-KCB-01", model="Mẫu 08 Phụ lục I Nghị định 96/2023/NĐ-CP",
        title="ĐƠN ĐỀ NGHỊ", subtitle="Cấp mới giấy phép hành nghề khám bệnh, chữa bệnh",
        applicant="person", photo=True,
        sections=(PERSON, Section("II. NỘI DUNG ĐỀ NGHỊ", (
            fields("Văn bằng chuyên môn"),
            fields("Cơ sở đào tạo", "Năm tốt nghiệp"),
            Choices("Chức danh đề nghị cấp", (
                "Bác sỹ", "Y sỹ", "Điều dưỡng", "Hộ sinh", "Kỹ thuật y", "Dinh dưỡng lâm sàng",
                "Cấp cứu viên ngoại viện", "Tâm lý lâm sàng")),
            fields("Phạm vi hành nghề đề nghị cấp"),
            Blank(),
            fields("Cơ sở đã thực hành"),
            fields("Thời gian thực hành: từ ngày", "đến ngày"),
        ))),
        request="Tôi đề nghị Sở Y tế xem xét, cấp mới giấy phép hành nghề khám bệnh, chữa bệnh cho tôi.",
        commitment=PERSON_COMMITMENT[:-1] + "; tôi không thuộc trường hợp bị cấm hành nghề khám bệnh, chữa bệnh.",
    ),
    Form(
        procedure="SYT-KCB-02", model="Mẫu 08 Phụ lục I Nghị định 96/2023/NĐ-CP",
        title="ĐƠN ĐỀ NGHỊ", subtitle="Cấp lại giấy phép hành nghề khám bệnh, chữa bệnh",
        applicant="person", photo=True,
        sections=(PERSON, Section("II. GIẤY PHÉP HÀNH NGHỀ ĐÃ ĐƯỢC CẤP", (
            fields("Số giấy phép hành nghề", "Ngày cấp"),
            fields("Cơ quan cấp"),
            fields("Văn bằng chuyên môn"),
            fields("Chức danh", "Phạm vi hành nghề"),
        )), Section("III. LÝ DO ĐỀ NGHỊ CẤP LẠI", (
            Choices("Trường hợp", (
                "Giấy phép hành nghề bị mất", "Giấy phép hành nghề bị hư hỏng",
                "Thay đổi họ và tên, ngày sinh hoặc số định danh cá nhân",
                "Thông tin ghi sai do lỗi của cơ quan cấp", "Giấy phép hành nghề bị thu hồi"), stacked=True),
            Blank(2, "Trình bày rõ lý do:"),
        ))),
        request="Tôi đề nghị Sở Y tế xem xét, cấp lại giấy phép hành nghề khám bệnh, chữa bệnh cho tôi.",
        commitment=PERSON_COMMITMENT,
    ),
    Form(
        procedure="SYT-KCB-03", model="Mẫu 02 Phụ lục II Nghị định 96/2023/NĐ-CP",
        title="ĐƠN ĐỀ NGHỊ", subtitle="Cấp giấy phép hoạt động đối với phòng khám chuyên khoa",
        applicant="facility",
        sections=(facility("I. THÔNG TIN CƠ SỞ ĐỀ NGHỊ", "Tên cơ sở đề nghị cấp giấy phép"), Section(
            "II. THÔNG TIN PHÒNG KHÁM", (
                fields("Hình thức tổ chức", "Chuyên khoa"),
                fields("Địa điểm hoạt động"),
                Blank(),
                fields("Thời gian làm việc"),
                fields("Người chịu trách nhiệm chuyên môn kỹ thuật"),
                fields("Số giấy phép hành nghề", "Ngày cấp"),
                fields("Phạm vi hành nghề"),
            ))),
        request="Cơ sở đề nghị Sở Y tế thẩm định và cấp giấy phép hoạt động cho phòng khám chuyên khoa nêu trên.",
        commitment=(
            "Cơ sở cam kết các thông tin kê khai và hồ sơ kèm theo là đúng sự thật, phòng khám đáp ứng đủ điều "
            "kiện hoạt động theo quy định của pháp luật về khám bệnh, chữa bệnh; cơ sở chịu trách nhiệm trước "
            "pháp luật về các nội dung đã kê khai."
        ),
    ),
    Form(
        procedure="SYT-DUOC-01", model="Mẫu số 02 Phụ lục I Nghị định 54/2017/NĐ-CP",
        title="ĐƠN ĐỀ NGHỊ", subtitle="Cấp Chứng chỉ hành nghề dược theo hình thức xét hồ sơ",
        applicant="person", photo=True,
        sections=(PERSON, Section("II. NỘI DUNG ĐỀ NGHỊ", (
            fields("Văn bằng chuyên môn", "Năm tốt nghiệp"),
            fields("Cơ sở đào tạo"),
            fields("Cơ sở thực hành chuyên môn"),
            fields("Thời gian thực hành: từ ngày", "đến ngày"),
            Choices("Trường hợp", ("Cấp lần đầu", "Cấp lại sau khi bị thu hồi Chứng chỉ hành nghề dược")),
            Choices("Vị trí hành nghề đề nghị", (
                "Người chịu trách nhiệm chuyên môn về dược của nhà thuốc",
                "Người chịu trách nhiệm chuyên môn về dược của quầy thuốc",
                "Người chịu trách nhiệm chuyên môn về dược của tủ thuốc trạm y tế xã",
                "Người chịu trách nhiệm chuyên môn về dược của cơ sở chuyên bán lẻ dược liệu, thuốc cổ truyền",
                "Vị trí khác (ghi rõ)"), stacked=True),
            Blank(),
        ))),
        request="Tôi đề nghị Sở Y tế xem xét, cấp Chứng chỉ hành nghề dược cho tôi.",
        commitment=PERSON_COMMITMENT[:-1] + "; tôi thực hiện đúng các quy định của pháp luật về dược.",
    ),
    Form(
        procedure="SYT-DUOC-02", model="Mẫu số 19 Phụ lục I Nghị định 54/2017/NĐ-CP",
        title="ĐƠN ĐỀ NGHỊ", subtitle="Cấp Giấy chứng nhận đủ điều kiện kinh doanh dược",
        applicant="facility",
        sections=(facility("I. THÔNG TIN CƠ SỞ"), Section("II. NỘI DUNG ĐỀ NGHỊ", (
            Choices("Loại hình cơ sở bán lẻ", (
                "Nhà thuốc", "Quầy thuốc", "Tủ thuốc trạm y tế xã",
                "Cơ sở chuyên bán lẻ dược liệu, thuốc dược liệu, thuốc cổ truyền")),
            fields("Địa điểm kinh doanh"),
            Blank(),
            fields("Người chịu trách nhiệm chuyên môn về dược", "Trình độ"),
            fields("Số Chứng chỉ hành nghề dược", "Ngày cấp"),
            fields("Nơi cấp"),
            Blank(2, "Phạm vi kinh doanh đề nghị:"),
            fields("Giấy chứng nhận GPP (nếu có), số", "Ngày cấp"),
        ))),
        request=(
            "Cơ sở đề nghị Sở Y tế đánh giá và cấp Giấy chứng nhận đủ điều kiện kinh doanh dược cho cơ sở bán lẻ "
            "thuốc nêu trên."
        ),
        commitment=(
            "Cơ sở cam kết các thông tin kê khai và hồ sơ kèm theo là đúng sự thật; cơ sở tuân thủ Thực hành tốt "
            "cơ sở bán lẻ thuốc (GPP) và các quy định của pháp luật về dược, chịu trách nhiệm trước pháp luật về "
            "các nội dung đã kê khai."
        ),
    ),
    Form(
        procedure="SYT-DUOC-03", model="Nghị định 54/2017/NĐ-CP",
        title="ĐƠN ĐỀ NGHỊ", subtitle="Xác nhận nội dung quảng cáo thuốc",
        applicant="facility",
        sections=(facility("I. CƠ SỞ ĐỀ NGHỊ"), Section("II. THUỐC ĐỀ NGHỊ QUẢNG CÁO", (
            fields("Tên thuốc"),
            fields("Số giấy đăng ký lưu hành", "Ngày cấp"),
            fields("Cơ sở sản xuất"),
            fields("Cơ sở đăng ký thuốc"),
        )), Section("III. HÌNH THỨC QUẢNG CÁO", (
            Choices("Phương tiện", (
                "Hội thảo, hội nghị, sự kiện giới thiệu thuốc", "Báo, tạp chí, tờ rơi, áp phích",
                "Phát thanh, truyền hình", "Trang thông tin điện tử, mạng xã hội", "Hình thức khác (ghi rõ)"),
                stacked=True),
            Blank(2, "Thời gian, địa điểm dự kiến (với hội thảo, hội nghị, sự kiện):"),
        ))),
        request="Cơ sở đề nghị Sở Y tế xem xét, cấp giấy xác nhận nội dung quảng cáo thuốc nêu trên.",
        commitment=(
            "Cơ sở cam kết nội dung quảng cáo phù hợp với thông tin đã được phê duyệt của thuốc, chỉ quảng cáo "
            "đúng nội dung được xác nhận và chịu trách nhiệm trước pháp luật về hồ sơ đề nghị."
        ),
    ),
    Form(
        procedure="SYT-ATTP-01", model="Mẫu số 01 Phụ lục I Nghị định 155/2018/NĐ-CP",
        title="ĐƠN ĐỀ NGHỊ", subtitle="Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm",
        applicant="facility",
        sections=(facility("I. THÔNG TIN CƠ SỞ"), Section("II. NỘI DUNG ĐỀ NGHỊ", (
            Choices("Loại hình", (
                "Cơ sở sản xuất thực phẩm", "Cơ sở kinh doanh dịch vụ ăn uống",
                "Cơ sở vừa sản xuất vừa kinh doanh")),
            fields("Người phụ trách an toàn thực phẩm"),
            Blank(2, "Mặt hàng sản xuất hoặc loại hình dịch vụ ăn uống:"),
            fields("Quy mô (công suất hoặc số suất ăn mỗi ngày)"),
            fields("Số người trực tiếp sản xuất, chế biến"),
        ))),
        request="Cơ sở đề nghị Sở Y tế thẩm định và cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm.",
        commitment=(
            "Cơ sở cam kết bảo đảm đầy đủ các điều kiện an toàn thực phẩm theo quy định và chịu trách nhiệm trước "
            "pháp luật về các thông tin đã kê khai."
        ),
    ),
    Form(
        procedure="SYT-ATTP-02", model="Mẫu số 02 Phụ lục I Nghị định 15/2018/NĐ-CP",
        title="BẢN CÔNG BỐ SẢN PHẨM",
        subtitle="Sản phẩm dinh dưỡng y học, thực phẩm dùng cho chế độ ăn đặc biệt",
        applicant="facility",
        sections=(facility("I. TỔ CHỨC, CÁ NHÂN CÔNG BỐ", "Tên tổ chức, cá nhân"), Section(
            "II. THÔNG TIN VỀ SẢN PHẨM", (
                fields("Tên sản phẩm"),
                Choices("Nhóm sản phẩm", (
                    "Thực phẩm dinh dưỡng y học", "Thực phẩm dùng cho chế độ ăn đặc biệt",
                    "Sản phẩm dinh dưỡng dùng cho trẻ đến 36 tháng tuổi"), stacked=True),
                Blank(2, "Thành phần:"),
                Blank(2, "Chỉ tiêu chất lượng chủ yếu tạo nên công dụng của sản phẩm:"),
                fields("Thời hạn sử dụng", "Quy cách đóng gói"),
                fields("Chất liệu bao bì"),
                fields("Tên, địa chỉ cơ sở sản xuất"),
                Blank(),
            )), Section("III. MẪU NHÃN SẢN PHẨM", (
                Blank(1, "Đính kèm mẫu nhãn sản phẩm hoặc mẫu nhãn dự kiến."),
            )), Section("IV. YÊU CẦU VỀ AN TOÀN THỰC PHẨM", (
                Blank(2, "Tổ chức, cá nhân bảo đảm an toàn thực phẩm theo quy chuẩn, tiêu chuẩn:"),
            ))),
        request="Đề nghị Sở Y tế tiếp nhận và cấp Giấy tiếp nhận đăng ký bản công bố sản phẩm.",
        commitment=(
            "Chúng tôi cam kết thực hiện đầy đủ các quy định của pháp luật về an toàn thực phẩm và chịu hoàn toàn "
            "trách nhiệm về tính pháp lý của hồ sơ công bố, về chất lượng và an toàn của sản phẩm đã công bố."
        ),
    ),
    Form(
        procedure="SYT-MP-01", model="Phụ lục số 01-MP Thông tư 06/2011/TT-BYT",
        title="PHIẾU CÔNG BỐ SẢN PHẨM MỸ PHẨM", subtitle="Mỹ phẩm sản xuất trong nước",
        applicant="facility",
        sections=(Section("1. THÔNG TIN SẢN PHẨM", (
            fields("Nhãn hàng", "Tên sản phẩm"),
            Choices("Dạng sản phẩm", ("Dạng đơn lẻ", "Dạng kết hợp", "Nhiều màu", "Nhiều sản phẩm trong một bộ")),
            Blank(2, "Mục đích sử dụng:"),
            Choices("Dạng trình bày", ("Kem, nhũ tương, gel, dầu", "Dung dịch, nước", "Bột, phấn", "Dạng khác")),
        )), Section("2. NHÀ SẢN XUẤT", (
            fields("Tên nhà sản xuất"),
            fields("Địa chỉ"),
            fields("Điện thoại", "Thư điện tử"),
            fields("Số Giấy chứng nhận đủ điều kiện sản xuất mỹ phẩm", "Ngày cấp"),
        )), facility("3. TỔ CHỨC, CÁ NHÂN ĐƯA SẢN PHẨM RA THỊ TRƯỜNG", "Tên tổ chức, cá nhân"), Section(
            "4. THÀNH PHẦN CÔNG THỨC", (
                Blank(3, "Ghi tên thành phần theo danh pháp quốc tế (INCI) và tỉ lệ phần trăm các chất có giới "
                         "hạn nồng độ, hàm lượng:"),
            ))),
        request="Đề nghị Sở Y tế cấp số tiếp nhận Phiếu công bố sản phẩm mỹ phẩm cho sản phẩm nêu trên.",
        commitment=(
            "Chúng tôi cam kết sản phẩm đáp ứng đầy đủ các yêu cầu của Hiệp định mỹ phẩm ASEAN và các phụ lục "
            "kèm theo; chịu trách nhiệm về tính an toàn, hiệu quả và chất lượng của sản phẩm đưa ra thị trường."
        ),
    ),
    Form(
        procedure="SYT-TBYT-01", model="Phụ lục I Nghị định 98/2021/NĐ-CP",
        title="VĂN BẢN CÔNG BỐ", subtitle="Tiêu chuẩn áp dụng đối với trang thiết bị y tế thuộc loại A",
        applicant="facility",
        sections=(facility("I. CƠ SỞ CÔNG BỐ"), Section("II. TRANG THIẾT BỊ Y TẾ CÔNG BỐ", (
            fields("Tên trang thiết bị y tế"),
            fields("Chủng loại, mã sản phẩm", "Quy cách đóng gói"),
            fields("Mức độ rủi ro: loại A; căn cứ phân loại"),
            fields("Tên, địa chỉ cơ sở sản xuất"),
            Blank(),
            fields("Chủ sở hữu trang thiết bị y tế"),
            Blank(2, "Tiêu chuẩn áp dụng:"),
            Blank(2, "Mục đích sử dụng:"),
        ))),
        request=(
            "Cơ sở công bố trang thiết bị y tế nêu trên đáp ứng tiêu chuẩn áp dụng và đề nghị Sở Y tế tiếp nhận "
            "hồ sơ công bố."
        ),
        commitment=(
            "Cơ sở cam kết nội dung công bố và hồ sơ kèm theo là đúng sự thật, bảo đảm chất lượng trang thiết bị "
            "y tế theo tiêu chuẩn đã công bố và chịu trách nhiệm trước pháp luật."
        ),
    ),
    Form(
        procedure="SYT-TBYT-02", model="Phụ lục I Nghị định 98/2021/NĐ-CP",
        title="VĂN BẢN CÔNG BỐ", subtitle="Đủ điều kiện mua bán trang thiết bị y tế thuộc loại B, C, D",
        applicant="facility",
        sections=(facility("I. CƠ SỞ MUA BÁN"), Section("II. ĐIỀU KIỆN MUA BÁN", (
            fields("Người phụ trách chuyên môn kỹ thuật", "Trình độ"),
            fields("Số định danh cá nhân"),
            fields("Địa chỉ kho bảo quản"),
            fields("Diện tích kho", "Điều kiện bảo quản"),
            Blank(2, "Phương tiện vận chuyển:"),
            Choices("Loại trang thiết bị y tế mua bán", ("Loại B", "Loại C", "Loại D")),
        ))),
        request="Cơ sở công bố đủ điều kiện mua bán trang thiết bị y tế và đề nghị Sở Y tế tiếp nhận hồ sơ công bố.",
        commitment=(
            "Cơ sở cam kết duy trì các điều kiện mua bán trang thiết bị y tế đã công bố trong suốt thời gian hoạt "
            "động và chịu trách nhiệm trước pháp luật về các nội dung đã kê khai."
        ),
    ),
    Form(
        procedure="SYT-GD-01", model="Phụ lục I Nghị định 54/2017/NĐ-CP",
        title="ĐƠN ĐỀ NGHỊ", subtitle="Điều chỉnh nội dung Chứng chỉ hành nghề dược",
        applicant="person", photo=True,
        sections=(PERSON, Section("II. CHỨNG CHỈ HÀNH NGHỀ DƯỢC ĐÃ ĐƯỢC CẤP", (
            fields("Số chứng chỉ", "Ngày cấp"),
            fields("Nơi cấp"),
            Blank(2, "Phạm vi hoạt động chuyên môn đã được cấp:"),
        )), Section("III. NỘI DUNG ĐỀ NGHỊ ĐIỀU CHỈNH", (
            Blank(3, "Nội dung đề nghị điều chỉnh:"),
            Blank(2, "Lý do:"),
        ))),
        request="Tôi đề nghị Sở Y tế xem xét, điều chỉnh nội dung Chứng chỉ hành nghề dược của tôi như trên.",
        commitment=PERSON_COMMITMENT,
    ),
)


# --- WordprocessingML ------------------------------------------------------------------------------------

def run(text: str, *, bold: bool = False, italic: bool = False, size: int | None = None) -> str:
    props = ("<w:b/>" if bold else "") + ("<w:i/>" if italic else "")
    if size:
        props += f'<w:sz w:val="{size}"/><w:szCs w:val="{size}"/>'
    style = f"<w:rPr>{props}</w:rPr>" if props else ""
    return f'<w:r>{style}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


TAB = "<w:r><w:tab/></w:r>"


def paragraph(
    *runs: str, align: str = "both", indent: int = 0, first_line: int = 0, right_indent: int = 0,
    tabs: Iterable[int] = (), before: int = 0, after: int = 60, keep_next: bool = False,
    bottom_border: bool = False,
) -> str:
    props = "<w:keepNext/>" if keep_next else ""
    if bottom_border:
        props += '<w:pBdr><w:bottom w:val="single" w:sz="6" w:space="1" w:color="auto"/></w:pBdr>'
    stops = "".join(f'<w:tab w:val="right" w:leader="dot" w:pos="{position}"/>' for position in tabs)
    if stops:
        props += f"<w:tabs>{stops}</w:tabs>"
    props += f'<w:spacing w:before="{before}" w:after="{after}"/>'
    if indent or first_line or right_indent:
        props += f'<w:ind w:left="{indent}" w:right="{right_indent}" w:firstLine="{first_line}"/>'
    props += f'<w:jc w:val="{align}"/>'
    return f"<w:p><w:pPr>{props}</w:pPr>{''.join(runs)}</w:p>"


def cell(width: int, content: str, *, boxed: bool = False, middle: bool = False) -> str:
    borders = "".join(
        f'<w:{side} w:val="single" w:sz="6" w:space="0" w:color="auto"/>' for side in ("top", "left", "bottom", "right")
    ) if boxed else ""
    props = f'<w:tcW w:w="{width}" w:type="dxa"/>'
    props += f"<w:tcBorders>{borders}</w:tcBorders>" if borders else ""
    props += '<w:vAlign w:val="center"/>' if middle else ""
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{content}</w:tc>"


def table(widths: tuple[int, ...], cells: Iterable[str], *, height: int | None = None) -> str:
    none = "".join(
        f'<w:{side} w:val="nil"/>' for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    props = (
        f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:tblBorders>{none}</w:tblBorders>'
        '<w:tblLayout w:type="fixed"/>'
    )
    grid = "".join(f'<w:gridCol w:w="{width}"/>' for width in widths)
    row_props = f'<w:trPr><w:trHeight w:val="{height}" w:hRule="exact"/></w:trPr>' if height else ""
    row = f"<w:tr>{row_props}{''.join(cells)}</w:tr>"
    return f"<w:tbl><w:tblPr>{props}</w:tblPr><w:tblGrid>{grid}</w:tblGrid>{row}</w:tbl>"


def motto(width: int) -> str:
    """The national header, its motto underlined by a rule about as long as the motto itself."""
    rule_indent = max(0, (width - 3500) // 2)
    return (
        paragraph(run("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=SMALL_SIZE + 2), align="center", after=0)
        + paragraph(run("Độc lập - Tự do - Hạnh phúc", bold=True), align="center", after=0,
                    indent=rule_indent, right_indent=rule_indent, bottom_border=True)
    )


def header(form: Form) -> Iterator[str]:
    yield paragraph(run(f"Mẫu tham khảo theo {form.model}", italic=True, size=SMALL_SIZE), align="right", after=120)
    if form.applicant == "person":
        yield motto(TEXT_WIDTH)
    else:
        # A facility writes as an organisation: its name and document number on the left, as in the decrees.
        left, right = 3600, TEXT_WIDTH - 3600
        yield table((left, right), (
            cell(left, paragraph(run("TÊN CƠ SỞ", bold=True, size=SMALL_SIZE + 2), align="center", after=0)
                 + paragraph(run(SHORT_DOTS, size=SMALL_SIZE), align="center", after=0, indent=700,
                             right_indent=700, bottom_border=True)
                 + paragraph(run("Số: ………/………", size=SMALL_SIZE + 2), align="center", before=120, after=0)),
            cell(right, motto(right)),
        ))
    yield paragraph(after=240)


def title(form: Form) -> Iterator[str]:
    heading = (
        paragraph(run(form.title, bold=True, size=TITLE_SIZE), align="center", after=0, keep_next=True)
        + paragraph(run(form.subtitle, bold=True), align="center", after=120, keep_next=True)
    )
    if form.photo:
        photo_width = 2268  # 4 cm: the photo is glued here, on a box of its size
        yield table((photo_width, TEXT_WIDTH - photo_width), (
            cell(photo_width, paragraph(run("Ảnh màu", italic=True, size=SMALL_SIZE), align="center", after=0)
                 + paragraph(run("04 cm x 06 cm", italic=True, size=SMALL_SIZE), align="center", after=0),
                 boxed=True, middle=True),
            cell(TEXT_WIDTH - photo_width, heading, middle=True),
        ), height=3402)
    else:
        yield heading
    yield paragraph(run("Kính gửi: ", bold=True), run(f"Sở Y tế tỉnh {DOTS}"), align="center", before=120, after=240)


def line(item: Line) -> Iterator[str]:
    if isinstance(item, Fields):
        texts = [("  " if index else "") + label + ": " for index, label in enumerate(item.labels)]
        # Each label keeps its own width, so a long label never pushes its dots past the next label's tab
        # stop; the dotted space left over goes twice as much to the first field, the line's main one.
        weights = [2] + [1] * (len(texts) - 1)
        spare = max(0, TEXT_WIDTH - sum(CHAR_WIDTH * len(text) for text in texts)) // sum(weights)
        stops, position = [], 0
        for text, weight in zip(texts, weights, strict=True):
            position += CHAR_WIDTH * len(text) + spare * weight
            stops.append(position)
        stops[-1] = TEXT_WIDTH
        yield paragraph(*(part for text in texts for part in (run(text), TAB)), tabs=stops, align="left")
    elif isinstance(item, Choices):
        if item.stacked:
            yield paragraph(run(item.label + ":"), align="left", after=0, keep_next=True)
            for option in item.options:
                yield paragraph(run(f"{BOX} {option}"), align="left", indent=567, after=0)
            yield paragraph(after=60)
        else:
            yield paragraph(run(item.label + ": " + "    ".join(f"{BOX} {option}" for option in item.options)),
                            align="left")
    else:
        if item.hint:
            yield paragraph(run(item.hint), align="left", after=0, keep_next=True)
        for _ in range(item.lines):
            yield paragraph(TAB, tabs=(TEXT_WIDTH,), align="left")


def attachments(documents: list[dict[str, object]]) -> Iterator[str]:
    yield paragraph(run("Hồ sơ kèm theo gồm:", bold=True), align="left", before=120, after=0, keep_next=True)
    for document in documents[1:]:
        optional = "" if document["required"] else " (nếu có)"
        yield paragraph(run(f"{BOX} {document['name']}{optional}"), align="left", indent=567, after=0)


def signature(form: Form) -> Iterator[str]:
    signer, hint = (
        ("NGƯỜI LÀM ĐƠN", "(Ký và ghi rõ họ tên)") if form.applicant == "person"
        else ("NGƯỜI ĐẠI DIỆN THEO PHÁP LUẬT", "(Ký, ghi rõ họ tên và đóng dấu, nếu có)")
    )
    yield paragraph(run("………, ngày …… tháng …… năm 20……", italic=True), align="center",
                    indent=SIGNATURE_INDENT, before=240, after=0, keep_next=True)
    yield paragraph(run(signer, bold=True), align="center", indent=SIGNATURE_INDENT, after=0, keep_next=True)
    yield paragraph(run(hint, italic=True), align="center", indent=SIGNATURE_INDENT, after=1200)


def body(form: Form, documents: list[dict[str, object]]) -> Iterator[str]:
    yield from header(form)
    yield from title(form)
    for section in form.sections:
        yield paragraph(run(section.heading, bold=True), align="left", before=120, keep_next=True)
        for item in section.lines:
            yield from line(item)
    yield paragraph(run(form.request), first_line=567, before=120)
    yield from attachments(documents)
    yield paragraph(run(form.commitment), first_line=567, before=120)
    yield from signature(form)


def document_xml(form: Form, documents: list[dict[str, object]]) -> str:
    section = (
        f'<w:sectPr><w:pgSz w:w="{PAGE_WIDTH}" w:h="{PAGE_HEIGHT}"/>'
        f'<w:pgMar w:top="{MARGIN_TOP}" w:right="{MARGIN_RIGHT}" w:bottom="{MARGIN_BOTTOM}" '
        f'w:left="{MARGIN_LEFT}" w:header="567" w:footer="567" w:gutter="0"/></w:sectPr>'
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:document xmlns:w="{W_NS}"><w:body>{"".join(body(form, documents))}{section}</w:body></w:document>'
    )


STYLES_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<w:styles xmlns:w="{W_NS}"><w:docDefaults><w:rPrDefault><w:rPr>'
    '<w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="Times New Roman" '
    'w:cs="Times New Roman"/>'
    f'<w:sz w:val="{BODY_SIZE}"/><w:szCs w:val="{BODY_SIZE}"/><w:lang w:val="vi-VN"/>'
    '</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="60" w:line="276" w:lineRule="auto"/>'
    '</w:pPr></w:pPrDefault></w:docDefaults>'
    '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>'
    '</w:styles>'
)
CONTENT_TYPES_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/word/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>'
    '<Override PartName="/docProps/core.xml" '
    'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    '</Types>'
)
PACKAGE_RELS_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/>'
    '<Relationship Id="rId2" '
    'Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" '
    'Target="docProps/core.xml"/>'
    '</Relationships>'
)
DOCUMENT_RELS_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
    '</Relationships>'
)


def core_xml(form: Form) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<cp:coreProperties '
        'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<dc:title>{escape(f'{form.title} {form.subtitle}')}</dc:title>"
        "<dc:creator>Sở Y tế</dc:creator><dc:language>vi-VN</dc:language></cp:coreProperties>"
    )


def parts(form: Form, documents: list[dict[str, object]]) -> dict[str, bytes]:
    """The archive entries of one form's .docx, by name, in the order they are written."""
    texts = {
        "[Content_Types].xml": CONTENT_TYPES_XML,
        "_rels/.rels": PACKAGE_RELS_XML,
        "docProps/core.xml": core_xml(form),
        "word/_rels/document.xml.rels": DOCUMENT_RELS_XML,
        "word/styles.xml": STYLES_XML,
        "word/document.xml": document_xml(form, documents),
    }
    return {name: text.encode("utf-8") for name, text in texts.items()}


def write_docx(path: Path, entries: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in entries.items():
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)


def catalog_forms(catalog_file: Path = CATALOG_FILE) -> list[tuple[str, Form, list[dict[str, object]]]]:
    """Each form with its template file name and its procedure's documents, as the catalog lists them."""
    procedures = {entry["code"]: entry for entry in json.loads(catalog_file.read_text(encoding="utf-8"))["procedures"]}
    found = []
    for form in FORMS:
        documents: list[dict[str, object]] = procedures[form.procedure]["documents"]
        file_name = documents[0]["template"]
        if not isinstance(file_name, str):
            raise ValueError(f"{form.procedure}: the first document, the application form, names no template")
        found.append((file_name, form, documents))
    return found


def main() -> None:
    TEMPLATES_DIR.mkdir(exist_ok=True)
    for file_name, form, documents in catalog_forms():
        write_docx(TEMPLATES_DIR / file_name, parts(form, documents))


if __name__ == "__main__":
    main()
