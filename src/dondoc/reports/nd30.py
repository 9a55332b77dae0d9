"""Word (.docx) documents in the layout of Nghị định 30/2020/NĐ-CP, Phụ lục I (thể thức văn bản hành chính).

Framework-free (python-docx and core.text only). One small vocabulary for every generated document: the urging letter
(công văn: no title, "V/v ..." under the number, "Kính gửi:"), the agency report and the consolidated report
(titled: BÁO CÁO + bold summary, optional landscape "Phụ lục" with a table).

    doc = new_document(Header(...), title="Báo cáo", summary="Kết quả thực hiện ...")
    heading(doc, "I. KẾT QUẢ THỰC HIỆN"); paragraph(doc, "...")
    closing(doc, Signature("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Văn A"), ["UBND tỉnh (b/c)"])
    appendix(doc, number=1, title="Danh mục nhiệm vụ chậm", subtitle="Kèm theo Báo cáo số ...")
    table(doc, ["STT", "Nhiệm vụ"], [["1", "..."]], [1.2, 20])
    save(doc, "bao-cao.docx")

Rule references ("PL I, <part>") name the part of the decree's Phụ lục I. Sizes are points, widths centimetres.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass
from typing import BinaryIO, Sequence

import docx
from docx.document import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Cm, Mm, Pt

from dondoc.core.text import official_date

FONT = "Times New Roman"  # PL I, phông chữ: Times New Roman (Unicode, TCVN 6909:2001), black
BODY_SIZE = 14  # 13–14; 14 throughout keeps sizes consistent, as the decree asks
FIRST_LINE_CM = 1.27  # body first-line indent 1–1.27 cm
# A4 portrait, mm: top/bottom 20–25, left 30–35, right 15–20 (PL I, định lề trang).
PAGE_MM = (210, 297)
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}
# Landscape pages (a wide appendix table) keep the binding edge: when turned to be read, their top lies on
# the portrait page's left edge, so the margins rotate with the sheet.
LANDSCAPE_MARGINS_MM = {"top": 30, "bottom": 15, "left": 20, "right": 20}
KINH_GUI_CM = 1.76  # width of "Kính gửi" in Times New Roman 14, to align the dashes under its colon
# Layout tables have no cell padding: the columns are the text widths, and "Nơi nhận" sits on the left margin.
HEADER_COLS_CM = (6.5, 10.0)  # issuing body | national title (9.5 cm in bold 13); 16.5 = the text width
CLOSING_COLS_CM = (7.5, 9.0)  # Nơi nhận | signature

_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # lxml refuses these in text
_C, _L, _J = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.JUSTIFY
_NUMERIC = re.compile(r"^[\s\d.,%+\-–/()]+$")


@dataclass
class Header:
    """The header block: issuing body left, national title right, number and date below them."""

    parent_body: str  # cơ quan chủ quản, e.g. "UBND TỈNH TUYÊN QUANG"; "" when none
    issuer: str  # e.g. "SỞ KẾ HOẠCH VÀ ĐẦU TƯ"; "\n" breaks a long name
    number: str  # "Số: 125/BC-SKHĐT", or blank to be filled at signing: see number_line()
    place: str  # địa danh, e.g. "Tuyên Quang"
    date: dt.date | None = None  # None: blank day and month, filled at signing
    year: int | None = None  # the year printed when date is None
    summary_left: str = ""  # công văn only: "V/v đôn đốc thực hiện Kế hoạch số 78/KH-UBND"


@dataclass
class Signature:
    authority: str  # "TM. ỦY BAN NHÂN DÂN", "KT. GIÁM ĐỐC"; "" when the head signs in own name
    position: str  # "CHỦ TỊCH", "PHÓ GIÁM ĐỐC"
    name: str  # signer's full name


# ---------------------------------------------------------------------------------------------- pure helpers


def vn_date_line(place: str, date: dt.date | None = None, *, year: int | None = None) -> str:
    """"Tuyên Quang, ngày 05 tháng 01 năm 2025".

    PL I, địa danh và thời gian: the date as core.text.official_date spells it ("ngày 15 tháng 3 năm 2025").
    Without a date, blanks for day and month.
    """
    place = place.strip() or "\u00a0" * 12  # no place known: room for the clerk to write it, not a bare comma
    if date is None:
        blank = "\u00a0" * 6  # no-break spaces: a writer keeps them, a justifier cannot squeeze them
        return f"{place}, ngày{blank}tháng{blank}năm {year if year else blank}"
    return f"{place}, {official_date(date, spelled=True)}"


def number_line(number: int | None, symbol: str) -> str:
    """"Số: 05/BC-SKHĐT" (numbers below 10 take a leading zero, PL I, số và ký hiệu); None leaves it blank."""
    return f"Số: {number:02d}/{symbol}" if number else f"Số:{chr(0xA0) * 7}/{symbol}"


def roman(n: int) -> str:
    """Appendix numbers are Roman (PL I, phụ lục): 1 -> "I", 14 -> "XIV"."""
    out = ""
    for value, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                           (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        count, n = divmod(n, value)
        out += letters * count
    return out


def _listed(items: Sequence[str], last: str) -> list[str]:
    """"- item;" lines, the last ending with `last` (PL I: the "Kính gửi" and "Nơi nhận" lists)."""
    clean = [s.strip().lstrip("-–").strip().rstrip(";.,").strip() for s in items]
    clean = [s for s in clean if s]
    return [f"- {s}{last if i == len(clean) - 1 else ';'}" for i, s in enumerate(clean)]


def _text_width_cm(text: str, size: float, caps: bool = False) -> float:
    """Rough width of one line of Times New Roman (average advance ~0.6 em in capitals, ~0.45 em mixed)."""
    return len(text) * size * (0.62 if caps else 0.45) / 72 * 2.54


# ----------------------------------------------------------------------------------------------- XML details


def _set_rfonts(rpr) -> None:
    """All four script slots: python-docx's font.name sets only ascii/hAnsi, and a theme attribute wins
    over an explicit name, so the theme ones go."""
    rfonts = rpr.get_or_add_rFonts()
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        rfonts.set(qn(attr), FONT)


def _black(rpr) -> None:
    color = rpr.get_or_add_color()
    color.set(qn("w:val"), "000000")
    for attr in ("w:themeColor", "w:themeShade", "w:themeTint"):
        color.attrib.pop(qn(attr), None)


def _insert(parent, child, successors: Sequence[str]) -> None:
    """Insert `child` in schema order (Word rejects out-of-order properties)."""
    old = parent.find(child.tag)
    if old is not None:
        parent.remove(old)
    parent.insert_element_before(child, *successors)


def _borders(tag: str, edges: Sequence[str], val: str, sz: int = 4):
    """A w:tblBorders / w:pBdr element; sz is in eighths of a point (4 = 0.5 pt)."""
    el = OxmlElement(tag)
    for edge in edges:
        e = OxmlElement(f"w:{edge}")
        e.set(qn("w:val"), val)
        if val != "nil":
            e.set(qn("w:sz"), str(sz))
            e.set(qn("w:space"), "1" if tag == "w:pBdr" else "0")
            e.set(qn("w:color"), "000000")
        el.append(e)
    return el


_PBDR_NEXT = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
              "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
              "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
              "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
              "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")
_TBLBORDERS_NEXT = ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription")
_PGNUMTYPE_NEXT = ("w:cols", "w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg", "w:textDirection",
                   "w:bidi", "w:rtlGutter", "w:docGrid", "w:printerSettings", "w:sectPrChange")


def _setup_styles(doc: Document) -> None:
    """Times New Roman and black on the document defaults and on every style (a style a user picks later
    in Word, a table style, a heading), so nothing falls back to the template's Calibri/Cambria theme."""
    # python-docx's template also carries a Word 2010 copy of its styles (theme fonts) and its own thumbnail.
    for rels in (doc.part.package.rels, doc.part.rels):
        for r_id, rel in list(rels.items()):
            if rel.reltype.rsplit("/", 1)[-1] in ("thumbnail", "stylesWithEffects"):
                rels.pop(r_id)
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    rpr.get_or_add_sz().val = Pt(BODY_SIZE)
    size_cs = rpr.find(qn("w:szCs"))
    if size_cs is not None:
        size_cs.set(qn("w:val"), str(BODY_SIZE * 2))  # half-points
    lang = rpr.find(qn("w:lang"))
    if lang is not None:
        lang.set(qn("w:val"), "vi-VN")
    spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), "240")  # single
    for style in doc.styles:
        if style.type != WD_STYLE_TYPE.LIST:  # numbering styles carry no run properties
            style.element.get_or_add_rPr()
    for rpr in styles.iter(qn("w:rPr")):  # defaults, styles, and table styles' conditional parts
        _set_rfonts(rpr)
        _black(rpr)

    # Normal is the body paragraph (PL I, nội dung văn bản): 14, justified, first line 1.27 cm, 6 pt after,
    # spacing between single and 1.5 lines. Everything that is not body sets its own format.
    normal = doc.styles["Normal"]
    normal.font.size = Pt(BODY_SIZE)
    _body_format(normal.paragraph_format)
    for level in (1, 2, 3):  # headings I., 1., 1.1.: body layout, bold, outline levels for navigation
        h = doc.styles[f"Heading {level}"]
        h.font.size, h.font.bold, h.font.italic = Pt(BODY_SIZE), True, False
        _body_format(h.paragraph_format)
        h.paragraph_format.keep_with_next = True


def _body_format(pf) -> None:
    pf.alignment = _J
    pf.first_line_indent = Cm(FIRST_LINE_CM)
    pf.left_indent = pf.right_indent = Cm(0)
    pf.space_before, pf.space_after = Pt(0), Pt(6)
    pf.line_spacing_rule = WD_LINE_SPACING.MULTIPLE
    pf.line_spacing = 1.15


def _page(section: Section, *, landscape: bool = False) -> None:
    w, h = PAGE_MM
    margins = LANDSCAPE_MARGINS_MM if landscape else MARGINS_MM
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (Mm(h), Mm(w)) if landscape else (Mm(w), Mm(h))
    for side, mm in margins.items():
        setattr(section, f"{side}_margin", Mm(mm))
    section.header_distance = section.footer_distance = Mm(margins["top"] / 2)


def _text_width(section: Section) -> float:
    return (section.page_width - section.left_margin - section.right_margin) / 360000  # EMU -> cm


def _page_numbers(section: Section) -> None:
    """Page number centred in the top margin, 14, not on the first page (PL I, số trang văn bản): an empty
    first-page header (w:titlePg) and a PAGE field in the default header."""
    section.different_first_page_header_footer = True
    section.first_page_header.is_linked_to_previous = False
    _fmt(section.first_page_header.paragraphs[0])
    header = section.header
    header.is_linked_to_previous = False
    p = header.paragraphs[0]
    _fmt(p)
    for kind, text in (("begin", None), ("instr", " PAGE "), ("separate", None), ("text", "1"), ("end", None)):
        run = _run(p, text if kind == "text" else "", size=BODY_SIZE)
        if kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        elif kind != "text":
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run._r.append(fld)


def _restart_numbering(section: Section) -> None:
    pg = OxmlElement("w:pgNumType")
    pg.set(qn("w:start"), "1")
    _insert(section._sectPr, pg, _PGNUMTYPE_NEXT)


# ------------------------------------------------------------------------------------------- runs, paragraphs


def _clean(text: str) -> str:
    return _ILLEGAL_XML.sub("", text)


def _run(p, text: str, *, size: float | None = None, bold: bool = False, italic: bool = False,
         underline: bool = False):
    run = p.add_run(_clean(text))  # python-docx escapes <, >, &; "\n" becomes a line break
    run.bold, run.italic = bold, italic
    if underline:
        run.underline = True
    if size:
        run.font.size = Pt(size)
    return run


def _fmt(p, *, align=_C, before: float = 0, after: float = 0, left: float = 0, right: float = 0,
         first: float = 0, keep_next: bool = False):
    """Explicit layout for a non-body paragraph (header block, title, table cell, signature)."""
    pf = p.paragraph_format
    pf.alignment = align
    pf.space_before, pf.space_after = Pt(before), Pt(after)
    pf.left_indent, pf.right_indent, pf.first_line_indent = Cm(left), Cm(right), Cm(first)
    pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
    pf.keep_with_next = keep_next or None
    return p


def _line(container, text: str, size: float, *, reuse: bool = False, bold: bool = False, italic: bool = False,
          underline: bool = False, **fmt):
    """A paragraph with one run, in a cell (the first call reuses the cell's empty paragraph) or the body."""
    p = container.paragraphs[0] if reuse else container.add_paragraph()
    _fmt(p, **fmt)
    _run(p, text, size=size, bold=bold, italic=italic, underline=underline)
    return p


