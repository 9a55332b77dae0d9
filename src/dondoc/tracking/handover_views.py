"""The coordinator's hand-over page (issue 18): a dissolved agency's open assignments, each with its proposed
successor, changed where needed and applied in one transaction; the hand-overs made, undone the same day."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from dondoc.core import clock
from dondoc.core.permissions import attempt_for_page, role_required
from dondoc.orgs.models import Agency

from . import access, handover
from .models import HandOver

# The value of a row's choice: the proposal, every successor, none (the assignment stays), or one successor's id.
PROPOSAL, EVERY, NONE = "p", "all", "none"


def _effective(request, agency: Agency) -> dt.date | None:
    raw = request.POST.get("effective") or request.GET.get("ngay") or ""
    try:
        return dt.date.fromisoformat(raw) if raw else handover.default_effective(agency)
    except ValueError:
        return None


@role_required(*access.COORDINATORS)
def handover_page(request, agency_pk: int):
    agency = get_object_or_404(Agency, pk=agency_pk)
    effective = _effective(request, agency)
    if effective is None:
        messages.error(request, "Ngày bàn giao không hợp lệ: dùng dạng YYYY-MM-DD.")
        effective = handover.default_effective(agency)
    day = effective or clock.today()
    proposal = handover.propose(agency, day) if agency.valid_to else []
    every = handover.successors(agency, day) if agency.valid_to else []
    if request.method == "POST":
        return _apply(request, agency, effective, proposal, every)
    done = list(HandOver.objects.filter(agency=agency).select_related("applied_by")
                .annotate(moved=Count("items__old", distinct=True)).order_by("-prepared_at", "-pk")[:20])
    for h in done:
        h.chosen = sum(1 for v in h.choices.values() if v)  # what a schedule will move
    context = {
        "agency": agency, "effective": effective, "proposal": proposal, "successors": every,
        "main": handover.main_successor(agency, day) if agency.valid_to else None,
        "undecided": sum(1 for p in proposal if not p.successors),
        "scheduled": handover.scheduled_of(agency),
        "done": done,
        "today": clock.today(), "PROPOSAL": PROPOSAL, "EVERY": EVERY, "NONE": NONE,
    }
    return render(request, "tracking/handover.html", context)


def _apply(request, agency, effective, proposal, every):
    ids = {str(s.pk): s.pk for s in every}
    choices, left = {}, 0
    for p in proposal:
        # Only the rows changed from the proposal are sent (dondoc.js): thousands of rows stay under the form limits.
        value = request.POST.get(f"to-{p.assignment.pk}", PROPOSAL)
        chosen = ([s.pk for s in p.successors] if value == PROPOSAL else [s.pk for s in every] if value == EVERY
                  else [] if value == NONE else [ids[value]] if value in ids else None)
        if chosen is None:
            messages.error(request, "Lựa chọn cơ quan kế thừa không hợp lệ: hãy tải lại trang.")
            return redirect("tracking:handover", agency_pk=agency.pk)
        if chosen:
            choices[p.assignment.pk] = chosen
        else:
            left += 1
    accounts = request.POST.get("accounts", "move")
    accounts_to = Agency.objects.filter(pk=ids.get(request.POST.get("accounts_to", ""), 0)).first()
    if not choices:
        messages.error(request, "Chưa có nhiệm vụ nào được chọn cơ quan kế thừa.")
        return redirect("tracking:handover", agency_pk=agency.pk)
    outcome = attempt_for_page(handover.do_hand_over, agency, request.user, effective=effective, choices=choices,
                               accounts=accounts, accounts_to=accounts_to, request=request)
    if outcome.error:
        messages.error(request, outcome.error)
    else:
        said = (f"Đã lên lịch bàn giao {len(choices)} nhiệm vụ của {agency.name} từ ngày {effective:%d/%m/%Y}: hệ thống "
                "tự áp dụng vào ngày đó, đến khi đó có thể hủy lịch." if outcome.value.state == HandOver.State.SCHEDULED
                else f"Đã bàn giao {len(choices)} nhiệm vụ của {agency.name} từ ngày {effective:%d/%m/%Y}.")
        messages.success(request, said + (f" {left} nhiệm vụ chưa chọn cơ quan kế thừa vẫn giữ nguyên." if left else ""))
    return redirect("tracking:handover", agency_pk=agency.pk)


@require_POST
@role_required(*access.COORDINATORS)
def undo_handover(request, pk: int):
    done = get_object_or_404(HandOver.objects.select_related("agency"), pk=pk)
    outcome = attempt_for_page(handover.do_undo_hand_over, done, request.user, request=request)
    if outcome.error:
        messages.error(request, outcome.error)
    elif outcome.value.state == HandOver.State.CANCELLED:
        messages.success(request, f"Đã hủy lịch bàn giao từ ngày {done.effective:%d/%m/%Y} của {done.agency.name}.")
    else:
        messages.success(request, f"Đã hoàn tác lần bàn giao ngày {done.effective:%d/%m/%Y} của {done.agency.name}.")
    return redirect("tracking:handover", agency_pk=done.agency_id)
