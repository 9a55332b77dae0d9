"""Demo data for a laptop: the Tuyên Quang organisation and one account per role and per agency."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction

from dondoc.accounts.models import User
from dondoc.accounts.roles import Role
from dondoc.orgs.loader import load_orgs
from dondoc.orgs.models import Agency

DEMO_PASSWORD = "dondoc-demo"
# RFC 2606 reserves .invalid: a demo address can never reach anyone, whatever mail server the demo is pointed at.
DEMO_EMAIL_DOMAIN = "example.invalid"
COORDINATOR_AGENCY = "skhdt"
DATA = Path(__file__).resolve().parent / "data"
DEMO_PLAN = DATA / "plan78.txt"
DEMO_PLAN_NAME = "Ke-hoach-78-KH-UBND.txt"
# Communes that replace Na Hang district from 01/07/2025 in the demo only, labelled "minh họa": the fixture does not
# invent the real list (a province loads it from its decision: `dondoc load_reorganisation`).
DEMO_COMMUNES = Path(__file__).resolve().parent / "data" / "na-hang-communes.json"


def demo_email(username: str) -> str:
    return f"{username}@{DEMO_EMAIL_DOMAIN}"


def demo_accounts() -> list[dict]:
    accounts = [
        {"username": "admin", "role": Role.ADMIN, "agency": None, "full_name": "Quản trị viên (minh họa)"},
        {"username": "lanhdao", "role": Role.LEADER, "agency": "ubnd-tinh", "full_name": "Lãnh đạo UBND tỉnh (minh họa)"},
        {"username": "tonghop", "role": Role.COORDINATOR, "agency": COORDINATOR_AGENCY,
         "full_name": "Cán bộ tổng hợp Sở Kế hoạch và Đầu tư (minh họa)"},
        {"username": "xem", "role": Role.VIEWER, "agency": None, "full_name": "Thanh tra (minh họa, chỉ xem)"},
    ]
    for agency in Agency.objects.order_by("sort_key"):
        accounts.append({"username": f"{agency.code}.truong", "role": Role.HEAD, "agency": agency.code,
                         "full_name": f"Thủ trưởng {agency.name} (minh họa)"})
        accounts.append({"username": f"{agency.code}.canbo", "role": Role.FOCAL, "agency": agency.code,
                         "full_name": f"Cán bộ đầu mối {agency.name} (minh họa)"})
    return accounts


@transaction.atomic
def load_demo() -> dict:
    """Idempotent: existing accounts keep their password and data."""
    if settings.PRODUCTION:
        raise RuntimeError("demo data is refused in production mode")
    load_orgs()
    load_orgs(DEMO_COMMUNES)
    agencies = {a.code: a for a in Agency.objects.all()}
    existing = set(User.objects.values_list("username", flat=True))
    # One hash for all: Argon2 is deliberately slow and the password is the same for every demo account.
    password_hash = make_password(DEMO_PASSWORD)
    new = []
    for item in demo_accounts():
        if item["username"] in existing:
            continue
        user = User(username=item["username"], role=item["role"], agency=agencies.get(item["agency"]) if item["agency"] else None,
                    full_name=item["full_name"], email=demo_email(item["username"]), is_demo=True, password=password_hash)
        user.is_staff = user.is_superuser = item["role"] == Role.ADMIN
        new.append(user)
    User.objects.bulk_create(new)
    # Demo accounts made before they had addresses get theirs, so their digests reach the demo's mail folder.
    for user in User.objects.filter(is_demo=True, email=""):
        User.objects.filter(pk=user.pk).update(email=demo_email(user.username))
    plan = load_demo_plan()
    return {"created": len(new), "codes": sorted(agencies, key=lambda c: agencies[c].sort_key), "plan": plan}


def load_demo_plan():
    """Plan 78 through the coordinator's own path: upload -> parse -> publish (the review screen skipped)."""
    from dondoc.plans.actions import do_publish_plan
    from dondoc.plans.jobs import run_plan_import, start_plan_import
    from dondoc.plans.models import Job, Plan

    existing = Plan.objects.filter(source_name=DEMO_PLAN_NAME).first()
    if existing is not None:
        return existing
    coordinator = User.objects.get(username="tonghop")
    job = start_plan_import(coordinator, DEMO_PLAN_NAME, DEMO_PLAN.read_bytes(), enqueue=False)
    run_plan_import.call(job.pk)
    job = Job.objects.get(pk=job.pk)
    if job.plan is None:
        raise RuntimeError(f"the demo plan could not be imported: {job.error}")
    # A name the parser could not resolve goes to the coordinating agency, flagged, so the start never fails.
    plan = do_publish_plan(job.plan, user=coordinator, allow_unresolved=True)
    from dondoc.core import clock
    from dondoc.demo.progress import seed_progress

    seed_progress(plan, clock.today())
    from dondoc.targets.demo import seed_targets

    seed_targets(plan, clock.today())
    from dondoc.reports.demo import seed_reports

    seed_reports(plan, clock.today())
    load_demo_child_plan(plan)
    return plan


DEMO_CHILD_NAME = "ke-hoach-stc-thuc-hien-78.txt"


def load_demo_child_plan(parent):
    """Sở Tài chính's own plan for carrying out Plan 78 (a document written for the demo, labelled so), through
    the same upload -> parse path, made Plan 78's implementation plan, its links proposed, published (issue 19)."""
    from dondoc.plans.actions import do_publish_plan
    from dondoc.plans.cascade import do_set_parent
    from dondoc.plans.jobs import run_plan_import, start_plan_import
    from dondoc.plans.models import Job, Plan

    if Plan.objects.filter(source_name=DEMO_CHILD_NAME).exists():
        return None
    stc = Agency.objects.get(code="stc")
    coordinator = User.objects.get(username="tonghop")
    job = start_plan_import(coordinator, DEMO_CHILD_NAME, (DATA / DEMO_CHILD_NAME).read_bytes(), enqueue=False)
    run_plan_import.call(job.pk)
    child = Job.objects.get(pk=job.pk).plan
    if child is None:
        raise RuntimeError("the demo implementation plan could not be imported")
    Plan.objects.filter(pk=child.pk).update(coordinating_agency=stc)  # the agency follows its own plan
    child.refresh_from_db()
    do_set_parent(child, parent=parent, owner=stc, user=coordinator)
    # Its units (phòng, Văn phòng Sở) are not agencies of the directory yet: their work stays with Sở Tài chính.
    child = do_publish_plan(child, user=coordinator, allow_unresolved=True)
    _seed_child_progress(child, stc, coordinator)
    return child


def _seed_child_progress(child, agency, coordinator):
    """The agency kept to its own plan: what fell due before the demo day was done, three days early, and
    confirmed (labelled as demo data, as Plan 78's progress is)."""
    import datetime as dt

    from dondoc.core import clock
    from dondoc.plans.models import Assignment
    from dondoc.tracking.actions import do_claim, do_confirm

    officer = User.objects.get(username="stc.canbo")
    due = (Assignment.objects.filter(task__plan=child, agency=agency, role="lead", ended_at__isnull=True,
                                     task__due_date__lt=clock.today()).select_related("task").order_by("task__order"))
    for a in due:
        claim = do_claim(a, officer, completed_on=a.task.due_date - dt.timedelta(days=3),
                         output="[Dữ liệu minh họa] Đã hoàn thành, có văn bản kèm theo.")
        do_confirm(claim, coordinator)
