"""The Nghị định 30/2020 Word builder: documents are built, saved, reopened and checked against the decree."""

import datetime as dt
import io
import shutil
import subprocess
import unicodedata

import docx
import pytest
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from dondoc.reports import nd30
from dondoc.reports.nd30 import Header, Signature

pytestmark = pytest.mark.nodb

TNR = "Times New Roman"
ESCAPED = 'Chỉ tiêu <b>&amp; "ngoặc" & <script>'
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _cong_van() -> bytes:
    header = Header(
        parent_body="UBND tỉnh Tuyên Quang",
        issuer="Sở Kế hoạch và Đầu tư",
        number=nd30.number_line(None, "SKHĐT-TH"),
        place="Tuyên Quang",
        date=None,
        year=2024,
        summary_left="V/v đôn đốc thực hiện Kế hoạch số 78/KH-UBND",
    )
    doc = nd30.new_document(header)
    nd30.addressees(doc, ["Sở Tài chính", "- Sở Y tế;", "Ủy ban nhân dân các huyện, thành phố"])
    nd30.paragraph(doc, "Thực hiện Kế hoạch số 78/KH-UBND ngày 15 tháng 5 năm 2024 của Ủy ban nhân dân tỉnh, "
                        "Sở Kế hoạch và Đầu tư đề nghị các cơ quan khẩn trương hoàn thành các nhiệm vụ được giao.")
    nd30.paragraph(doc, ESCAPED)
    nd30.paragraph(doc, [("Tổng số: ", "b"), ("25 nhiệm vụ, 3 nhiệm vụ chậm.", "")])
    nd30.closing(doc, Signature("KT. Giám đốc", "Phó Giám đốc", "Nguyễn Văn An"),
                 ["Như trên", "UBND tỉnh (b/c);", "Giám đốc Sở (b/c)"])
    return nd30.to_bytes(doc)


def _report() -> bytes:
    header = Header("", "Ủy ban nhân dân\ntỉnh Tuyên Quang", "Số: 125/BC-UBND", "Tuyên Quang", dt.date(2025, 1, 5))
    doc = nd30.new_document(header, title="Báo cáo", summary="Kết quả thực hiện Kế hoạch số 78/KH-UBND năm 2024")
    nd30.heading(doc, "I. KẾT QUẢ THỰC HIỆN")
    nd30.heading(doc, "1. Công tác chỉ đạo, điều hành", level=2)
    for _ in range(9):  # enough text for a second page
        nd30.paragraph(doc, "Ủy ban nhân dân tỉnh đã ban hành các văn bản chỉ đạo, đôn đốc các sở, ban, ngành và "
                            "Ủy ban nhân dân các huyện, thành phố triển khai thực hiện các nhiệm vụ được giao.")
    nd30.closing(doc, Signature("TM. Ủy ban nhân dân", "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH", "Trần Thị Bình"),
                 ["Bộ Kế hoạch và Đầu tư", "TT Tỉnh ủy"], archive="Lưu: VT, KT.")
    nd30.appendix(doc, number=1, title="Danh mục nhiệm vụ chậm tiến độ",
                  subtitle="Kèm theo Báo cáo số 125/BC-UBND ngày 05/01/2025 của Ủy ban nhân dân tỉnh")
    rows = ["I. Nhiệm vụ quá hạn"] + [
        [str(i), f"Nhiệm vụ {i} về xây dựng cơ sở dữ liệu", "Sở Tài chính", "31/12/2024", "50%", ""]
        for i in range(1, 40)
    ] + [["40", ESCAPED, "Sở Y tế", "", "0", ""]]
    nd30.table(doc, ["STT", "Nhiệm vụ", "Cơ quan chủ trì", "Thời hạn", "Tiến độ (%)", "Ghi chú"], rows,
               [1.2, 10.5, 5.0, 3.0, 2.5, 3.5])
    return nd30.to_bytes(doc)


@pytest.fixture(scope="module")
def cong_van_bytes():
    return _cong_van()


