import pytest

from dondoc.accounts.roles import Role

PASSWORD = "mat-khau-thu-nghiem-2024"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Argon2 is deliberately slow; tests that are about hashing check the production setting directly.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Figures are memoised under the status version, which every test's rollback takes back to the same number.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True, scope="session")
def _flush_past_the_audit_guard():
    """The audit table refuses DELETE and TRUNCATE (audit/migrations/_triggers.py), and Django empties the test
    database with one of them between transactional tests: its flush, and only it, lifts the guard and puts it back."""
    from django.db import connection

    from dondoc.audit.migrations._triggers import FLUSH_AFTER, FLUSH_BEFORE

    ops = type(connection.ops)
    original = ops.sql_flush

    def sql_flush(self, style, tables, **kwargs):
        statements = original(self, style, tables, **kwargs)
        if "audit_event" not in tables or not statements:
            return statements
        vendor = self.connection.vendor
        return [*FLUSH_BEFORE.get(vendor, []), *statements, *FLUSH_AFTER.get(vendor, [])]

    ops.sql_flush = sql_flush
    yield
    ops.sql_flush = original


@pytest.fixture
def orgs(db):
    """The Tuyên Quang organisation fixture, as `make run` loads it."""
    from dondoc.orgs.loader import load_orgs

    load_orgs()
    from dondoc.orgs.models import Agency

    return {a.code: a for a in Agency.objects.all()}


@pytest.fixture
def make_user(db):
    from dondoc.accounts.models import User

    def make(username, role=Role.VIEWER, agency=None, password=PASSWORD, **extra):
        user = User(username=username, role=role, agency=agency, **extra)
        user.set_password(password)
        user.save()
        return user

    return make


@pytest.fixture
def users(orgs, make_user):
    """One account per role; the agency people belong to Sở Tài chính."""
    return {
        Role.ADMIN: make_user("qt", Role.ADMIN),
        Role.LEADER: make_user("ld", Role.LEADER, orgs["ubnd-tinh"]),
        Role.COORDINATOR: make_user("th", Role.COORDINATOR, orgs["skhdt"]),
        Role.HEAD: make_user("tt", Role.HEAD, orgs["stc"]),
        Role.FOCAL: make_user("cb", Role.FOCAL, orgs["stc"]),
        Role.VIEWER: make_user("xem", Role.VIEWER),
    }


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """In CI (DONDOC_NO_SKIPS=1) a skipped test is a failure: the OCR, LibreOffice and browser tests must run there."""
    import os

    outcome = yield
    report = outcome.get_result()
    if os.environ.get("DONDOC_NO_SKIPS") and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped in CI, where every test must run: {report.longrepr}"


def pytest_collection_modifyitems(config, items):
    """PostgreSQL-only tests are deselected (not skipped) on SQLite, so CI's no-skip rule still holds. (Tests marked
    `once` run in every local run; CI leaves them out of its SQLite pass with -m "not once".)"""
    import os

    if (os.environ.get("DATABASE_URL") or "").startswith(("postgres://", "postgresql://")):
        return
    keep, dropped = [], []
    for item in items:
        (dropped if item.get_closest_marker("postgres_only") else keep).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep
