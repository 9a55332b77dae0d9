"""Dashboards (plan, province, agency), the agency ranking and its Excel export, the urging letter.

Thin views over dashboard/figures.py; the numbers are the API's (api/dashboard.py)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.urls import reverse

from dondoc.accounts.roles import AGENCY_ROLES
from dondoc.audit import DOCX, XLSX, attachment
from dondoc.core import clock
from dondoc.core.permissions import attempt_for_page, login_required, role_required
from dondoc.orgs.models import Agency
from dondoc.plans.models import Plan, PlanStatus
from dondoc.plans.queries import plan_for_user_or_404
from dondoc.reports import periods
from dondoc.reports.ranking import agency_ranking
from dondoc.reports.urging import LetterForm, do_record_letter, issuer_of, letter_docx, overdue_by_agency
from dondoc.tracking import spans
from dondoc.tracking.access import COORDINATORS, SEE_ALL
from dondoc.tracking.status import Status

from . import figures

LISTED = 15  # rows of the overdue and coming-due lists on a dashboard; the task list has them all
PERIODS = (("", "Toàn bộ kế hoạch"), ("thang", "Tháng này"), ("quy", "Quý này"), ("nam", "Năm nay"),
           ("tuy-chon", "Tùy chọn"))


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


class Filters:
    """The as-of day (never after today) and the period whose deadlines are counted, from the query string."""

    def __init__(self, request):
        g = request.GET
        today = clock.today()
        asked = _date(g.get("ngay"))
        self.errors = []
        if g.get("ngay") and asked is None:
            self.errors.append("Ngày xem số liệu không hợp lệ; đang hiển thị số liệu hôm nay.")
        if asked and asked > today:
            self.errors.append("Số liệu chỉ có đến hôm nay; đang hiển thị số liệu hôm nay.")
            asked = None
        self.day = asked or today
        self.as_of_given = asked is not None and asked != today
        self.period = g.get("ky", "") if g.get("ky", "") in dict(PERIODS) else ""
        self.due_from = self.due_to = None
        if self.period in ("thang", "quy", "nam"):
            kind = {"thang": periods.MONTHLY, "quy": periods.QUARTERLY, "nam": periods.ANNUAL}[self.period]
            self.due_from, self.due_to = periods.calendar_span(kind, self.day)
        elif self.period == "tuy-chon":
            self.due_from, self.due_to = _date(g.get("tu")), _date(g.get("den"))
            if self.due_from and self.due_to and self.due_from > self.due_to:
                self.errors.append("Khoảng thời hạn không hợp lệ: ngày bắt đầu sau ngày kết thúc.")
                self.due_from = self.due_to = None

    def query(self, **extra) -> str:
        params = {}
        if self.as_of_given:
            params["ngay"] = self.day.isoformat()
        if self.period:
            params["ky"] = self.period
        if self.period == "tuy-chon":
            params.update({"tu": self.due_from.isoformat() if self.due_from else "",
                           "den": self.due_to.isoformat() if self.due_to else ""})
        params.update({k: v for k, v in extra.items() if v not in (None, "")})
        return urlencode(params)


def _published(request, pk) -> Plan:
    plan = plan_for_user_or_404(request.user, pk)
    if plan.status != PlanStatus.PUBLISHED:
        raise Http404
    return plan


def _task_list_url(plan: Plan, f: Filters, codes, **extra) -> str:
    base = getattr(plan, "_tasks_url", None) or reverse("plans:tasks", args=[plan.pk])
    plan._tasks_url = base  # hundreds of figures link to the same list
    params = {"trang_thai": ",".join(codes), "ngay": f.day.isoformat()}
    if f.due_from:
        params["due_from"] = f.due_from.isoformat()
    if f.due_to:
        params["due_to"] = f.due_to.isoformat()
    params.update({k: v for k, v in extra.items() if v})
    return base + "?" + urlencode(params)


def _cards(plan, f, counts, **extra):
    """The four official figures as (label, number, css, link to the filtered task list)."""
    return [{"key": key, "label": label, "n": sum(counts[c] for c in codes), "css": css,
             "url": _task_list_url(plan, f, codes, **extra)} for key, label, codes, css in figures.OFFICIAL]


@role_required(*SEE_ALL)
def overview(request):
    f = Filters(request)
    province = figures.province_summary(f.day, f.due_from, f.due_to)
    start, end = figures.default_window(f.day)
    ranking = agency_ranking(start, end, today=f.day)
    # The full ranking as the widget counts it: the same window, as of the same day.
    full = {"tu": start.isoformat(), "den": end.isoformat(), **({"ngay": f.day.isoformat()} if f.as_of_given else {})}
    return render(request, "dashboard/overview.html", {
        "f": f, "periods": PERIODS, "s": province, "ranking": ranking["items"][:10], "official": figures.OFFICIAL,
        "ranking_query": urlencode(full),
        "plans": Plan.objects.in_bulk([row["plan"]["id"] for row in province["by_plan"]])})


@role_required(*SEE_ALL)
def plan_dashboard(request, pk: int):
    plan = _published(request, pk)
    f = Filters(request)
    for e in f.errors:
        messages.warning(request, e)
    can_urge = request.user.role in COORDINATORS
    # The body is the same for every reader until a status changes: rendered once per status version.
    body = spans.memoised("plan-page", plan.pk, f.query(), f.day, can_urge, clock.today(),
                          compute=lambda: _plan_body(request, plan, f, can_urge))
    # Outside the memo: a link fixed in review moves no status version. Only once an agency has published its plan
    # carrying this one out (issue 19; the consolidated report says it on the same condition): a plan without any
    # pays nothing for it on its most opened page.
    from dondoc.plans.cascade import coverage

    found = coverage(plan) if plan.parent_id is None and plan.children.filter(status="published").exists() else None
    for item in (found or {}).get("items", []):  # the tree: each agency's plan with its own figures
        item["figures"] = figures.summary(item["plan"], f.day)
    return render(request, "dashboard/plan.html", {"plan": plan, "body": mark_safe(body), "coverage": found})


def _plan_body(request, plan, f, can_urge) -> str:
    s = figures.summary(plan, f.day, f.due_from, f.due_to)
    window = {k: v for k, v in (("due__gte", f.due_from), ("due__lte", f.due_to)) if v}
    n_overdue, overdue = figures.overdue_tasks(f.day, limit=LISTED, plan_id=plan.pk, **window)
    n_coming, coming = figures.coming_due_tasks(f.day, days=30, limit=LISTED, plan_id=plan.pk)
    sections = [{**row, "cards": _cards(plan, f, row, section=row["ref"])} for row in s["by_section"]]
    agencies = [{**row, "cards": _cards(plan, f, row, agency=row["agency"]["id"])} for row in s["by_agency"]]
    return render_to_string("dashboard/_plan_body.html", {
        "plan": plan, "f": f, "periods": PERIODS, "s": s, "cards": _cards(plan, f, s), "sections": sections,
        "agencies": agencies, "overdue": overdue, "n_overdue": n_overdue, "coming": coming, "n_coming": n_coming,
        "more_coming": n_coming - len(coming),
        "overdue_url": _task_list_url(plan, f, ["overdue"]), "data_url": reverse("dashboard:plan_data", args=[plan.pk]) + "?" + f.query(),
        "can_urge": can_urge, "today": clock.today()}, request=request)


@role_required(*SEE_ALL)
def plan_data(request, pk: int):
    """The charts' data (Chart.js draws them in the page): the same figures as the page."""
    plan = _published(request, pk)
    f = Filters(request)
    s = figures.summary(plan, f.day, f.due_from, f.due_to)
    top = sorted(s["by_agency"], key=lambda r: -r["total"])[:15]
    return JsonResponse({
        "as_of": f.day.isoformat(),
        "status": {"labels": [Status(k).label for k in figures.KEYS], "codes": list(figures.KEYS),
                   "values": [s[k] for k in figures.KEYS]},
        "agencies": {"labels": [r["agency"]["name"] for r in top],
                     "series": [{"code": k, "label": Status(k).label, "values": [r[k] for r in top]} for k in figures.KEYS]},
        "progress": figures.progress_by_month(plan, f.day),
    })


