"""The report's sentences, apart from the files: the page shows them too, and the .docx and .xlsx word things
the same way."""

from __future__ import annotations

import datetime as dt

from dondoc.core.text import clauses, shorten
from dondoc.targets.queries import count_by_colour, report_sentence
from dondoc.tracking.status import Status

from .. import documents, nd30, periods
from .data import Data, Group

LIST_MISSING = 8  # more agencies without a report than this are named in part III, not in the overview
# The body names a shortcoming's completed tasks up to this many, each shortened to a line or two; every task,
# whole, is in Phụ lục I and the .xlsx.
DONE_NAMED = 3
NAMED_LENGTH = 160


def _n(count: int, what: str = "nhiệm vụ") -> str:
    return f"{count:,}".replace(",", ".") + f" {what}"


def _share(part: int, whole: int) -> str:
    return documents.percent(part / whole) if whole else "0%"


def period_phrase(period: periods.Period) -> str:
    """"năm 2024", "quý IV/2024", "6 tháng đầu năm 2024": the period inside a sentence."""
    label = period.label
    return label[0].lower() + label[1:]


def title_line(data: Data) -> str:
    plan = data.plan
    text = f"Kết quả thực hiện {documents.plan_short(plan)}"
    if plan.issued_on:
        text += f" ngày {documents.short_date(plan.issued_on)}"
    if plan.issuer:
        text += f" của {plan.issuer}"
    return f"{text} ({period_phrase(data.period)})"


def _issuer_name(data: Data) -> str:
    return data.coordinator.name if data.coordinator is not None else "Cơ quan theo dõi, tổng hợp"


def overview_sentences(data: Data) -> list[str]:
    s = data.summary
    total = s["total"]
    lines = [f"- Đã hoàn thành đúng hạn: {_n(s['done_on_time'])} ({_share(s['done_on_time'], total)});",
             f"- Đã hoàn thành quá hạn: {_n(s['done_late'])} ({_share(s['done_late'], total)});"]
    in_time = s["open_in_time"] + s["awaiting_confirmation"] + s["ongoing"]
    extra = []
    if s["awaiting_confirmation"]:
        extra.append(f"{_n(s['awaiting_confirmation'])} đã báo cáo hoàn thành, chờ xác nhận")
    if s["ongoing"]:
        extra.append(f"{_n(s['ongoing'])} thực hiện thường xuyên, định kỳ")
    lines.append(f"- Chưa hoàn thành, trong hạn: {_n(in_time)} ({_share(in_time, total)})"
                 + (f", trong đó {'; '.join(extra)};" if extra else ";"))
    lines.append(f"- Chưa hoàn thành, quá hạn: {_n(s['overdue'])} ({_share(s['overdue'], total)}).")
    return lines


def group_sentence(group: Group) -> str:
    f = group.figures
    done = f["done_on_time"] + f["done_late"]
    in_time = f["open_in_time"] + f["awaiting_confirmation"] + f["ongoing"]
    if not f["total"]:
        return "Không có nhiệm vụ nào được tính trong kỳ."
    text = f"Có {_n(f['total'])}: đã hoàn thành {done}"
    if done:
        text += f" ({f['done_on_time']} đúng hạn, {f['done_late']} quá hạn)"
    return text + f"; chưa hoàn thành {in_time + f['overdue']} (trong hạn {in_time}, quá hạn {f['overdue']})."


def reporting_sentence(group: Group) -> str:
    """How many of a shortcoming's tasks the agencies reported on in the period, and how many of the others are
    overdue: the same tasks as its rows in Phụ lục I (cancelled ones aside)."""
    live = [t for t in group.tasks if t.status is not Status.CANCELLED]
    if not live:
        return ""
    silent = [t for t in live if not t.results]
    late = sum(1 for t in silent if t.status is Status.OVERDUE)
    late_note = f", trong đó {late} nhiệm vụ đã quá hạn" if late else ""
    if len(silent) == len(live):
        return f"Các nhiệm vụ của nội dung này chưa có báo cáo kết quả trong kỳ{late_note} (chi tiết tại Phụ lục I)."
    text = f"Trong kỳ, {_n(len(live) - len(silent))} có báo cáo kết quả"
    if silent:
        text += f"; {_n(len(silent))} chưa có báo cáo kết quả{late_note}"
    return text + " (chi tiết tại Phụ lục I)."


def done_sentence(group: Group) -> str:
    """The shortcoming's main results: its completed tasks, the first few named with their lead agencies."""
    done = [t for t in group.tasks if t.status.is_done]
    if not done:
        return ""
    named = [f"{shorten(documents.lower_first(t.text), NAMED_LENGTH).rstrip(' .;')} ({'; '.join(t.leads) or '—'})"
             for t in done[:DONE_NAMED]]
    more = len(done) - len(named)
    text = clauses(named, end="")
    if more:
        text += f"; và {_n(more)} khác"
    return f"Nhiệm vụ đã hoàn thành: {text}."


def by_text(found: list[tuple[str, list[str]]]) -> list[tuple[str, list[str]]]:
    """(agency, texts) → (text, agencies): a difficulty or a proposal several agencies share is written once, naming
    them all; the most shared first, then in the order they came."""
    same: dict[str, list[str]] = {}
    for agency, texts in found:
        for text in texts:
            key = " ".join(text.split()).rstrip(" .;")
            if agency not in same.setdefault(key, []):
                same[key].append(agency)
    return sorted(same.items(), key=lambda kv: -len(kv[1]))


