"""A draft task's card on the review screen, written in Python: a 500-task plan rendered through a template include
per task took seconds; this is the one place the card is drawn, for the whole page and for each HTMX answer."""

from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

_BAD = ("unknown", "dissolved")


def _lead_badge(r) -> str:
    if r.kind == "unknown":
        css, title = "text-bg-danger", "Không khớp cơ quan nào"
    elif r.kind == "dissolved":
        css, title = "text-bg-danger", f"Không còn hoạt động: {r.explain()}"
    elif r.kind == "vague":
        css, title = "text-bg-warning", "Nhóm không cố định: tạm giao cơ quan tổng hợp"
    elif r.kind == "group":
        css, title = "text-bg-light border", f"Nhóm {len(r.members)} cơ quan"
    else:
        css, title = "text-bg-light border", r.agency.name
    count = f" ({len(r.members)})" if r.kind == "group" else ""
    return f'<span class="badge {css} me-1" title="{escape(title)}">{escape(r.name)}{count}</span>'


def _partner_badge(r) -> str:
    css = "text-bg-danger" if r.kind in _BAD else "text-bg-light border"
    title = f' title="{escape("Không còn hoạt động: " + r.explain())}"' if r.kind == "dissolved" else ""
    return f'<span class="badge {css} me-1"{title}>{escape(r.name)}</span>'


class Urls:
    """The review screen's addresses for one plan, reversed once per page."""

    def __init__(self, plan):
        self.task_base = reverse("plans:review", args=[plan.pk])
        self.mark = reverse("plans:mark_reviewed", args=[plan.pk])


def card(task, urls: Urls, *, basis_above: bool = False, saved: bool = False) -> str:
    """Needs task.lead_resolutions and task.coordinating_resolutions (review_views._annotate_names)."""
    lv = task.parse_level
    css = " border-danger" if task.needs_lead else (" border-warning" if lv.flagged else "")
    css += (" low-confidence" if lv.flagged else "") + (" reviewed" if task.reviewed_at else "")
    pk, ref = task.pk, escape(task.ref)
    if task.reviewed_at:
        mark = (f'<button class="btn btn-sm btn-success text-nowrap review-mark" type="button" hx-post="{urls.mark}" '
                f'hx-vals=\'{{"ids": "{pk}", "reviewed": "0"}}\' hx-target="#task-{pk}" hx-swap="outerHTML" '
                f'title="Bỏ đánh dấu (phím r)">✓ Đã rà soát</button>')
    else:
        mark = (f'<button class="btn btn-sm btn-outline-success text-nowrap review-mark" type="button" hx-post="{urls.mark}" '
                f'hx-vals=\'{{"ids": "{pk}", "reviewed": "1"}}\' hx-target="#task-{pk}" hx-swap="outerHTML" '
                f'title="Đánh dấu đã rà soát (phím r)">Đã rà soát</button>')
    facts = []
    if task.parse_confidence is not None:
        value = f"{task.parse_confidence:.2f}".replace(".", ",")
        facts.append(f'<span class="badge confidence confidence-{lv.code} me-1" title="Độ tin cậy khi đọc văn bản: '
                     f'{value} trên thang 0 – 1">{"Cần kiểm tra · " if lv.flagged else ""}{escape(lv.label)}</span>')
    facts.append('<span class="text-muted">Chủ trì:</span> ')
    facts.append("".join(_lead_badge(r) for r in task.lead_resolutions)
                 or '<span class="badge text-bg-danger">chưa có</span>')
    if task.coordinating_resolutions:
        facts.append('<span class="text-muted ms-2 text-nowrap">Phối hợp:</span> '
                     + "".join(_partner_badge(r) for r in task.coordinating_resolutions))
    if task.deadline_date or task.deadline_text:
        day = f"{task.deadline_date:%d/%m/%Y}" if task.deadline_date else ""
        facts.append(f'<span class="text-muted ms-2 text-nowrap">Thời hạn:</span> {day} {escape(task.deadline_text)}')
    facts += [f'<span class="badge text-bg-info ms-1">{escape(Truncator(t.get("text", "")).chars(40))}</span>'
              for t in task.targets]
    if task.parse_basis and not basis_above:
        facts.append(f'<span class="text-muted ms-2 parse-basis">Nhận ra theo: {escape(task.parse_basis)}</span>')
    if saved:
        facts.append('<span class="text-success ms-2">Đã lưu</span>')
    return mark_safe(
        f'<div class="card mb-2 task-card{css}" id="task-{pk}" data-task="{pk}" data-confidence="{lv.code}" tabindex="-1">'
        f'<div class="card-body p-2"><div class="d-flex gap-2 align-items-start">'
        f'<input class="form-check-input mt-1 task-select" type="checkbox" name="ids" value="{pk}" form="bulk" '
        f'aria-label="Chọn nhiệm vụ {ref}"><code class="text-nowrap">{ref}</code>'
        f'<div class="me-auto task-text">{escape(task.text)}</div>{mark}'
        f'<button class="btn btn-sm btn-outline-primary task-edit" hx-get="{urls.task_base}{pk}/" hx-target="#task-{pk}" '
        f'hx-swap="outerHTML" title="Sửa (phím e)">Sửa</button></div>'
        f'<div class="small mt-1">{"".join(facts)}</div></div></div>')
