"""An agency's periodic report as a Word document (Nghị định 30/2020): the agency's header, BÁO CÁO, the results task
by task, difficulties, proposals, the head's signature block, Nơi nhận. Built from the report's stored text only, so
the same report always gives the same document."""

from __future__ import annotations

import datetime as dt

from dondoc.tracking.status import Status

from . import documents, nd30, periods, prefill
from .models import AgencyReport


def _status_label(value: str) -> str:
    try:
        return Status(value).label
    except ValueError:
        return ""


def build(report: AgencyReport, *, date: dt.date | None = None) -> bytes:
    plan, agency = report.plan, report.agency
    period = periods.parse_period(report.period)
    date = date or (report.submitted_at.astimezone(prefill.LOCAL_TZ).date() if report.submitted_at else None)
    header = documents.header(agency, place=documents.place_of(plan), date=date, year=None if date else period.year)
    phrase = period.label[0].lower() + period.label[1:]
    doc = nd30.new_document(header, title="Báo cáo",
                            summary=f"Kết quả thực hiện {documents.plan_short(plan)}"
                                    + (f" ngày {documents.short_date(plan.issued_on)}" if plan.issued_on else "")
                                    + f" ({phrase})")
    if date is not None:
        stamp = dt.datetime.combine(date, dt.time(8, 0))
        doc.core_properties.created = doc.core_properties.modified = stamp
    items = list(report.items.select_related("task").order_by("order", "pk"))

    opening = f"Thực hiện {plan.reference()}"
    if plan.title:
        opening += f" {documents.about(plan.title)}"
    opening += f", {agency.name} báo cáo kết quả thực hiện {phrase} như sau:"
    nd30.paragraph(doc, opening)

    nd30.heading(doc, "I. KẾT QUẢ THỰC HIỆN")
    if report.summary.strip():
        for line in report.summary.strip().splitlines():
            if line.strip():
                nd30.paragraph(doc, line.strip())
    leads = [i for i in items if i.role == "lead"]
    partners = [i for i in items if i.role != "lead"]
    number = 0
    for title, group in (("Các nhiệm vụ chủ trì thực hiện", leads), ("Các nhiệm vụ phối hợp thực hiện", partners)):
        if not group:
            continue
        number += 1
        nd30.heading(doc, f"{number}. {title}", level=2)
        for k, item in enumerate(group, start=1):
            # The report is the agency's record of the task: its whole text, as the plan gives it.
            text = " ".join(item.task.text.split())
            nd30.paragraph(doc, [(f"{number}.{k}. ", "b"), (documents.upper_first(text), "b")])
            status = _status_label(item.status)
            if status and item.role == "lead":
                pct = f" (tiến độ {item.percent}%)" if item.percent is not None and not status.startswith("Đã hoàn thành") else ""
                nd30.paragraph(doc, [("Tình hình thực hiện: ", "i"), (f"{status}{pct}.", "")])
            results = item.results.strip() or prefill.NO_UPDATES
            for line in results.splitlines():
                if line.strip():
                    nd30.paragraph(doc, line.strip())

    nd30.heading(doc, "II. KHÓ KHĂN, VƯỚNG MẮC")
    difficulties = _lines([report.difficulties] + [i.difficulties for i in items])
    for line in difficulties or ["Không có."]:
        nd30.paragraph(doc, f"- {line}" if difficulties else line)
    nd30.heading(doc, "III. ĐỀ XUẤT, KIẾN NGHỊ")
    proposals = _lines([report.proposals] + [i.proposals for i in items])
    for line in proposals or ["Không có."]:
        nd30.paragraph(doc, f"- {line}" if proposals else line)
    coordinator = plan.coordinating_agency
    nd30.paragraph(doc, f"Trên đây là báo cáo kết quả thực hiện {documents.plan_short(plan)} {phrase} của "
                        f"{agency.name}" + (f", gửi {coordinator.name} tổng hợp./." if coordinator else "./."))
    name = report.approved_by.display_name if report.approved_by_id else ""
    if name.endswith("(minh họa)"):
        name = ""
    recipients = [f"{documents.higher_body(agency)} (b/c)"]
    if coordinator is not None and coordinator.pk != agency.pk:
        recipients.append(f"{coordinator.name} (t/h)")
    nd30.closing(doc, documents.signature(agency, name=name, deputy=False), recipients, archive="Lưu: VT.")
    return nd30.to_bytes(doc)


def _lines(texts) -> list[str]:
    out: list[str] = []
    for text in texts:
        for line in (text or "").splitlines():
            line = line.strip().lstrip("-–•+ ").strip()
            if line and line not in out:
                out.append(line)
    return out


def filename(report: AgencyReport) -> str:
    number = (report.plan.number or str(report.plan_id)).replace("/", "-")
    return f"Bao-cao-{report.agency.code}-{number}-{report.period}.docx"
