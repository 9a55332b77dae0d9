"""Every page, every role: who gets 200, who gets 403, who is sent to the login page."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from dondoc.accounts.roles import Role

ALL = set(Role.values)
ADMIN_ONLY = {Role.ADMIN}

# name -> (path builder, roles answered 200, method)
PAGES = {
    "core:home": (lambda o: "/", ALL),
    "orgs:search": (lambda o: "/co-quan/?q=so+ke+hoach", ALL),
    "orgs:detail": (lambda o: f"/co-quan/{o['skhdt'].pk}/", ALL),
    "accounts:password_change": (lambda o: "/tai-khoan/mat-khau/", ALL),
    "admin:index": (lambda o: "/quan-tri/", ADMIN_ONLY),
    "admin:accounts_user_changelist": (lambda o: "/quan-tri/accounts/user/", ADMIN_ONLY),
    "admin:accounts_user_import": (lambda o: "/quan-tri/accounts/user/nhap-excel/", ADMIN_ONLY),
    "admin:orgs_agency_changelist": (lambda o: "/quan-tri/orgs/agency/", ADMIN_ONLY),
    "admin:orgs_agency_change": (lambda o: f"/quan-tri/orgs/agency/{o['skhdt'].pk}/change/", ADMIN_ONLY),
    "admin:orgs_agencygroup_changelist": (lambda o: "/quan-tri/orgs/agencygroup/", ADMIN_ONLY),
    "admin:audit_event_changelist": (lambda o: "/quan-tri/audit/event/", ADMIN_ONLY),
    "admin:accounts_apitoken_changelist": (lambda o: "/quan-tri/accounts/apitoken/", ADMIN_ONLY),
    "api:list_agencies": (lambda o: "/api/v1/agencies?q=so", ALL),
}
# Pages open to everyone, and routes that are not pages (POST-only, the API schema, HTMX fragments of a page above).
PUBLIC = {"accounts:login", "api:openapi-json", "api:openapi-view"}
NOT_PAGES = {"accounts:logout", "api:api-root"}  # api-root is ninja's reverse() anchor, it answers 404


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
def test_each_role(client, users, orgs, name):
    build, allowed = PAGES[name]
    url = build(orgs)
    for role, user in users.items():
        client.force_login(user)
        response = client.get(url)
        expected = 200 if role in allowed else 403
        assert response.status_code == expected, f"{role} on {url}: {response.status_code}"
        client.logout()


@pytest.mark.parametrize("name", sorted(PAGES))
def test_anonymous(client, orgs, name):
    build, _ = PAGES[name]
    url = build(orgs)
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
