from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from dondoc.core import clock
from dondoc.core.permissions import login_required

from dondoc.tracking.access import COORDINATORS

from .lookup import search_agencies, search_groups
from .models import Agency, AgencyKind

PAGE_SIZE = 50


@login_required
def search(request):
    """Agencies are public organisation data: every signed-in role may look them up."""
    q = request.GET.get("q", "").strip()[:200]
    kind = request.GET.get("kind", "")
    qs = Agency.objects.all()
    if kind in AgencyKind.values:
        qs = qs.filter(kind=kind)
    agencies = search_agencies(q, qs)
    page = Paginator(agencies, PAGE_SIZE).get_page(request.GET.get("page"))
    _attach_successors(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "q": q,
        "query": query.urlencode(),
        "kind": kind,
        "kinds": AgencyKind.choices,
        "page": page,
        "groups": search_groups(q) if q else [],
        "today": clock.today(),
    }
    template = "orgs/_results.html" if request.htmx else "orgs/search.html"
    return render(request, template, context)


def _attach_successors(agencies):
    """One query for every listed agency's successors (no N+1)."""
    from .models import Succession

    ids = [a.pk for a in agencies]
    links = {}
    for link in Succession.objects.filter(predecessor_id__in=ids).select_related("successor").order_by("date", "successor__sort_key"):
        links.setdefault(link.predecessor_id, []).append(link)
    for agency in agencies:
        agency.successor_links = links.get(agency.pk, [])


@login_required
def detail(request, pk: int):
    agency = get_object_or_404(Agency.objects.select_related("parent"), pk=pk)
    _attach_successors([agency])
    context = {
        "agency": agency,
        "predecessors": agency.predecessors.order_by("sort_key"),
        "groups": agency.agency_groups.order_by("sort_key"),
        "children": agency.children.order_by("sort_key"),
        "today": clock.today(),
        "can_hand_over": agency.valid_to is not None and request.user.role in COORDINATORS,
    }
    return render(request, "orgs/detail.html", context)


@login_required
def suggest(request):
    """Names for the agency picker: agencies (with their id; those gone, or not yet created, on `ngay` — a plan's date,
    today by default — marked) and groups, accent-insensitive."""
    import datetime as dt

    from django.http import JsonResponse

    q = request.GET.get("q", "").strip()[:200]
    try:
        on = dt.date.fromisoformat(request.GET.get("ngay", ""))
    except ValueError:
        on = clock.today()
    items = []
    if q:
        items = [{"id": a.pk, "name": a.name, "kind": "agency", "code": a.code, "dissolved": a.is_dissolved_on(on),
                  "active": a.is_active_on(on)} for a in search_agencies(q)[:15]]
        items += [{"name": g.name, "kind": "group", "code": g.code, "dissolved": False} for g in search_groups(q)[:5]]
    return JsonResponse({"count": len(items), "items": items})