@pytest.fixture(scope="module")
def report_bytes():
    return _report()


@pytest.fixture
def cong_van(cong_van_bytes):
    return docx.Document(io.BytesIO(cong_van_bytes))


@pytest.fixture
def report(report_bytes):
    return docx.Document(io.BytesIO(report_bytes))


def _all_paragraphs(doc):
    """Body paragraphs and table-cell paragraphs (one level of tables: the builder nests none)."""
    yield from doc.paragraphs
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                yield from cell.paragraphs


def _find(paragraphs, text):
    found = [p for p in paragraphs if p.text == text]
    assert found, f"no paragraph {text!r}"
    return found[0]


def _run_props(p):
    """(bold, italic, size in pt) of the paragraph's text runs, all runs agreeing."""
    runs = [r for r in p.runs if r.text]
    props = {(r.bold, r.italic, r.font.size.pt if r.font.size else None) for r in runs}
    assert len(props) == 1, props
    return props.pop()


def _mm(length):
    return length / 36000


# ---------------------------------------------------------------------------------------------- pure helpers


@pytest.mark.parametrize(
    "date, expected",
    [
        (dt.date(2025, 1, 5), "Tuyên Quang, ngày 05 tháng 01 năm 2025"),
        (dt.date(2024, 2, 29), "Tuyên Quang, ngày 29 tháng 02 năm 2024"),
        # the decree pads months 1 and 2 only: there is no month 13–19 to forge from 3–9
        (dt.date(2024, 3, 9), "Tuyên Quang, ngày 09 tháng 3 năm 2024"),
        (dt.date(2024, 10, 15), "Tuyên Quang, ngày 15 tháng 10 năm 2024"),
        (dt.date(2024, 12, 1), "Tuyên Quang, ngày 01 tháng 12 năm 2024"),
    ],
)
def test_vn_date_line(date, expected):
    assert nd30.vn_date_line("Tuyên Quang", date) == expected


def test_vn_date_line_blank_for_signing():
    blank = "\u00a0" * 6
    assert nd30.vn_date_line("Tuyên Quang", None, year=2024) == f"Tuyên Quang, ngày{blank}tháng{blank}năm 2024"
    assert nd30.vn_date_line("Hà Nội") == f"Hà Nội, ngày{blank}tháng{blank}năm {blank}"


def test_number_line_and_roman():
    assert nd30.number_line(5, "BC-SKHĐT") == "Số: 05/BC-SKHĐT"
    assert nd30.number_line(125, "BC-SKHĐT") == "Số: 125/BC-SKHĐT"
    assert nd30.number_line(None, "BC-SKHĐT") == "Số:" + "\u00a0" * 7 + "/BC-SKHĐT"
    assert [nd30.roman(n) for n in (1, 2, 4, 9, 14, 40, 1990)] == ["I", "II", "IV", "IX", "XIV", "XL", "MCMXC"]


# ------------------------------------------------------------------------------------------- page and fonts


@pytest.mark.parametrize("which", ["cong_van", "report"])
def test_pages_are_a4_with_decree_margins(which, request):
    doc = request.getfixturevalue(which)
    for section in doc.sections:
        landscape = section.orientation == WD_ORIENT.LANDSCAPE
        size = (_mm(section.page_width), _mm(section.page_height))
        expected_size = (297, 210) if landscape else (210, 297)
        assert size == pytest.approx(expected_size, abs=0.5)
        margins = [_mm(getattr(section, f"{side}_margin")) for side in ("top", "bottom", "left", "right")]
        # portrait: top/bottom 20–25, left 30–35, right 15–20; landscape: the same edges turned with the sheet
        expected = [30, 15, 20, 20] if landscape else [20, 20, 30, 15]
        assert margins == pytest.approx(expected, abs=0.5)
    assert doc.sections[0].orientation == WD_ORIENT.PORTRAIT


