"""An agency's implementation plan under the province's plan (issue 19), on `make run`'s demo data: Sở Tài chính's
plan carrying out Plan 78 (a demo document), read by the parser, made Plan 78's child, its links proposed, published."""

import datetime as dt

import pytest

from dondoc.accounts.models import User
from dondoc.audit.models import Event
from dondoc.core.errors import ActionError, Conflict
from dondoc.demo.loader import load_demo
from dondoc.orgs.models import Agency
from dondoc.plans import cascade
from dondoc.plans.models import Assignment, Plan, held_on


@pytest.fixture
def demo(db, settings):
    settings.DEMO_TODAY = dt.date(2024, 10, 15)
    plan = load_demo()["plan"]
    child = plan.children.get()
    return {"plan": plan, "child": child, "stc": Agency.objects.get(code="stc"),
            "coordinator": User.objects.get(username="tonghop")}


def test_the_demo_loads_sở_tài_chính_s_plan_published_and_linked(demo):
    plan, child, stc = demo["plan"], demo["child"], demo["stc"]
    assert (child.status, child.owner, child.number) == ("published", stc, "1185/KH-STC")
    linked = child.tasks.filter(implements__isnull=False)
    assert linked.count() >= child.tasks.count() - 1  # its own spending rules (3.4) serve no task of Plan 78
    # Every link is to Sở Tài chính's own work in Plan 78, still held.
    assert set(linked.values_list("implements__agency", flat=True)) == {stc.pk}
    assert set(linked.values_list("implements__task__plan", flat=True)) == {plan.pk}
    assert not linked.filter(implements__ended_at__isnull=False).exists()
    assert Event.objects.filter(action="plan.parent_set", object_id=str(child.pk)).exists()


def test_coverage_counts_the_agencies_and_what_their_plans_leave_out(demo):
    plan, child, stc = demo["plan"], demo["child"], demo["stc"]
    found = cascade.coverage(plan)
    holders = set(held_on(Assignment.objects.filter(task__plan=plan)).filter(task__cancelled_at__isnull=True)
                  .values_list("agency_id", flat=True))
    assert found["agencies"] == len(holders) and found["issued"] == 1
    assert len(found["missing"]) == len(holders) - 1 and stc.pk not in {i["agency"].pk for i in found["missing"]}
    [mine] = found["items"]
    theirs = set(held_on(Assignment.objects.filter(task__plan=plan, agency=stc)).values_list("pk", flat=True))
    served = set(child.tasks.exclude(implements=None).values_list("implements", flat=True))
    assert mine["plan"] == child and mine["assignments"] == len(theirs)
    assert {a.pk for a in mine["uncovered"]} == theirs - served and mine["open"] == len(theirs - served)


def test_the_coordinator_s_dashboard_shows_it(demo, client):
    client.force_login(demo["coordinator"])
    html = client.get(f"/tong-hop/ke-hoach/{demo['plan'].pk}/").content.decode()
    found = cascade.coverage(demo["plan"])
    assert f'<b id="issued-count">1/{found["agencies"]}</b> cơ quan đã ban hành kế hoạch thực hiện' in html
    assert "1185/KH-STC" in html and f"{found['items'][0]['open']} nhiệm vụ được giao chưa có nhiệm vụ nào" in html
    # The tree: the agency's plan with its own figures, and its own dashboard, counting its tasks.
    from dondoc.dashboard import figures

    child = demo["child"]
    own = figures.summary(child, dt.date(2024, 10, 15))
    assert own["total"] == child.tasks.filter(cancelled_at__isnull=True).count()
    cell = f'<a href="/tong-hop/ke-hoach/{child.pk}/">{own["done_on_time"] + own["done_late"]} / {own["overdue"]} / {own["total"]}</a>'
    assert cell in html
    assert client.get(f"/tong-hop/ke-hoach/{child.pk}/").status_code == 200