def _ranking_window(request):
    """The deadlines ranked (tu, den: this year by default) and the day they are counted on (ngay: today by
    default, a day before a hand-over to rank by the structure of then)."""
    start, end = figures.default_window()
    date_from, date_to = _date(request.GET.get("tu")) or start, _date(request.GET.get("den")) or end
    if date_from > date_to:
        messages.warning(request, "Khoảng thời gian không hợp lệ: đang hiển thị năm nay.")
        date_from, date_to = start, end
    day = min(_date(request.GET.get("ngay")) or clock.today(), clock.today())
    return date_from, date_to, day


SORTS = {"hang": lambda r: (r["rank"],), "ty-le": lambda r: (r["on_time_rate"] is None, -(r["on_time_rate"] or 0)),
         "qua-han": lambda r: (-r["overdue"],), "bao-cao-muon": lambda r: (-r["late_reports"],),
         "ten": lambda r: (r["agency"]["name"],)}


@login_required
def ranking(request):
    date_from, date_to, day = _ranking_window(request)
    result = agency_ranking(date_from, date_to, today=day)
    sort = request.GET.get("sap-xep", "hang")
    items = sorted(result["items"], key=SORTS.get(sort, SORTS["hang"]))
    query = {"tu": date_from.isoformat(), "den": date_to.isoformat()}
    if day != clock.today():
        query["ngay"] = day.isoformat()
    return render(request, "dashboard/ranking.html", {
        "r": result, "items": items, "sort": sort, "date_from": date_from, "date_to": date_to, "day": day,
        "query": urlencode(query),
        "mine": request.user.agency_id if request.user.role in AGENCY_ROLES else None})