def _rfonts_ok(rpr):
    rfonts = rpr.find(qn("w:rFonts")) if rpr is not None else None
    assert rfonts is not None
    assert {a: rfonts.get(qn(f"w:{a}")) for a in ("ascii", "hAnsi", "cs", "eastAsia")} == dict.fromkeys(
        ("ascii", "hAnsi", "cs", "eastAsia"), TNR)
    assert not [k for k in rfonts.attrib if "theme" in k.lower()]  # a theme font would override the name


def test_times_new_roman_on_defaults_and_every_style_used(report, cong_van):
    for doc in (report, cong_van):
        defaults = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
        _rfonts_ok(defaults)
        used = [p.style for p in _all_paragraphs(doc)]
        used += [p.style for s in doc.sections for hf in (s.header, s.first_page_header) for p in hf.paragraphs]
        used += [doc.styles["Normal"], doc.styles.default(WD_STYLE_TYPE.TABLE)]
        used += [t.style for t in doc.tables if t.style is not None]
        used = {s.style_id: s for s in used}
        assert set(used) >= ({"Normal", "Heading1", "Heading2", "Header"} if doc is report else {"Normal"})
        for style in used.values():
            _rfonts_ok(style.element.find(qn("w:rPr")))


def test_everything_is_black(report, cong_van):
    for doc in (report, cong_van):
        xml_parts = [part for part in doc.part.package.iter_parts() if hasattr(part, "element")]
        assert len(xml_parts) >= 4  # document, styles, headers...
        for part in xml_parts:
            for color in part.element.iter(f"{W}color"):
                assert color.get(qn("w:val")) in ("000000", "auto")
                assert color.get(qn("w:themeColor")) is None
        for p in _all_paragraphs(doc):
            for r in p.runs:
                assert r.font.color.rgb in (None, docx.shared.RGBColor(0, 0, 0))
                assert r.font.color.theme_color is None


def test_body_paragraphs_follow_the_decree(report):
    normal = report.styles["Normal"]
    pf = normal.paragraph_format
    assert normal.font.size == Pt(14)
    assert pf.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert pf.first_line_indent == Cm(1.27)
    assert pf.space_after == Pt(6)
    assert 1.0 <= pf.line_spacing <= 1.5
    body = [p for p in report.paragraphs if p.text.startswith("Ủy ban nhân dân tỉnh đã ban hành")]
    assert len(body) == 9 and all(p.style.name == "Normal" for p in body)
    heading = _find(report.paragraphs, "I. KẾT QUẢ THỰC HIỆN")
    assert heading.style.name == "Heading 1" and heading.style.font.bold and heading.style.font.size == Pt(14)
    assert heading.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    lead = _find(report.paragraphs, "1. Công tác chỉ đạo, điều hành")
    assert lead.style.name == "Heading 2"


# ------------------------------------------------------------------------------------------- header block