def _rule(container, width_cm: float, length_cm: float, *, after: float = 0):
    """A short centred horizontal rule: the bottom border of an empty paragraph indented on both sides
    (PL I: under the issuing body and under the summary, 1/3–1/2 of the line above). `width_cm` is the
    width the paragraph can use: its column's, or the page's text width."""
    side = max(0.0, (width_cm - length_cm) / 2)
    p = _fmt(container.add_paragraph(), left=side, right=side, after=after)
    pf = p.paragraph_format
    pf.line_spacing_rule, pf.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(7)  # clear of the descenders above
    _insert(p._p.get_or_add_pPr(), _borders("w:pBdr", ["bottom"], "single", 6), _PBDR_NEXT)
    return p


def _rule_under(container, width_cm: float, text: str, size: float, caps: bool = False, **kw):
    line = min(_text_width_cm(text, size, caps), width_cm)  # a wrapped text fills the column
    return _rule(container, width_cm, max(1.5, line * 0.42), **kw)  # aim inside 1/3–1/2: the width is a guess


def _table(doc: Document, widths_cm: Sequence[float], rows: int, *, borders: bool):
    t = doc.add_table(rows=rows, cols=len(widths_cm))
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False  # fixed layout: the widths below hold in Word and LibreOffice
    for col, w in zip(t._tbl.tblGrid.gridCol_lst, widths_cm):
        col.w = Cm(w)
    for row in t.rows:
        for cell, w in zip(row.cells, widths_cm):
            cell.width = Cm(w)
    edges = ("top", "left", "bottom", "right", "insideH", "insideV")
    # Data tables: single 0.5 pt black lines; layout tables (header, signature): no lines at all.
    _insert(t._tbl.tblPr, _borders("w:tblBorders", edges, "single" if borders else "nil"), _TBLBORDERS_NEXT)
    if not borders:
        margins = OxmlElement("w:tblCellMar")
        for edge in ("left", "right"):
            m = OxmlElement(f"w:{edge}")
            m.set(qn("w:w"), "0")
            m.set(qn("w:type"), "dxa")
            margins.append(m)
        _insert(t._tbl.tblPr, margins, ("w:tblLook", "w:tblCaption", "w:tblDescription"))
    return t


# ------------------------------------------------------------------------------------------------ public API


def new_document(header: Header, *, title: str = "", summary: str = "") -> Document:
    """A new A4 document with the header block; with `title`, the title and bold summary under it
    (a titled document, e.g. BÁO CÁO); without, a công văn (`header.summary_left` holds its "V/v ...")."""
    doc = docx.Document()
    _setup_styles(doc)
    section = doc.sections[0]
    _page(section)
    _page_numbers(section)
    props = doc.core_properties
    props.author = props.last_modified_by = _clean(header.issuer.replace("\n", " "))
    props.title = _clean(" ".join(s for s in (title, summary or header.summary_left) if s))
    props.created = props.modified = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    props.revision, props.comments, props.keywords, props.subject = 1, "", "", ""

    t = _table(doc, HEADER_COLS_CM, 2, borders=False)
    top_left, top_right = t.rows[0].cells
    bottom_left, bottom_right = t.rows[1].cells
    # PL I, tên cơ quan: parent body UPPERCASE 12–13 regular; issuer UPPERCASE 12–13 bold, a rule under.
    issuer = header.issuer.upper()
    if header.parent_body:
        _line(top_left, header.parent_body.upper(), 13, reuse=True)
    _line(top_left, issuer, 13, reuse=not header.parent_body, bold=True)
    _rule_under(top_left, HEADER_COLS_CM[0], max(issuer.split("\n"), key=len), 13, caps=True)
    # PL I, Quốc hiệu và Tiêu ngữ: national title UPPERCASE 12–13 bold; motto 13–14 bold, underlined its full length.
    _line(top_right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 13, reuse=True, bold=True)
    _line(top_right, "Độc lập - Tự do - Hạnh phúc", 14, bold=True, underline=True)
    # PL I, số và ký hiệu, địa danh và thời gian: "Số:" 13, on the line of the place and date (italic 13–14).
    _line(bottom_left, header.number, 13, reuse=True, before=6)
    if header.summary_left:  # công văn: "V/v ..." 12–13, upright, centred under the number, 6 pt apart
        summary_left = header.summary_left
        if not summary_left.startswith("V/v"):
            summary_left = f"V/v {summary_left}"
        _line(bottom_left, summary_left, 12, before=6)
    _line(bottom_right, vn_date_line(header.place, header.date, year=header.year), 14, reuse=True,
          italic=True, before=6)
    for cell in (*t.rows[0].cells, *t.rows[1].cells):
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP

    if title:  # PL I, tên loại và trích yếu: UPPERCASE 13–14 bold, centred; summary bold below, a rule under
        _line(doc, title.upper(), BODY_SIZE, bold=True, before=18, keep_next=True)
        if summary:
            _line(doc, summary, BODY_SIZE, bold=True, keep_next=True)
        _rule_under(doc, _text_width(section), summary or title, BODY_SIZE, caps=not summary, after=12)
    else:
        _fmt(doc.add_paragraph(), after=6)  # breathing space before "Kính gửi"
    return doc