def structure_sentence(data: Data) -> str:
    """Said when the report names the agencies of an earlier day (before a hand-over of the 2025 reorganisation)."""
    if not data.old_structure:
        return ""
    return (f"Cơ quan, đơn vị chủ trì, phối hợp được ghi theo cơ cấu tổ chức tại ngày "
            f"{documents.short_date(data.structure_on)} (trước khi sắp xếp, bàn giao nhiệm vụ).")


def implementation_sentence(data: Data) -> str:
    """"Tình hình ban hành kế hoạch thực hiện" (issue 19): how many agencies given work have issued their own plan
    carrying this one out, and which."""
    found = data.implementation
    if not found:
        return ""
    issued = "; ".join(f"{i['agency'].name}: {i['plan']}" + (f" ngày {documents.short_date(i['plan'].issued_on)}"
                                                             if i["plan"].issued_on else "") for i in found["items"])
    return (f"Về ban hành kế hoạch thực hiện: {found['issued']}/{found['agencies']} cơ quan, đơn vị được giao nhiệm vụ "
            f"đã ban hành kế hoạch thực hiện Kế hoạch" + (f" ({issued})" if issued else "") + ".")


def reports_sentence(data: Data) -> str:
    expected, received, late = len(data.expected), len(data.received), len(data.late)
    text = (f"Đến ngày {documents.short_date(data.as_of)}, {_issuer_name(data)} đã nhận được báo cáo của "
            f"{received}/{expected} cơ quan, đơn vị được giao nhiệm vụ (hạn gửi báo cáo: ngày "
            f"{documents.short_date(data.deadline)})")
    if late:
        text += f", trong đó {late} báo cáo gửi sau thời hạn ({', '.join(r.agency.name for r in data.late)})"
    missing = data.missing
    if missing and received and len(missing) <= LIST_MISSING:
        text += f"; chưa nhận được báo cáo của {len(missing)} cơ quan, đơn vị: {', '.join(a.name for a in missing)}"
    elif missing and received:
        text += f"; chưa nhận được báo cáo của {len(missing)} cơ quan, đơn vị (danh sách tại mục III)"
    elif missing:
        text += "; các cơ quan, đơn vị chưa gửi báo cáo, nội dung dưới đây được tổng hợp từ báo cáo tiến độ cập nhật trên hệ thống"
    return text + "."


def targets_sentence(data: Data) -> str:
    text = report_sentence(count_by_colour(data.targets))
    if data.targets:
        text = text.rstrip(".") + " (chi tiết tại Phụ lục II)."
    return text


def causes(data: Data) -> list[str]:
    s = data.summary
    out = []
    worst = data.most_overdue[:5]
    if s["overdue"]:
        text = f"Còn {_n(s['overdue'])} quá hạn chưa hoàn thành"
        if worst:
            text += "; các cơ quan, đơn vị có nhiều nhiệm vụ quá hạn: " + ", ".join(f"{name} ({n})" for name, n in worst)
        out.append(text + ".")
    if data.missing or data.late:
        parts = []
        if data.missing:
            names = f" ({', '.join(a.name for a in data.missing)})" if len(data.missing) > LIST_MISSING else ""
            parts.append(f"{len(data.missing)} cơ quan, đơn vị chưa gửi báo cáo{names}")
        if data.late:
            parts.append(f"{len(data.late)} cơ quan, đơn vị gửi báo cáo sau thời hạn")
        out.append("Việc báo cáo chưa kịp thời: " + "; ".join(parts) + ".")
    if not out:
        out.append("Các nhiệm vụ đến hạn cơ bản được thực hiện đúng tiến độ; các cơ quan, đơn vị gửi báo cáo đúng thời hạn.")
    return out


def own_proposals(data: Data) -> list[str]:
    issuer = _issuer_name(data)
    higher = documents.higher_body(data.coordinator, "Ủy ban nhân dân tỉnh")
    higher = "Ủy ban nhân dân tỉnh" if higher == "UBND tỉnh" else higher
    out = []
    if data.summary["overdue"]:
        out.append(f"Đề nghị {higher} chỉ đạo các cơ quan, đơn vị có nhiệm vụ quá hạn (chi tiết tại Phụ lục I) khẩn "
                   "trương hoàn thành, báo cáo kết quả; chủ động tháo gỡ khó khăn, vướng mắc thuộc thẩm quyền.")
    if data.missing:
        out.append(f"Đề nghị các cơ quan, đơn vị chưa gửi báo cáo khẩn trương gửi báo cáo về {issuer} để tổng hợp, "
                   f"báo cáo {higher}.")
    out.append("Các cơ quan, đơn vị tiếp tục cập nhật tiến độ, kết quả thực hiện nhiệm vụ thường xuyên trên hệ thống "
               "theo dõi, đôn đốc.")
    return out


def appendix_subtitle(data: Data, date: dt.date) -> str:
    number = nd30.number_line(None, f"BC-{documents.symbol(data.coordinator)}").removeprefix("Số:")
    return f"Kèm theo Báo cáo số{number} ngày {documents.short_date(date)} của {_issuer_name(data)}"