def test_header_block_of_a_cong_van(cong_van):
    header = cong_van.tables[0]
    left = header.rows[0].cells[0].paragraphs + header.rows[1].cells[0].paragraphs
    right = header.rows[0].cells[1].paragraphs + header.rows[1].cells[1].paragraphs
    assert _run_props(_find(left, "UBND TỈNH TUYÊN QUANG")) == (False, False, 13)
    assert _run_props(_find(left, "SỞ KẾ HOẠCH VÀ ĐẦU TƯ")) == (True, False, 13)
    # the short rule under the issuer: a bottom border on an empty paragraph narrower than the column
    issuer_at = [p.text for p in left].index("SỞ KẾ HOẠCH VÀ ĐẦU TƯ")
    rule = left[issuer_at + 1]
    assert rule.text == "" and rule._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom")).get(qn("w:val")) == "single"
    assert rule.paragraph_format.left_indent > Cm(1)
    assert _run_props(_find(left, "Số:" + "\u00a0" * 7 + "/SKHĐT-TH")) == (False, False, 13)
    summary = _find(left, "V/v đôn đốc thực hiện Kế hoạch số 78/KH-UBND")
    assert _run_props(summary) == (False, False, 12)
    assert summary.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert _run_props(_find(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")) == (True, False, 13)
    motto = _find(right, "Độc lập - Tự do - Hạnh phúc")
    assert _run_props(motto) == (True, False, 14) and motto.runs[0].underline
    date = _find(right, nd30.vn_date_line("Tuyên Quang", None, year=2024))
    assert _run_props(date) == (False, True, 14)
    # a layout table: no lines
    borders = header._tbl.tblPr.find(qn("w:tblBorders"))
    assert {b.get(qn("w:val")) for b in borders} == {"nil"}
    # no title in a công văn
    assert not [p for p in cong_van.paragraphs if p.text in ("BÁO CÁO", "CÔNG VĂN")]


def test_header_block_and_title_of_a_report(report):
    header = report.tables[0]
    left = header.rows[0].cells[0].paragraphs + header.rows[1].cells[0].paragraphs
    right = header.rows[1].cells[1].paragraphs
    assert _run_props(_find(left, "ỦY BAN NHÂN DÂN\nTỈNH TUYÊN QUANG")) == (True, False, 13)
    assert _run_props(_find(left, "Số: 125/BC-UBND")) == (False, False, 13)
    date = _find(right, "Tuyên Quang, ngày 05 tháng 01 năm 2025")
    assert _run_props(date) == (False, True, 14)
    title = _find(report.paragraphs, "BÁO CÁO")
    assert _run_props(title) == (True, False, 14) and title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    summary = _find(report.paragraphs, "Kết quả thực hiện Kế hoạch số 78/KH-UBND năm 2024")
    assert _run_props(summary) == (True, False, 14) and summary.alignment == WD_ALIGN_PARAGRAPH.CENTER
    rule = report.paragraphs[[p.text for p in report.paragraphs].index(summary.text) + 1]
    assert rule._p.pPr.find(qn("w:pBdr")) is not None


def test_addressees(cong_van):
    texts = [p.text for p in cong_van.paragraphs]
    at = texts.index("Kính gửi:")
    assert texts[at + 1: at + 4] == ["- Sở Tài chính;", "- Sở Y tế;", "- Ủy ban nhân dân các huyện, thành phố."]
    dash = cong_van.paragraphs[at + 1].paragraph_format
    assert dash.left_indent + dash.first_line_indent > cong_van.paragraphs[at].paragraph_format.left_indent
    single = nd30.new_document(Header("", "Sở Tài chính", "Số: 01/STC", "Tuyên Quang", dt.date(2025, 3, 1)))
    nd30.addressees(single, "Ủy ban nhân dân tỉnh Tuyên Quang")
    assert single.paragraphs[-1].text == "Kính gửi: Ủy ban nhân dân tỉnh Tuyên Quang"


# ------------------------------------------------------------------------------------------- closing block


@pytest.mark.parametrize("which", ["cong_van", "report"])
def test_recipients_and_signature(which, request):
    doc = request.getfixturevalue(which)
    closing = doc.tables[1]
    left, right = closing.rows[0].cells
    noi_nhan = left.paragraphs[0]
    assert noi_nhan.text == "Nơi nhận:" and _run_props(noi_nhan) == (True, True, 12)
    assert noi_nhan.alignment == WD_ALIGN_PARAGRAPH.LEFT
    items = left.paragraphs[1:]
    assert all(p.text.startswith("- ") and _run_props(p) == (False, False, 11) for p in items)
    assert all(p.text.endswith(";") for p in items[:-1])
    assert items[-1].text.startswith("- Lưu: VT, ") and items[-1].text.endswith(".")
    signature = [p for p in right.paragraphs if p.text]
    for p in signature:
        assert _run_props(p)[0] is True and p.alignment == WD_ALIGN_PARAGRAPH.CENTER
    titles, name = signature[:-1], signature[-1]
    assert all(p.text == p.text.upper() and _run_props(p)[2] in (13, 14) for p in titles)
    assert name.paragraph_format.space_before >= Pt(60)  # room for signature and seal
    if which == "cong_van":
        assert [p.text for p in titles] == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"] and name.text == "Nguyễn Văn An"
        assert [p.text for p in items] == ["- Như trên;", "- UBND tỉnh (b/c);", "- Giám đốc Sở (b/c);",
                                           "- Lưu: VT, TH."]
    # the block never breaks across pages
    assert closing.rows[0]._tr.trPr.find(qn("w:cantSplit")) is not None


# ------------------------------------------------------------------------------------ pages, appendix, table


def _has_page_field(header):
    instr = "".join(t.text or "" for t in header._element.iter(f"{W}instrText"))
    simple = [f.get(qn("w:instr")) for f in header._element.iter(f"{W}fldSimple")]
    return "PAGE" in instr.split() or any("PAGE" in (s or "").split() for s in simple)


@pytest.mark.parametrize("which", ["cong_van", "report"])
def test_page_numbers_in_the_header_not_on_page_one(which, request):
    doc = request.getfixturevalue(which)
    for section in doc.sections:
        assert section.different_first_page_header_footer  # w:titlePg
        assert not section.first_page_header.is_linked_to_previous
        assert not _has_page_field(section.first_page_header)
        assert _has_page_field(section.header)
        number = section.header.paragraphs[0]
        assert number.alignment == WD_ALIGN_PARAGRAPH.CENTER
        assert {r.font.size for r in number.runs} == {Pt(14)}


def test_appendix_is_a_landscape_section_numbered_on_its_own(report):
    assert len(report.sections) == 2
    appendix = report.sections[1]
    assert appendix.orientation == WD_ORIENT.LANDSCAPE
    assert appendix._sectPr.find(qn("w:pgNumType")).get(qn("w:start")) == "1"
    assert appendix.start_type == WD_SECTION.NEW_PAGE
    texts = [p.text for p in report.paragraphs]
    at = texts.index("Phụ lục I")
    label, title, subtitle = report.paragraphs[at: at + 3]
    assert _run_props(label) == (True, False, 14) and label.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert title.text == "DANH MỤC NHIỆM VỤ CHẬM TIẾN ĐỘ" and _run_props(title) == (True, False, 14)
    assert subtitle.text == "(Kèm theo Báo cáo số 125/BC-UBND ngày 05/01/2025 của Ủy ban nhân dân tỉnh)"
    assert _run_props(subtitle) == (False, True, 14)


def test_data_table(report):
    table = report.tables[2]
    assert len(table.rows) == 1 + 1 + 40
    header = table.rows[0]
    assert header._tr.trPr.find(qn("w:tblHeader")) is not None  # repeated on every page
    assert all(table.rows[i]._tr.trPr.find(qn("w:tblHeader")) is None for i in (1, 2))
    for cell in header.cells:
        assert _run_props(cell.paragraphs[0]) == (True, False, 12)
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    assert len(borders) == 6
    for b in borders:
        assert (b.get(qn("w:val")), b.get(qn("w:sz")), b.get(qn("w:color"))) == ("single", "4", "000000")
    group = table.rows[1]
    assert len(group._tr.tc_lst) == 1 and group.cells[0].text == "I. Nhiệm vụ quá hạn"
    assert _run_props(group.cells[0].paragraphs[0]) == (True, False, 12)
    row = table.rows[2].cells
    assert row[0].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER  # numbers centred
    assert row[4].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert row[1].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.LEFT
    assert _run_props(row[1].paragraphs[0]) == (False, False, 12)
    assert all(c.vertical_alignment == WD_CELL_VERTICAL_ALIGNMENT.CENTER for c in row)
    widths = [round(c.w.cm, 2) for c in table._tbl.tblGrid.gridCol_lst]
    assert widths == [1.2, 10.5, 5.0, 3.0, 2.5, 3.5]


def test_table_refuses_what_does_not_fit():
    doc = nd30.new_document(Header("", "Sở Tài chính", "Số: 01/STC", "Tuyên Quang", dt.date(2025, 3, 1)))
    with pytest.raises(ValueError, match="columns total"):
        nd30.table(doc, ["A", "B"], [["1", "2"]], [10, 10])  # a portrait page has 16.5 cm
    with pytest.raises(ValueError, match="row 1"):
        nd30.table(doc, ["A", "B"], [["1"]], [5, 5])


def test_user_text_is_verbatim(report, cong_van):
    assert ESCAPED in [p.text for p in cong_van.paragraphs]
    assert ESCAPED in [c.text for c in report.tables[2].rows[-1].cells]
    doc = nd30.new_document(Header("", "Sở\x00 Tài chính", "Số: 01/STC", "Tuyên Quang", dt.date(2025, 3, 1)))
    nd30.paragraph(doc, "control\x0bcharacters\x1f dropped")  # lxml would refuse them
    assert docx.Document(io.BytesIO(nd30.to_bytes(doc))).paragraphs[-1].text == "controlcharacters dropped"


def test_image_and_save(tmp_path):
    from PIL import Image

    png = io.BytesIO()
    Image.new("RGB", (40, 20), "white").save(png, format="PNG")
    doc = nd30.new_document(Header("", "Sở Tài chính", "Số: 01/STC", "Tuyên Quang", dt.date(2025, 3, 1)),
                            title="Báo cáo", summary="Thử")
    nd30.image(doc, png.getvalue(), 12, caption="Biểu đồ 1. Tiến độ")
    path = tmp_path / "a.docx"
    nd30.save(doc, str(path))
    again = docx.Document(str(path))
    assert len(again.inline_shapes) == 1 and round(again.inline_shapes[0].width.cm, 1) == 12.0
    assert _run_props(_find(again.paragraphs, "Biểu đồ 1. Tiến độ")) == (False, True, 13)


# ------------------------------------------------------------------------------------------- real rendering


def _tool(name):
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed (Debian: libreoffice-writer-nogui, poppler-utils); CI installs it")
    return path


def test_libreoffice_renders_an_a4_pdf(tmp_path, report_bytes):
    soffice = shutil.which("soffice") or shutil.which("libreoffice") or _tool("soffice")
    pdftotext, pdfinfo = _tool("pdftotext"), _tool("pdfinfo")
    source = tmp_path / "bao-cao.docx"
    source.write_bytes(report_bytes)
    # a profile of its own: a LibreOffice already running for someone else would otherwise take the job
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(source)], check=True, capture_output=True, timeout=240)
    pdf = tmp_path / "bao-cao.pdf"
    text = unicodedata.normalize("NFC", subprocess.run([pdftotext, "-layout", str(pdf), "-"], check=True,
                                                       capture_output=True, text=True).stdout)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "BÁO CÁO" in text and "Phụ lục I" in text
    info = subprocess.run([pdfinfo, "-f", "1", "-l", "99", str(pdf)], check=True, capture_output=True,
                          text=True).stdout
    sizes = [line.split("size:")[1].split("pts")[0].split(" x ") for line in info.splitlines()
             if line.startswith("Page") and "size:" in line]
    sizes = [(float(w), float(h)) for w, h in sizes]
    assert sizes[0] == pytest.approx((595, 842), abs=2)  # A4 portrait
    assert sizes[-1] == pytest.approx((842, 595), abs=2)  # the appendix, A4 landscape
    assert all(s in (sizes[0], sizes[-1]) for s in sizes)
    # page numbers: none on the first page, then 2, 3...; the appendix starts again (none, then 2)
    pages = subprocess.run([pdftotext, str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    first_words = [(page.split() or [""])[0] for page in pages.split("\f")[: len(sizes)]]
    appendix_at = sizes.index(sizes[-1])
    assert not first_words[0].isdigit() and first_words[1] == "2"
    assert not first_words[appendix_at].isdigit() and first_words[appendix_at + 1] == "2"