def test_the_province_s_figures_stay_about_its_own_plans(demo):
    """The child plan's 23 tasks detail work Sở Tài chính holds in Plan 78: the province's totals and the agency's
    are Plan 78's alone."""
    from dondoc.dashboard import figures

    day, plan, stc = dt.date(2024, 10, 15), demo["plan"], demo["stc"]
    province, own = figures.province_summary(day), figures.summary(plan, day)
    assert province["total"] == own["total"] and [r["plan"]["id"] for r in province["by_plan"]] == [plan.pk]
    in_plan = next(r for r in own["by_agency"] if r["agency"]["id"] == stc.pk)
    assert figures.agency_summary(stc.pk, day)["total"] == in_plan["total"]


def test_the_api_names_parent_children_and_what_implements_an_assignment(demo, client):
    from dondoc.accounts import actions as account_actions

    _, raw = account_actions.do_create_token(demo["coordinator"])
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    body = client.get(f"/api/v1/plans/{demo['plan'].pk}", **auth).json()
    assert [c["id"] for c in body["children"]] == [demo["child"].pk] and body["parent"] is None
    child = client.get(f"/api/v1/plans/{demo['child'].pk}", **auth).json()
    assert child["parent"] == demo["plan"].pk and child["owner"]["name"] == "Sở Tài chính"
    task = demo["child"].tasks.exclude(implements=None).order_by("order").first()
    got = client.get(f"/api/v1/assignments/{task.implements_id}", **auth).json()
    assert task.pk in [t["id"] for t in got["implemented_by"]]


def test_links_only_to_the_agency_s_own_live_work(demo, settings):
    plan, child, stc = demo["plan"], demo["child"], demo["stc"]
    task = child.tasks.order_by("order").first()
    someone_else = Assignment.objects.filter(task__plan=plan).exclude(agency=stc).first()
    with pytest.raises(ActionError, match="chính cơ quan ban hành"):
        cascade.do_link(task, someone_else, user=demo["coordinator"])
    # An assignment handed over (or its task cancelled): refused, the successor's assignment named.
    theirs = Assignment.objects.filter(task__plan=plan, agency=stc, role="lead").first()
    successor = Assignment.objects.create(task=theirs.task, agency=Agency.objects.get(code="syt"), role="coordinating",
                                          predecessor=theirs)
    Assignment.objects.filter(pk=theirs.pk).update(ended_at=dt.datetime(2024, 10, 1, tzinfo=dt.timezone.utc))
    theirs.refresh_from_db()
    with pytest.raises(Conflict, match=f"mã {successor.pk}"):
        cascade.do_link(task, theirs, user=demo["coordinator"])
    mine = Assignment.objects.filter(task__plan=plan, agency=stc, ended_at__isnull=True).exclude(
        pk=task.implements_id).first()
    cascade.do_link(task, mine, user=demo["coordinator"])
    task.refresh_from_db()
    assert task.implements == mine and task.implements_score is None  # a person's choice, kept by later proposals
    assert cascade.apply_proposals(child) == 0
    cascade.do_link(task, None, user=demo["coordinator"])
    assert Event.objects.filter(action="task.link_set").count() == 2


def test_a_cycle_of_plans_or_a_plan_its_agency_has_no_part_in_is_refused(demo):
    plan, child, stc = demo["plan"], demo["child"], demo["stc"]
    with pytest.raises(ActionError, match="Vòng kế hoạch"):
        cascade.do_set_parent(plan, parent=child, owner=stc, user=demo["coordinator"])
    other = Plan.objects.create(number="9/KH-UBND", status="published")
    with pytest.raises(ActionError, match="không được giao nhiệm vụ nào"):
        cascade.do_set_parent(child, parent=other, owner=stc, user=demo["coordinator"])
    child.refresh_from_db()
    assert child.parent == plan


def test_only_the_agency_or_the_coordinator_changes_its_links(demo):
    from dondoc.core.errors import Forbidden

    child, stc = demo["child"], demo["stc"]
    task = child.tasks.exclude(implements=None).order_by("order").first()
    for username in ("syt.truong", "lanhdao", "xem"):
        with pytest.raises(Forbidden):
            cascade.do_link(task, None, user=User.objects.get(username=username))
    cascade.do_link(task, None, user=User.objects.get(username="stc.truong"))  # its own head
    task.refresh_from_db()
    assert task.implements is None


