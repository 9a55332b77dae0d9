"""The Word report (Nghị định 30/2020) and its appendices, laid out from the gathered data and the sentences.

Body (in the order a provincial coordinator writes it): opening; I. the overview with the four official figures
(QĐ 42/2014: done on time, done late, open in time, overdue) and the share of due tasks done, which agencies
reported, the targets; II. results by shortcoming, a summary of each (its counts, the completed tasks, how many were
reported on and how many of the others are overdue); III. difficulties and their causes; IV. proposals (a text
several agencies share written once, naming them); closing; signature; Nơi nhận. Every task's detail, whole, is in
Phụ lục I (and the .xlsx): the body stays a few pages whatever the plan's size.
"""

from __future__ import annotations

import datetime as dt

from dondoc.core import clock
from dondoc.targets.queries import report_table

from .. import docx_tables, documents, nd30
from .chart import chart_png
from .data import Data
from .prose import (_issuer_name, _n, appendix_subtitle, by_text, causes, done_sentence, group_sentence,
                    implementation_sentence, overview_sentences, own_proposals, period_phrase, reporting_sentence, reports_sentence,
                    structure_sentence, targets_sentence, title_line)

TASK_HEADERS = ("STT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời hạn", "Tình hình thực hiện", "Kết quả",
                "Đánh giá")
# Landscape A4 text width 25.7 cm (nd30.LANDSCAPE_MARGINS_MM). "STT" in bold 11 and a date in brackets,
# "(10/12/2024)", need 1.2 and 2.6 cm with the cells' padding: narrower, they wrap a letter or a bracket alone.
TASK_WIDTHS_CM = (1.2, 6.4, 3.2, 3.0, 2.6, 2.9, 4.4, 2.0)
TARGET_WIDTHS_CM = (1.2, 2.0, 8.0, 4.0, 3.0, 4.5, 3.0)


def task_rows(data: Data) -> list:
    rows: list = []
    for g in data.groups:
        rows.append(g.row_label)
        for t in g.tasks:
            rows.append([str(t.number), t.text, "\n".join(t.leads), "\n".join(t.partners), t.deadline, t.situation,
                         t.result_text, t.evaluation])
    return rows


