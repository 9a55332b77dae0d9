"""The digest e-mail: one message per person per day, its tasks grouped, in Vietnamese (pure but for the URL
reversing and template rendering)."""

from __future__ import annotations

import datetime as dt
import email.message
import html
from dataclasses import dataclass
from functools import lru_cache
from email.header import Header

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse

from dondoc.core import text as text_helpers
from dondoc.plans.due import RECURRENCE_LABELS
from dondoc.tracking.status import past_due

from .models import BEFORE, DUE_TODAY, OVERDUE, REPORT_BEFORE, REPORT_TODAY
from .reminders import summary

GROUPS = (("overdue", "Quá hạn", (OVERDUE,)), ("today", "Đến hạn hôm nay", (DUE_TODAY,)),
          ("soon", "Sắp đến hạn", (BEFORE,)), ("report", "Báo cáo định kỳ", (REPORT_TODAY, REPORT_BEFORE)))
SHOWN_PER_GROUP = 20  # a morning e-mail, not the work list: the rest is one link away
TEXT_LENGTH = 120


def base_url() -> str:
    return settings.DONDOC_BASE_URL.rstrip("/")


def shorten(text: str, length: int = TEXT_LENGTH) -> str:
    return text_helpers.shorten(text, length)  # the one rule: at a sentence or a word, never inside a word


@dataclass(frozen=True)
class Line:
    kind: str
    assignment_id: int
    ref: str
    text: str
    plan_number: str
    due: dt.date
    role: str  # lead | coordinating
    recurrence: str = ""


@dataclass(frozen=True)
class Item:
    """A line as shown: every piece of text already chosen, ready for the text and HTML bodies."""

    ref: str
    text: str
    plan: str
    due: str
    when: str
    role: str
    url: str


def kind_on(line: Line, day: dt.date) -> str:
    """The reminder's kind as seen on `day` (a reminder made on one day may be mailed on a later one)."""
    if line.kind in (REPORT_BEFORE, REPORT_TODAY):
        return REPORT_TODAY if line.due == day else REPORT_BEFORE
    return OVERDUE if past_due(line.due, day) else DUE_TODAY if line.due == day else BEFORE


_MARK = 987654321


@lru_cache(maxsize=1)
def _assignment_path() -> tuple[str, str]:
    before, after = reverse("tracking:assignment", args=[_MARK]).split(str(_MARK))
    return before, after


def _assignment_url(base: str, assignment_id: int) -> str:
    """reverse() once, not once per line (a heavy day has thousands of lines)."""
    before, after = _assignment_path()
    return f"{base}{before}{assignment_id}{after}"


def _item(line: Line, day: dt.date, base: str) -> Item:
    due = f"{line.due:%d/%m/%Y}"
    kind = kind_on(line, day)
    recurrence = RECURRENCE_LABELS.get(line.recurrence, "định kỳ").lower()
    if kind == OVERDUE:
        when = f"quá hạn {(day - line.due).days} ngày"
    elif kind == DUE_TODAY:
        when = "đến hạn hôm nay"
    elif kind == REPORT_TODAY:
        when = f"hạn báo cáo hôm nay ({recurrence})"
    elif kind == REPORT_BEFORE and line.due < day:
        when = f"hạn báo cáo đã qua {(day - line.due).days} ngày ({recurrence})"
    elif kind == REPORT_BEFORE:
        when = f"còn {(line.due - day).days} ngày đến hạn báo cáo ({recurrence})"
    else:
        when = f"còn {(line.due - day).days} ngày"
    return Item(ref=line.ref, text=shorten(line.text), plan=f"Kế hoạch số {line.plan_number}" if line.plan_number else "Kế hoạch",
                due=due, when=when, role="chủ trì" if line.role == "lead" else "phối hợp",
                url=_assignment_url(base, line.assignment_id))


def counts(lines: list[Line], day: dt.date) -> dict[str, int]:
    out: dict[str, int] = {}
    for line in lines:
        kind = kind_on(line, day)
        out[kind] = out.get(kind, 0) + 1
    return out


def subject(day: dt.date, lines: list[Line]) -> str:
    return f"[dondoc] Nhắc việc ngày {day:%d/%m/%Y}: {summary(counts(lines, day))}"


def groups(lines: list[Line], day: dt.date, base: str) -> list[dict]:
    by_kind: dict[str, list[Line]] = {}
    for line in lines:
        by_kind.setdefault(kind_on(line, day), []).append(line)
    out = []
    for key, title, kinds in GROUPS:
        chosen = [line for kind in kinds for line in by_kind.get(kind, ())]
        if not chosen:
            continue
        if key == "overdue":
            chosen.sort(key=lambda x: (x.due, x.ref))  # the longest overdue first
        else:
            chosen.sort(key=lambda x: (x.due, x.plan_number, x.ref))
        shown = [_item(line, day, base) for line in chosen[:SHOWN_PER_GROUP]]
        out.append({"key": key, "title": title, "count": len(chosen), "items": shown,
                    "more": len(chosen) - len(shown)})
    return out