def test_the_links_page_shows_each_task_with_its_parent_and_lets_the_agency_change_it(demo, client):
    child, stc = demo["child"], demo["stc"]
    url = f"/ke-hoach/{child.pk}/lien-ket/"
    client.force_login(User.objects.get(username="stc.truong"))
    page = client.get(url).content.decode()
    linked = child.tasks.exclude(implements=None).count()
    assert f'<b id="linked-count">{linked}/{child.tasks.count()}</b>' in page and "(đề xuất, điểm" in page
    task = child.tasks.exclude(implements=None).order_by("order").first()
    other = cascade.candidates(child).exclude(pk=task.implements_id).first()
    answer = client.post(url, {"task": task.pk, "implements": other.pk}, follow=True)
    assert f"Đã lưu liên kết của nhiệm vụ {task.ref}" in answer.content.decode()
    task.refresh_from_db()
    assert task.implements == other and task.implements_score is None
    assert "(đã chọn)" in client.get(url).content.decode()
    # Another agency's head reads it, changes nothing.
    client.force_login(User.objects.get(username="syt.truong"))
    assert 'name="implements"' not in client.get(url).content.decode()
    assert client.post(url, {"task": task.pk, "implements": ""}).status_code == 403
    task.refresh_from_db()
    assert task.implements == other
    # The plan's page says whose plan it carries out, and the parent lists it.
    assert url in client.get(f"/ke-hoach/{child.pk}/").content.decode()
    assert f"/ke-hoach/{child.pk}/" in client.get(f"/ke-hoach/{demo['plan'].pk}/").content.decode()


def test_a_parent_assignment_shows_its_child_tasks_and_offers_the_claim_when_all_are_done(demo, client):
    """In the demo Sở Tài chính finished before 15/10/2024 what its plan had due then: 1.4 (the revenue not collected
    in 2023, due 30/06) is the only piece of Plan 78's 1.4#4; the Đề án's two pieces (1.1) are not done."""
    child = demo["child"]
    piece = child.tasks.get(ref="1.4#1")
    parent = piece.implements
    assert piece.assignments.get(role="lead").claims.filter(state="confirmed").exists()
    client.force_login(User.objects.get(username="stc.truong"))
    page = client.get(f"/giao-viec/{parent.pk}/").content.decode()
    assert 'id="rollup"' in page and "1/1 nhiệm vụ đã hoàn thành" in page and 'id="rollup-offer"' in page
    output = page.split('id="id_output"')[1].split(">")[0]
    assert 'value="1.4#1: [Dữ liệu minh họa]' in output
    assert parent.claims.count() == 0  # offered, never claimed for it
    open_parent = child.tasks.get(ref="1.1#1").implements
    page = client.get(f"/giao-viec/{open_parent.pk}/").content.decode()
    done = sum(1 for t in open_parent.implemented_by.all() if t.assignments.filter(
        role="lead", claims__state="confirmed").exists())
    assert f"{done}/{open_parent.implemented_by.count()} nhiệm vụ đã hoàn thành" in page
    assert done < open_parent.implemented_by.count() and 'id="rollup-offer"' not in page  # the others still open


def test_the_consolidated_report_says_how_many_agencies_issued_their_plan(demo, client):
    import io

    import docx

    from dondoc.reports import consolidated, periods

    found = cascade.coverage(demo["plan"])
    data = consolidated.gather(demo["plan"], periods.parse_period("2024"))
    said = consolidated.implementation_sentence(data)
    assert said.startswith(f"Về ban hành kế hoạch thực hiện: 1/{found['agencies']} cơ quan, đơn vị")
    assert "Sở Tài chính: Kế hoạch số 1185/KH-STC ngày 10/5/2024" in said
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(consolidated.build_docx(data))).paragraphs)
    assert said in text
    client.force_login(demo["coordinator"])
    page = client.get(f"/bao-cao/ke-hoach/{demo['plan'].pk}/tong-hop/?ky=2024").content.decode()
    assert 'id="implementation-plans"' in page
    # A plan no agency has carried out with its own says nothing of it.
    demo["child"].parent = None
    demo["child"].save(update_fields=["parent"])
    assert consolidated.gather(demo["plan"], periods.parse_period("2024")).implementation is None
    assert 'id="implementation-plans"' not in client.get(f"/tong-hop/ke-hoach/{demo['plan'].pk}/").content.decode()