@login_required
def ranking_xlsx(request):
    from .excel import ranking_workbook

    date_from, date_to, day = _ranking_window(request)
    data = ranking_workbook(agency_ranking(date_from, date_to, today=day))
    return attachment(request, None, data, f"xep-hang-co-quan-{date_from:%Y%m%d}-{date_to:%Y%m%d}.xlsx", XLSX, "ranking.xlsx")


@role_required(*AGENCY_ROLES)
def my_agency(request):
    if not request.user.agency_id:
        raise Http404
    return agency_dashboard(request, request.user.agency_id)


@login_required
def agency_dashboard(request, agency_id: int):
    """An agency's figures and rank: its own people, and the oversight roles for any agency (others: 404)."""
    user = request.user
    if user.role not in SEE_ALL and agency_id != user.agency_id:
        raise Http404
    agency = get_object_or_404(Agency, pk=agency_id)
    f = Filters(request)
    start, end = figures.default_window(f.day)
    ranking = agency_ranking(start, end, today=f.day)
    mine = next((r for r in ranking["items"] if r["agency"]["id"] == agency.pk), None)
    counts = figures.agency_summary(agency.pk, f.day)
    n_overdue, overdue = figures.overdue(f.day, limit=50, agency_id=agency.pk)
    n_coming, coming = figures.coming_due(f.day, days=30, limit=50, agency_id=agency.pk)
    return render(request, "dashboard/agency.html", {
        "agency": agency, "f": f, "s": counts, "official": figures.OFFICIAL, "rank": mine, "ranked": ranking["count"],
        "window": (start, end), "overdue": overdue, "n_overdue": n_overdue, "coming": coming, "n_coming": n_coming,
        "own": user.agency_id == agency.pk and user.role in AGENCY_ROLES})


# --- Urging letter (văn bản đôn đốc) ------------------------------------------------------------------------

@role_required(*COORDINATORS)
def urging(request, pk: int):
    plan = _published(request, pk)
    day = clock.today()
    issuer = issuer_of(plan, request.user)
    by_agency = overdue_by_agency(plan, day, issuer)
    form = LetterForm(request.POST or None, agencies=by_agency, issuer=issuer)
    error, status = "", 200
    if request.method == "POST" and not form.is_valid():
        status = 400
    elif request.method == "POST":
        chosen = {a: rows for a, rows in by_agency.items() if str(a.pk) in form.cleaned_data["agencies"]}
        data = letter_docx(plan, chosen, form.letter(), day, issuer=issuer)
        if "ghi-nhan" not in request.POST:
            return attachment(request, plan, data, f"van-ban-don-doc-{plan.pk}-{day:%Y%m%d}.docx", DOCX, "urging.docx")
        outcome = attempt_for_page(do_record_letter, plan, request.user, chosen, form.letter(), data, day, issuer,
                                   request=request)
        if not outcome.error:
            letter, recorded = outcome.value
            if recorded:
                messages.success(request, f"Đã ghi nhận văn bản đôn đốc số {letter.number} gửi {len(chosen)} cơ quan; "
                                          "các cơ quan đã được thông báo.")
            else:  # the same letter sent twice: nothing new, nobody told again
                messages.info(request, f"Văn bản đôn đốc số {letter.number} đã được ghi nhận trước đó; không ghi "
                                       "nhận lại, không thông báo lại.")
            return redirect("dashboard:urging", pk=plan.pk)
        error, status = outcome.error, outcome.status
    from .models import UrgingLetter

    return render(request, "dashboard/urging.html", {
        "plan": plan, "form": form, "by_agency": by_agency, "day": day, "issuer": issuer, "error": error,
        "sent": UrgingLetter.objects.filter(plan=plan).select_related("created_by").prefetch_related("agencies")[:20]},
        status=status)


@role_required(*COORDINATORS)
def urging_file(request, pk: int, letter_pk: int):
    from .models import UrgingLetter

    letter = get_object_or_404(UrgingLetter, pk=letter_pk, plan_id=pk)
    return attachment(request, letter, letter.file.read(), f"van-ban-don-doc-{letter.pk}.docx", DOCX, "urging.docx")