def build_docx(data: Data, *, date: dt.date | None = None, chart: bool = True, signer_name: str = "",
               authority: str | None = None, position: str | None = None) -> bytes:
    date = date or clock.today()
    plan, coordinator = data.plan, data.coordinator
    doc = nd30.new_document(documents.header(coordinator, place=documents.place_of(plan), date=date),
                            title="Báo cáo", summary=title_line(data))
    # Reproducible: the document's own date stands for its creation, not the moment it was generated.
    stamp = dt.datetime.combine(date, dt.time(8, 0))
    doc.core_properties.created = doc.core_properties.modified = stamp
    issuer = _issuer_name(data)
    s = data.summary

    opening = f"Thực hiện {plan.reference()}"
    if plan.title:
        opening += f" {documents.about(plan.title)}"
    opening += (f" (sau đây gọi tắt là Kế hoạch), {issuer} tổng hợp, báo cáo kết quả thực hiện "
                f"{period_phrase(data.period)} (số liệu tính đến ngày {documents.short_date(data.as_of)}) như sau:")
    nd30.paragraph(doc, opening)

    nd30.heading(doc, "I. TÌNH HÌNH TRIỂN KHAI VÀ KẾT QUẢ CHUNG")
    nd30.paragraph(doc, f"Kế hoạch có {_n(s['total'])} được theo dõi (không kể nhiệm vụ đã hủy), giao "
                        f"{data.lead_agencies} cơ quan, đơn vị chủ trì thực hiện, thuộc {len(data.groups)} nội dung."
                        + (f" {structure_sentence(data)}" if data.old_structure else ""))
    nd30.paragraph(doc, reports_sentence(data))
    if data.implementation:
        nd30.paragraph(doc, implementation_sentence(data))
    nd30.paragraph(doc, f"Kết quả thực hiện đến ngày {documents.short_date(data.as_of)}:")
    for line in overview_sentences(data):
        nd30.paragraph(doc, line)
    nd30.paragraph(doc, [("Tỷ lệ nhiệm vụ đến hạn đã hoàn thành: ", "b"),
                         (f"{documents.percent(s['due_done_rate'])} ({s['done_on_time'] + s['done_late']}/{s['due']} "
                          "nhiệm vụ đã đến hạn).", "")])
    nd30.paragraph(doc, [("Về chỉ tiêu: ", "b"), (targets_sentence(data), "")])
    if chart:
        png = chart_png(data)
        if png:
            nd30.image(doc, png, 14.5, caption=f"Biểu đồ 1. Tình hình thực hiện nhiệm vụ theo từng "
                                               f"{'hạn chế, khuyết điểm' if data.about_shortcomings else 'nội dung'} "
                                               f"(đến ngày {documents.short_date(data.as_of)})")

    nd30.heading(doc, "II. KẾT QUẢ KHẮC PHỤC TỪNG HẠN CHẾ, KHUYẾT ĐIỂM" if data.about_shortcomings
                 else "II. KẾT QUẢ THỰC HIỆN TỪNG NỘI DUNG, NHIỆM VỤ")
    # A summary per shortcoming; each task's detail is in Phụ lục I (and the .xlsx), so the body stays a few pages.
    for i, g in enumerate(data.groups, start=1):
        nd30.heading(doc, f"{i}. {g.heading_title}", level=2)
        for text in (group_sentence(g), done_sentence(g), reporting_sentence(g)):
            if text:
                nd30.paragraph(doc, text)

    nd30.heading(doc, "III. KHÓ KHĂN, VƯỚNG MẮC VÀ NGUYÊN NHÂN")
    nd30.heading(doc, "1. Khó khăn, vướng mắc", level=2)
    for text, agencies in by_text(data.difficulties):
        nd30.paragraph(doc, [(f"- {text} ", ""), (f"({'; '.join(agencies)}).", "i")])
    if not data.difficulties:
        nd30.paragraph(doc, "Trong kỳ, các cơ quan, đơn vị không báo cáo khó khăn, vướng mắc.")
    nd30.heading(doc, "2. Nguyên nhân", level=2)
    for text in causes(data):
        nd30.paragraph(doc, text)

    nd30.heading(doc, "IV. ĐỀ XUẤT, KIẾN NGHỊ")
    nd30.heading(doc, "1. Đề xuất, kiến nghị của các cơ quan, đơn vị", level=2)
    for text, agencies in by_text(data.proposals):
        nd30.paragraph(doc, [(f"- {text} ", ""), (f"({'; '.join(agencies)}).", "i")])
    if not data.proposals:
        nd30.paragraph(doc, "Trong kỳ, các cơ quan, đơn vị không có đề xuất, kiến nghị.")
    nd30.heading(doc, f"2. Kiến nghị của {issuer}", level=2)
    for text in own_proposals(data):
        nd30.paragraph(doc, f"- {text}")
    higher = documents.higher_body(coordinator, "Ủy ban nhân dân tỉnh")
    nd30.paragraph(doc, f"Trên đây là báo cáo kết quả thực hiện {documents.plan_short(plan)} "
                        f"{period_phrase(data.period)}, {issuer} báo cáo {_full(higher)} xem xét, chỉ đạo./.")

    nd30.closing(doc, documents.signature(coordinator, name=signer_name, authority=authority, position=position),
                 [f"{higher} (b/c)", _leaders(coordinator)], archive="Lưu: VT, TH.")

    nd30.appendix(doc, number=1, title=f"Kết quả thực hiện các nhiệm vụ của {documents.plan_short(plan)}",
                  subtitle=appendix_subtitle(data, date))
    docx_tables.table(doc, TASK_HEADERS, task_rows(data), TASK_WIDTHS_CM, size=11,
                      align=[None, "left", "left", "left", "center", "left", "left", "left"])
    if data.targets:
        headers, rows = report_table(data.targets)
        nd30.appendix(doc, number=2, title=f"Kết quả thực hiện các chỉ tiêu của {documents.plan_short(plan)}",
                      subtitle=appendix_subtitle(data, date))
        docx_tables.table(doc, headers, rows, TARGET_WIDTHS_CM, size=11,
                          align=[None, "center", "left", "left", "left", "left", "left"])
    return nd30.to_bytes(doc)


def _full(short: str) -> str:
    return "Ủy ban nhân dân tỉnh" if short == "UBND tỉnh" else short


def _leaders(agency) -> str:
    title = documents.head_title(agency)
    if title == "GIÁM ĐỐC":
        return "Giám đốc, các Phó Giám đốc Sở"
    return "Lãnh đạo cơ quan"
