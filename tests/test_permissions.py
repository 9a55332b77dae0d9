"""Every page, every role: who gets 200, who gets 403, who is sent to the login page."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from dondoc.accounts.roles import Role

ALL = set(Role.values)
ADMIN_ONLY = {Role.ADMIN}
DRAFTERS = {Role.ADMIN, Role.COORDINATOR}
OVERSIGHT = {Role.ADMIN, Role.LEADER, Role.COORDINATOR, Role.VIEWER}

# name -> (path builder, roles answered 200, method)
PAGES = {
    "web:home": (lambda o: "/", ALL),
    "orgs:search": (lambda o: "/co-quan/?q=so+ke+hoach", ALL),
    "orgs:detail": (lambda o: f"/co-quan/{o['skhdt'].pk}/", ALL),
    "accounts:password_change": (lambda o: "/tai-khoan/mat-khau/", ALL),
    "accounts:api_tokens": (lambda o: "/tai-khoan/token-api/", ALL),
    "accounts:two_factor_settings": (lambda o: "/tai-khoan/xac-thuc-hai-buoc/", ALL),
    "accounts:two_factor_enrol": (lambda o: "/tai-khoan/xac-thuc-hai-buoc/thiet-lap/", ALL),
    "admin:index": (lambda o: "/quan-tri/", ADMIN_ONLY),
    "admin:accounts_user_changelist": (lambda o: "/quan-tri/accounts/user/", ADMIN_ONLY),
    "admin:accounts_user_import": (lambda o: "/quan-tri/accounts/user/nhap-excel/", ADMIN_ONLY),
    "admin:orgs_agency_changelist": (lambda o: "/quan-tri/orgs/agency/", ADMIN_ONLY),
    "admin:orgs_agency_change": (lambda o: f"/quan-tri/orgs/agency/{o['skhdt'].pk}/change/", ADMIN_ONLY),
    "admin:orgs_agencygroup_changelist": (lambda o: "/quan-tri/orgs/agencygroup/", ADMIN_ONLY),
    "admin:audit_event_changelist": (lambda o: "/quan-tri/audit/event/", ADMIN_ONLY),
    "admin:accounts_apitoken_changelist": (lambda o: "/quan-tri/accounts/apitoken/", ADMIN_ONLY),
    "api:list_agencies": (lambda o: "/api/v1/agencies?q=so", ALL),
    "tracking:handover": (lambda o: f"/ban-giao/{o['skhdt'].pk}/", DRAFTERS),
    "api:handover_proposal": (lambda o: f"/api/v1/agencies/{o['skhdt'].pk}/handover", DRAFTERS),
    "orgs:suggest": (lambda o: "/co-quan/goi-y/?q=y+te", ALL),
    "plans:list": (lambda o: "/ke-hoach/", ALL),
    "plans:upload": (lambda o: "/ke-hoach/tai-len/", DRAFTERS),
    "plans:job": (lambda o: f"/ke-hoach/tai-len/{o['job'].pk}/", DRAFTERS),
    "plans:detail": (lambda o: f"/ke-hoach/{o['published'].pk}/", ALL),
    "plans:tasks": (lambda o: f"/ke-hoach/{o['published'].pk}/nhiem-vu/", ALL),
    "plans:task": (lambda o: f"/ke-hoach/{o['published'].pk}/nhiem-vu/{o['published'].tasks.first().pk}/", ALL),
    "plans:links": (lambda o: f"/ke-hoach/{o['child'].pk}/lien-ket/", ALL),
    "plans:review": (lambda o: f"/ke-hoach/{o['draft'].pk}/ra-soat/", DRAFTERS),
    "plans:review_task": (lambda o: f"/ke-hoach/{o['draft'].pk}/ra-soat/{o['draft'].tasks.first().pk}/", DRAFTERS),
    "api:list_plans": (lambda o: "/api/v1/plans", ALL),
    "api:get_plan": (lambda o: f"/api/v1/plans/{o['published'].pk}", ALL),
    "api:list_tasks": (lambda o: f"/api/v1/plans/{o['published'].pk}/tasks", ALL),
    "api:get_job": (lambda o: f"/api/v1/jobs/{o['job'].pk}", DRAFTERS),
    "api:tasks_xlsx": (lambda o: f"/api/v1/plans/{o['published'].pk}/tasks.xlsx", ALL),
    "plans:export_xlsx": (lambda o: f"/ke-hoach/{o['published'].pk}/danh-muc.xlsx", ALL),
    "plans:import_xlsx": (lambda o: "/ke-hoach/nhap-excel/", DRAFTERS),
    "plans:reimport_xlsx": (lambda o: f"/ke-hoach/{o['published'].pk}/nhap-excel/", DRAFTERS),
    "dashboard:overview": (lambda o: "/tong-hop/", OVERSIGHT),
    "dashboard:plan": (lambda o: f"/tong-hop/ke-hoach/{o['published'].pk}/?ngay=2024-06-01&ky=nam", OVERSIGHT),
    "dashboard:plan_data": (lambda o: f"/tong-hop/ke-hoach/{o['published'].pk}/so-lieu.json", OVERSIGHT),
    "dashboard:urging": (lambda o: f"/tong-hop/ke-hoach/{o['published'].pk}/don-doc/", DRAFTERS),
    "dashboard:ranking": (lambda o: "/tong-hop/xep-hang/?tu=2024-01-01&den=2024-12-31", ALL),
    "dashboard:ranking_xlsx": (lambda o: "/tong-hop/xep-hang.xlsx", ALL),
    "dashboard:agency": (lambda o: "/tong-hop/co-quan/", {Role.HEAD, Role.FOCAL}),
    "dashboard:agency_of": (lambda o: f"/tong-hop/co-quan/{o['stc'].pk}/", ALL),  # the users' own agency
    "api:plan_summary": (lambda o: f"/api/v1/plans/{o['published'].pk}/summary", OVERSIGHT),
    "api:province_summary": (lambda o: "/api/v1/summary", OVERSIGHT),
    "api:rankings": (lambda o: "/api/v1/rankings", ALL),
}
# POST-only actions: who may do them (checked in test_post_actions).
ACTIONS = {
    "plans:publish": (lambda o: f"/ke-hoach/{o['draft'].pk}/ban-hanh/", DRAFTERS),
    "plans:delete_task": (lambda o: f"/ke-hoach/{o['draft'].pk}/ra-soat/{o['draft'].tasks.first().pk}/xoa/", DRAFTERS),
    "plans:split_task": (lambda o: f"/ke-hoach/{o['draft'].pk}/ra-soat/{o['draft'].tasks.first().pk}/tach/", DRAFTERS),
    "plans:merge_task": (lambda o: f"/ke-hoach/{o['draft'].pk}/ra-soat/{o['draft'].tasks.first().pk}/gop/", DRAFTERS),
    "plans:add_task": (lambda o: f"/ke-hoach/{o['draft'].pk}/ra-soat/{o['draft'].tasks.first().pk}/them/", DRAFTERS),
    "plans:move_task": (lambda o: f"/ke-hoach/{o['draft'].pk}/ra-soat/{o['draft'].tasks.first().pk}/chuyen-muc/", DRAFTERS),
    "plans:map_name": (lambda o: f"/ke-hoach/{o['draft'].pk}/ra-soat/ten-co-quan/", DRAFTERS),
    "plans:create_agency_for_name": (lambda o: f"/ke-hoach/{o['draft'].pk}/ra-soat/ten-co-quan/tao/", DRAFTERS),
    "plans:drop_name": (lambda o: f"/ke-hoach/{o['draft'].pk}/ra-soat/ten-co-quan/bo/", DRAFTERS),
    "plans:edit_header": (lambda o: f"/ke-hoach/{o['draft'].pk}/ra-soat/thong-tin/", DRAFTERS),
    "plans:discard": (lambda o: f"/ke-hoach/{o['draft'].pk}/ra-soat/bo/", DRAFTERS),
    "plans:undo": (lambda o: f"/ke-hoach/{o['draft'].pk}/ra-soat/hoan-tac/", DRAFTERS),
    "plans:mark_reviewed": (lambda o: f"/ke-hoach/{o['draft'].pk}/ra-soat/da-ra-soat/", DRAFTERS),
    "plans:merge_selected": (lambda o: f"/ke-hoach/{o['draft'].pk}/ra-soat/gop/", DRAFTERS),
    "plans:add_from_source": (lambda o: f"/ke-hoach/{o['draft'].pk}/ra-soat/them-tu-van-ban/", DRAFTERS),
    "plans:add_section": (lambda o: f"/ke-hoach/{o['draft'].pk}/ra-soat/muc/", DRAFTERS),
    "plans:edit_section": (lambda o: f"/ke-hoach/{o['draft'].pk}/ra-soat/muc/{o['draft'].sections.first().pk}/", DRAFTERS),
    "plans:amend_header": (lambda o: f"/ke-hoach/{o['published'].pk}/sua-doi/", DRAFTERS),
    "api:import_plan": (lambda o: "/api/v1/plans/import", DRAFTERS),
    "api:publish_plan": (lambda o: f"/api/v1/plans/{o['draft'].pk}/publish", DRAFTERS),
    "plans:job_restart": (lambda o: f"/ke-hoach/tai-len/{o['job'].pk}/chay-lai/", DRAFTERS),
    "api:restart_job": (lambda o: f"/api/v1/jobs/{o['job'].pk}/restart", DRAFTERS),
    "tracking:undo_handover": (lambda o: "/ban-giao/hoan-tac/999999/", DRAFTERS),
}
# Pages open to everyone, and routes that are not pages (POST-only, the API schema, HTMX fragments of a page above).
PUBLIC = {"accounts:login", "accounts:two_factor", "api:openapi-json", "api:openapi-view"}  # the code step: login flow
# api:apply_handover reads a JSON body: its matrix is tests/api/test_permissions.py's (OPS), with a bearer token.
NOT_PAGES = {"accounts:logout", "api:api-root", "api:apply_handover", *ACTIONS}
# Tracking pages and actions have their own matrix (agency roles split into lead, partner and unrelated agencies).
from tests.api.test_tracking import API_ROUTES as _TRACKING_API  # noqa: E402
from tests.tracking.test_permissions import ACTIONS as _TRACKING_ACTIONS, PAGES as _TRACKING_PAGES  # noqa: E402

from tests.targets.test_permissions import ROUTES as _TARGET_ROUTES  # noqa: E402

from tests.dashboard.test_views import ROUTES as _DASHBOARD_ROUTES  # noqa: E402
from tests.notify.test_permissions import ROUTES as _NOTIFY_ROUTES  # noqa: E402  (notify has its own matrix)
from tests.reports.test_permissions import ROUTES as _REPORT_ROUTES  # noqa: E402

NOT_PAGES |= _TARGET_ROUTES | _DASHBOARD_ROUTES | _NOTIFY_ROUTES
NOT_PAGES |= _REPORT_ROUTES
NOT_PAGES |= set(_TRACKING_PAGES) | {f"tracking:{name}" for name in _TRACKING_ACTIONS} | _TRACKING_API  # api-root is ninja's reverse() anchor, it answers 404


@pytest.fixture
def objects(orgs, users):
    from tests.plans.conftest import make_structure

    from dondoc.plans import actions
    from dondoc.plans.models import Job

    published = actions.do_publish_plan(actions.import_structure(make_structure(), user=users[Role.COORDINATOR]))
    draft = actions.import_structure(make_structure(document={"number": "13/KH-UBND", "date": "2024-06-01"}),
                                     user=users[Role.COORDINATOR])
    job = Job.objects.create(created_by=users[Role.COORDINATOR], upload_name="x.txt")
    from dondoc.plans.models import Plan

    # An agency's implementation plan of the published one (issue 19): any reader of plans reads its links.
    child = Plan.objects.create(number="14/KH-STC", status="published", parent=published, owner=orgs["stc"])
    return {**orgs, "published": published, "draft": draft, "job": job, "child": child}


def _named_routes(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            if entry.namespace == "admin":
                continue  # the admin is checked through its own pages below and by DondocAdminSite
            yield from _named_routes(entry, ns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield prefix + entry.name


def test_every_named_route_is_in_the_permission_table():
    missing = set(_named_routes()) - set(PAGES) - PUBLIC - NOT_PAGES
    assert not missing, f"add these routes to PAGES with the roles that may open them: {sorted(missing)}"


@pytest.mark.parametrize("name", sorted(PAGES))
def test_each_role(client, users, objects, name):
    build, allowed = PAGES[name]
    url = build(objects)
    for role, user in users.items():
        client.force_login(user)
        response = client.get(url)
        expected = 200 if role in allowed else 403
        assert response.status_code == expected, f"{role} on {url}: {response.status_code}"
        client.logout()


@pytest.mark.parametrize("name", sorted(PAGES))
def test_anonymous(client, objects, name):
    build, _ = PAGES[name]
    url = build(objects)
    response = client.get(url)
    if name.startswith("api:"):
        assert response.status_code == 401
    else:
        assert response.status_code == 302 and response.url.startswith("/dang-nhap/")


def test_deactivated_user_is_treated_as_anonymous(client, users):
    user = users[Role.COORDINATOR]
    client.force_login(user)
    user.is_active = False
    user.save()
    assert client.get("/").status_code == 302


def test_unknown_url_answers_a_vietnamese_404(client, users):
    client.force_login(users[Role.FOCAL])
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


def test_forbidden_page_is_a_vietnamese_403(client, users):
    client.force_login(users[Role.FOCAL])
    response = client.get("/quan-tri/")
    assert response.status_code == 403
    assert "Không có quyền truy cập" in response.content.decode()


def test_unknown_agency_is_404(client, users):
    client.force_login(users[Role.FOCAL])
    assert client.get("/co-quan/999999/").status_code == 404


def test_navigation_by_role(client, users):
    client.force_login(users[Role.ADMIN])
    assert 'href="/quan-tri/"' in client.get("/").content.decode()
    client.force_login(users[Role.FOCAL])
    assert 'href="/quan-tri/"' not in client.get("/").content.decode()


@pytest.mark.parametrize("name", sorted(ACTIONS))
def test_post_actions_refuse_other_roles(client, users, objects, name):
    """Roles outside the table get 403 and nothing changes; anonymous callers are sent to log in (401 for the API)."""
    from dondoc.plans.models import Job, Plan

    build, allowed = ACTIONS[name]
    url = build(objects)
    before = (Plan.objects.filter(status="draft").count(), Job.objects.count(), objects["draft"].tasks.count())
    for role, user in users.items():
        if role in allowed:
            continue
        client.force_login(user)
        assert client.post(url).status_code == 403, f"{role} on {url}"
        client.logout()
    anonymous = client.post(url).status_code
    assert anonymous == (401 if name.startswith("api:") else 302)
    assert (Plan.objects.filter(status="draft").count(), Job.objects.count(), objects["draft"].tasks.count()) == before
