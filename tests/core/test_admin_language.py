"""The admin reads in Vietnamese: its index and every registered model's list, with rows in them, show none of the
English that Django, django-tasks or django-otp print by default, and no raw audit code."""

import gettext
import html
import pathlib
import re

import pytest
from django.contrib import admin
from django.urls import reverse

from dondoc.accounts.roles import Role
from dondoc.audit import record
from dondoc.notify.models import Outbox, Reminder

from tests.tracking.conftest import plan, today  # noqa: F401 - fixtures reused

# English a stock Django 5.2 admin shows with LANGUAGE_CODE "vi" (its own catalogue predates them), or that the
# third-party apps name in plain English. Each one was seen on these pages before the fix.
ENGLISH = ["Skip to main content", "Toggle theme", "Model name", "Add link", "Change or view list link",
           "Show counts", "Hide counts", "Task Result", "Tasks Database Backend", "Database Backend", "Otp_Totp",
           "TOTP device", "Task name", "queue name", "priority", "enqueued", "Ready", "Successful", "Breadcrumbs",
           "Select all objects", "Select this object", "Site administration", "Django administration",
           "Add", "Change", "Delete", "View", "Search", "Filter", "Action", "Recent actions", "My actions", "Welcome",
           "Log out", "Home", "User", "Assignment", "Outbox", "Sweep", "Kind", "kind", "Emailable", "emailable",
           "Actor name", "Object type", "status", "created at", "last used at", "confirmed"]
# A dotted code in text people read: an audit kind ("login.succeeded") or an object type ("plans.task").
RAW_CODE = re.compile(r"(?<![\w./@-])[a-z_]+\.[a-z_]+(?![\w./@-])")


def visible(page: str) -> str:
    """What a person reads: the text between tags and the words of title, aria-label, placeholder and alt."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    said = " ".join(re.findall(r'\b(?:title|aria-label|placeholder|alt)="([^"]*)"', page)
                    + re.findall(r'<input[^>]*type="(?:submit|button)"[^>]*value="([^"]*)"', page))
    text = re.sub(r"<[^>]+>", " ", page)
    return html.unescape(re.sub(r"\s+", " ", f"{text} {said}"))


def english_in(text: str) -> list[str]:
    return [w for w in ENGLISH if re.search(rf"(?<![\w]){re.escape(w)}(?![\w])", text)]


def test_the_checks_catch_what_they_look_for():
    """The two checks would fail on the pages as Django renders them untranslated."""
    stock = '<a href="#c" class="skip-to-content-link">Skip to main content</a><th title="Add link">x</th> login.succeeded'
    assert english_in(visible(stock)) == ["Skip to main content", "Add link", "Add"]
    assert RAW_CODE.findall(visible(stock)) == ["login.succeeded"]
    assert RAW_CODE.findall("qt@example.invalid /quan-tri/audit/event/ 30.09.2024 stc.canbo") == ["stc.canbo"]


@pytest.fixture
def filled(plan, users):
    """A row in the lists whose columns read codes: an event of each kind of object, a reminder, a digest row, a
    background task's result."""
    admin_user = users[Role.ADMIN]
    record("login.succeeded", actor=admin_user)
    record("claim.confirmed", actor=users[Role.COORDINATOR], obj=plan.tasks.first().assignments.first())
    assignment = plan.tasks.first().assignments.first()
    outbox = Outbox.objects.create(user=users[Role.HEAD], day=today_value(), next_attempt_at=plan.published_at)
    Reminder.objects.create(user=users[Role.HEAD], assignment=assignment, agency=assignment.agency, kind="overdue",
                            occurrence=today_value(), due=today_value(), outbox=outbox)
    from dondoc.plans.jobs import reclaim_stale_jobs  # noqa: F401 - the tasks are registered

    from django_tasks_db.models import DBTaskResult
    from django.utils import timezone

    DBTaskResult.objects.create(task_path="dondoc.plans.jobs.run_plan_import", args_kwargs={"args": [1], "kwargs": {}},
                                backend_name="default", run_after=timezone.now(), priority=0)
    return admin_user


def today_value():
    from dondoc.core import clock

    return clock.today()


def admin_pages() -> list[str]:
    """The index, every registered model's list and, where it has a row, that row's page."""
    pages = ["/quan-tri/"]
    for model in admin.site._registry:
        meta = model._meta
        pages.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
        row = model._default_manager.order_by("pk").first()
        if row is not None:
            pages.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[row.pk]))
    return pages


def test_every_admin_list_reads_in_vietnamese(client, filled):
    client.force_login(filled)
    found = {}
    pages = admin_pages()
    assert len(pages) > 20
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        text = visible(response.content.decode())
        bad = english_in(text) + [f"code {c}" for c in RAW_CODE.findall(text)]
        if bad:
            found[url] = bad
    assert found == {}, "\n".join(f"{u}: {b}" for u, b in found.items())
    # The rows were there to read: the event list names the action and the object type in Vietnamese.
    events = visible(client.get("/quan-tri/audit/event/").content.decode())
    assert "Đăng nhập" in events and "Xác nhận hoàn thành" in events and "giao việc" in events.lower()


def test_the_tasks_queue_and_the_second_factor():
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from django_tasks_db.models import DBTaskResult

    assert not admin.site.is_registered(TOTPDevice)  # a lost phone is reset from the account list
    assert admin.site.is_registered(DBTaskResult)
    from django.apps import apps

    assert apps.get_app_config("django_tasks_database").verbose_name == "Hàng đợi việc nền"


def test_the_compiled_catalogue_matches_its_source():
    """django.mo is committed beside django.po: every entry of the source is in it, word for word."""
    folder = pathlib.Path(__file__).resolve().parents[2] / "src" / "dondoc" / "locale" / "vi" / "LC_MESSAGES"
    with open(folder / "django.mo", "rb") as f:
        catalog = gettext.GNUTranslations(f)._catalog
    source = (folder / "django.po").read_text(encoding="utf-8")
    entries = re.findall(r'(?:msgctxt "(.*)"\n)?msgid "(.+)"\n(?:msgid_plural ".*"\n)?msgstr(?:\[0\])? "(.*)"', source)
    assert len(entries) > 80
    for context, msgid, msgstr in entries:
        key = f"{context}\x04{msgid}" if context else msgid
        assert catalog.get(key, catalog.get((key, 0))) == msgstr, msgid