def addressees(doc: Document, names: Sequence[str] | str):
    """Công văn "Kính gửi:" (PL I, nơi nhận của công văn): one addressee on the same line; several each on their own
    line, "- name;" (the last with "."), the dashes aligned under the colon."""
    if isinstance(names, str):
        names = [names]
    if len(names) == 1:
        return _line(doc, f"Kính gửi: {names[0].strip()}", BODY_SIZE, after=12)
    indent = 2.5  # the block sits roughly centred under the header
    first = _line(doc, "Kính gửi:", BODY_SIZE, align=_L, left=indent, keep_next=True)
    colon = indent + KINH_GUI_CM
    lines = _listed(names, ".")
    for i, text in enumerate(lines):  # hanging indent: a wrapped name lines up after its dash
        _line(doc, text, BODY_SIZE, align=_L, left=colon + 0.4, first=-0.4, after=12 if i == len(lines) - 1 else 0)
    return first


def heading(doc: Document, text: str, level: int = 1):
    """A bold body heading ("I. KẾT QUẢ ...", "1. ...", "1.1. ..."): Heading 1–3 styles, body layout."""
    p = doc.add_paragraph(style=f"Heading {min(max(level, 1), 3)}")
    _run(p, text, bold=True)
    return p


def paragraph(doc: Document, text: str | Sequence[tuple[str, str]], *, bold: bool = False, italic: bool = False,
              indent: bool = True, align=None):
    """A body paragraph (14, justified, first line 1.27 cm). `text` may be a list of (text, flags) pieces,
    flags "b"/"i"/"bi", for a bold lead-in: [("Tổng số: ", "b"), ("25 nhiệm vụ.", "")]."""
    p = doc.add_paragraph()
    if not indent:
        p.paragraph_format.first_line_indent = Cm(0)
    if align is not None:
        p.paragraph_format.alignment = align
    for piece, flags in [(text, "")] if isinstance(text, str) else text:
        _run(p, piece, bold=bold or "b" in flags, italic=italic or "i" in flags)
    return p


def closing(doc: Document, signature: Signature, recipients: Sequence[str], archive: str = "Lưu: VT, TH."):
    """Nơi nhận (left) and the signature (right) in a borderless two-column table (PL I: nơi nhận; chức vụ,
    họ tên người ký).

    Nơi nhận: 12 bold italic, level with the signing authority; the list 11, "- name;" lines, the last
    "- Lưu: VT, ...". Authority and position UPPERCASE 14 bold; the name 14 bold under room for the
    signature and seal."""
    last = doc.paragraphs[-1] if doc.paragraphs else None
    if last is not None and last.text.strip():
        last.paragraph_format.keep_with_next = True  # never a signature alone on the last page
    t = _table(doc, CLOSING_COLS_CM, 1, borders=False)
    t.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))  # the name stays with the title
    left, right = t.rows[0].cells
    for cell in (left, right):
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP
    _line(left, "Nơi nhận:", 12, reuse=True, bold=True, italic=True, align=_L, before=6)
    for text in _listed([*recipients, archive], "."):
        _line(left, text, 11, align=_L)
    first = True
    for text in (signature.authority, signature.position):
        if text.strip():
            _line(right, text.upper(), BODY_SIZE, reuse=first, bold=True, before=6 if first else 0)
            first = False
    _line(right, signature.name, BODY_SIZE, reuse=first, bold=True, before=84)  # ~5 lines for signature, seal
    return t


def appendix(doc: Document, *, title: str, subtitle: str = "", number: int | str | None = None,
             label: str = "Phụ lục", landscape: bool = True) -> Section:
    """A new section on a new page, paginated on its own from 1 (PL I, phụ lục): "Phụ lục" (+ Roman
    number when there are several) 14 bold, the title UPPERCASE 14 bold, then "(Kèm theo ...)" italic 14."""
    # The paragraph that ends the previous section holds its properties; keep it from adding a line.
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    ender = doc.paragraphs[-1]
    _fmt(ender).paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    ender.paragraph_format.line_spacing = Pt(1)
    _page(section, landscape=landscape)
    _restart_numbering(section)
    _page_numbers(section)
    if isinstance(number, int):
        number = roman(number)
    _line(doc, f"{label} {number}" if number else label, BODY_SIZE, bold=True, keep_next=True)
    _line(doc, title.upper(), BODY_SIZE, bold=True, keep_next=True)
    if subtitle:
        subtitle = subtitle.strip()
        if not subtitle.startswith("("):
            subtitle = f"({subtitle})"
        _line(doc, subtitle, BODY_SIZE, italic=True, keep_next=True)
    _rule_under(doc, _text_width(section), subtitle or title, BODY_SIZE, after=12)
    return section


def table(doc: Document, headers: Sequence[str], rows: Sequence[Sequence[str] | str], widths_cm: Sequence[float],
          *, size: float = 12, align: Sequence[str | None] | None = None):
    """A bordered data table: header row bold and repeated on every page, cells 12, vertically centred.

    A row given as a plain string is a group row (e.g. a shortcoming heading): one bold cell across all
    columns. `align` per column: "left", "center", "right" or None (numbers and short codes centred)."""
    if len(widths_cm) != len(headers):
        raise ValueError("one width per column")
    available = _text_width(doc.sections[-1])
    if sum(widths_cm) > available + 0.05:
        raise ValueError(f"columns total {sum(widths_cm):.2f} cm, the page has {available:.2f} cm")
    t = _table(doc, widths_cm, 1 + len(rows), borders=True)
    aligns = {"left": _L, "center": _C, "right": WD_ALIGN_PARAGRAPH.RIGHT}
    for i, row in enumerate(t.rows):
        tr_pr = row._tr.get_or_add_trPr()
        tr_pr.append(OxmlElement("w:cantSplit"))  # a row never breaks across pages
        if i == 0:
            tr_pr.append(OxmlElement("w:tblHeader"))  # repeated at the top of each page
        data = headers if i == 0 else rows[i - 1]
        if isinstance(data, str):  # group row
            cell = row.cells[0].merge(row.cells[-1])
            # A heading row stays with the first row under it, not alone at the foot of a page.
            _line(cell, data, size, reuse=True, bold=True, align=_L, before=2, after=2, keep_next=True)
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            continue
        if len(data) != len(headers):
            raise ValueError(f"row {i} has {len(data)} cells, the table {len(headers)} columns")
        for j, (cell, text) in enumerate(zip(row.cells, data)):
            text = "" if text is None else str(text)
            want = align[j] if align else None
            if i == 0 or (want is None and (_NUMERIC.match(text) or not text)):
                how = _C
            else:
                how = aligns.get(want or "left", _L)
            _line(cell, text, size, reuse=True, bold=i == 0, align=how, before=2, after=2)
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    _fmt(doc.add_paragraph(), after=6)  # a table may not end a section: Word wants a paragraph after it
    return t


def image(doc: Document, png: bytes, width_cm: float, caption: str = ""):
    """A centred picture (a chart), optionally with an italic caption below."""
    p = _fmt(doc.add_paragraph(), after=6 if not caption else 0, keep_next=bool(caption))
    p.add_run().add_picture(io.BytesIO(png), width=Cm(width_cm))
    if caption:
        _line(doc, caption, 13, italic=True, after=6)
    return p


def save(doc: Document, target: str | BinaryIO) -> None:
    doc.save(target)


def to_bytes(doc: Document) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