def text_body(name: str, agency: str, day: dt.date, grouped: list[dict], base: str) -> str:
    out = [f"Kính gửi {name},", "",
           f"Hệ thống dondoc nhắc các nhiệm vụ của {agency} cần chú ý ngày {day:%d/%m/%Y}:" if agency
           else f"Hệ thống dondoc nhắc các nhiệm vụ cần chú ý ngày {day:%d/%m/%Y}:"]
    for g in grouped:
        out += ["", f"{g['title'].upper()} ({g['count']})"]
        for i in g["items"]:
            out.append(f"- {i.ref}: {i.text} ({i.plan}) — hạn {i.due}, {i.when}; {i.role}")
            out.append(f"  {i.url}")
        if g["more"]:
            out.append(f"- … và {g['more']} nhiệm vụ khác: {base}{reverse('tracking:my_work')}")
    out += ["", f"Việc của cơ quan: {base}{reverse('tracking:my_work')}",
            f"Đổi giờ nhận thư hoặc tắt các nhắc việc không bắt buộc: {base}{reverse('notify:settings')}",
            "(Nhắc việc đến hạn hôm nay và quá hạn là bắt buộc.)", "",
            "Thư này được gửi tự động từ hệ thống dondoc; xin đừng trả lời thư này."]
    return "\n".join(out) + "\n"


def html_body(name: str, agency: str, day: dt.date, grouped: list[dict], my_work_url: str, settings_url: str) -> str:
    """The HTML alternative, written in Python (a template loop costs more than the SMTP exchange on a heavy day);
    every piece of user text goes through html.escape() (what Django's escape() does, without its lazy wrapper)."""
    e = html.escape
    out = ['<!doctype html><html lang="vi"><head><meta charset="utf-8">',
           f"<title>Nhắc việc ngày {day:%d/%m/%Y}</title></head>",
           '<body style="font-family: Arial, sans-serif; font-size: 14px; color: #222">',
           f"<p>Kính gửi {e(name)},</p>",
           f"<p>Hệ thống dondoc nhắc các nhiệm vụ {f'của {e(agency)} ' if agency else ''}cần chú ý ngày {day:%d/%m/%Y}:</p>"]
    for g in grouped:
        out.append(f'<h3 style="font-size: 15px; margin: 16px 0 4px">{e(g["title"])} ({g["count"]})</h3>'
                   '<ul style="padding-left: 18px; margin: 0">')
        for i in g["items"]:
            out.append(f'<li style="margin-bottom: 6px"><a href="{e(i.url)}"><strong>{e(i.ref)}</strong></a> {e(i.text)}<br>'
                       f'<span style="color: #666">{e(i.plan)} · hạn {i.due}, {e(i.when)} · {i.role}</span></li>')
        if g["more"]:
            out.append(f'<li>… và {g["more"]} nhiệm vụ khác: <a href="{e(my_work_url)}">xem Việc của tôi</a></li>')
        out.append("</ul>")
    out += [f'<p style="margin-top: 16px"><a href="{e(my_work_url)}">Việc của cơ quan</a> · '
            f'<a href="{e(settings_url)}">Đổi giờ nhận thư hoặc tắt các nhắc việc không bắt buộc</a> '
            "(nhắc việc đến hạn hôm nay và quá hạn là bắt buộc).</p>",
            '<p style="color: #888; font-size: 12px">Thư này được gửi tự động từ hệ thống dondoc; '
            "xin đừng trả lời thư này.</p></body></html>"]
    return "\n".join(out) + "\n"


class DigestMessage(EmailMultiAlternatives):
    """Django folds a long non-ASCII Subject as "Subject:" + newline + encoded words, which decoders read with a
    leading space; an email.header.Header that knows its name folds the first encoded word onto the Subject line."""

    def message(self, **kwargs):
        msg = super().message(**kwargs)
        del msg["Subject"]
        email.message.Message.__setitem__(msg, "Subject", Header(self.subject, "utf-8", header_name="Subject"))
        return msg


def message(*, to: str, name: str, agency: str, day: dt.date, lines: list[Line]) -> EmailMultiAlternatives:
    base = base_url()
    grouped = groups(lines, day, base)
    settings_url = base + reverse("notify:settings")
    msg = DigestMessage(
        subject=subject(day, lines), body=text_body(name, agency, day, grouped, base), to=[to],
        headers={"Auto-Submitted": "auto-generated", "X-Auto-Response-Suppress": "All",
                 "List-Unsubscribe": f"<{settings_url}>"})
    msg.attach_alternative(html_body(name, agency, day, grouped, base + reverse("tracking:my_work"), settings_url),
                           "text/html")
    return msg
