"""The agency report workflow: pre-filled from updates, draft → submitted → approved → accepted, the returns, the
transitions that are refused, lateness, locking, and another agency's report hidden."""

import datetime as dt

import pytest

from dondoc.accounts.roles import Role
from dondoc.audit.models import Event
from dondoc.reports import actions, prefill, queries
from dondoc.reports.models import AgencyReport, ReportState
from dondoc.tracking import actions as tracking
from dondoc.tracking import spans
from dondoc.tracking.access import Forbidden
from dondoc.tracking.models import Notification

D = dt.date


@pytest.fixture
def posted(people, lead, partner, day):
    """Sở Y tế's progress on 1.1#1: one update before Q4 2024, two in it (one withdrawn), a completion claim."""
    day(2024, 9, 10)
    tracking.do_post_update(lead, people["lead_focal"], text="Đã khảo sát hiện trạng (quý III)")
    day(2024, 9, 20)
    tracking.do_post_update(lead, people["lead_focal"], text="Đã triển khai tại 5/12 bệnh viện", percent=40,
                            difficulties="Thiếu kinh phí", proposals="Bổ sung kinh phí")
    mistaken = tracking.do_post_update(lead, people["lead_focal"], text="Nhầm nhiệm vụ")
    tracking.do_withdraw_update(mistaken, people["lead_focal"], reason="Nhầm")
    day(2024, 10, 2)
    tracking.do_post_update(lead, people["lead_focal"], text="Đã triển khai tại 12/12 bệnh viện", percent=100,
                            difficulties="Thiếu kinh phí")
    tracking.do_post_update(partner, people["partner_focal"], text="Sở Tài chính đã bố trí kinh phí")
    day(2024, 10, 5)
    return lead


def make(people, role="lead_focal", period="2024-Q4", plan=None):
    focal = people[role]
    from dondoc.plans.models import Plan

    return actions.do_create_report(plan or Plan.objects.get(status="published"), focal, period=period)


def test_prefilled_from_the_updates_of_the_period(people, posted, plan):
    report = make(people)
    assert report.state == ReportState.DRAFT and report.deadline == D(2024, 12, 10)  # the plan's own date
    items = {i.task.ref: i for i in report.items.select_related("task")}
    assert set(items) == {"1.1#1", "1.1#2", "III.1#1"}  # lead of 1.1#1, 1.1#2, and of III.1 through "Giám đốc các sở"
    first = items["1.1#1"]
    assert first.results == ("- 20/9/2024: Đã triển khai tại 5/12 bệnh viện\n"
                             "- 02/10/2024: Đã triển khai tại 12/12 bệnh viện")  # not quý III's, not the withdrawn one
    assert first.difficulties == "Thiếu kinh phí" and first.proposals == "Bổ sung kinh phí"
    assert first.percent == 100 and first.from_updates and first.role == "lead"
    assert first.status == "overdue"  # due 30/9/2024, not completed, on 05/10
    assert items["1.1#2"].results == prefill.NO_UPDATES and not items["1.1#2"].from_updates
    assert items["1.1#2"].status == "ongoing"
    assert report.summary == ""
    # The partner's report holds the partner's own update.
    other = make(people, "partner_focal")
    assert [(i.task.ref, i.role, i.results) for i in other.items.select_related("task") if i.task.ref == "1.1#1"] == [
        ("1.1#1", "coordinating", "Sở Tài chính đã bố trí kinh phí")]
    assert Event.objects.filter(action="report.created", object_id=str(report.pk)).exists()


def test_a_period_without_updates_says_so(people, plan, day):
    day(2024, 10, 5)
    report = make(people)
    assert {i.results for i in report.items.all()} == {prefill.NO_UPDATES}
    assert report.summary == prefill.NO_UPDATES_OVERALL
    from dondoc.reports import agency_docx

    from .conftest import open_docx

    text = "\n".join(p.text for p in open_docx(agency_docx.build(report)).paragraphs)
    assert prefill.NO_UPDATES_OVERALL in text and prefill.NO_UPDATES in text


def test_a_claim_appears_in_the_results(people, posted):
    claim = tracking.do_claim(posted, people["lead_head"], completed_on=D(2024, 10, 3), output="Quyết định số 12/QĐ-SYT")
    tracking.do_confirm(claim, people["coordinator"])
    report = make(people)
    first = report.items.get(task__ref="1.1#1")
    assert first.results.endswith("Đã hoàn thành ngày 03/10/2024 (sản phẩm: Quyết định số 12/QĐ-SYT).")
    assert first.status == "done_late"


def test_the_whole_way(people, posted, day):
    report = make(people)
    version = spans.version()
    report = actions.do_submit(report, people["lead_focal"])
    assert report.state == ReportState.SUBMITTED and report.submitted_on == D(2024, 10, 5) and not report.late
    assert spans.version() > version  # memoised figures and rankings see the change
    assert Notification.objects.filter(user=people["lead_head"], kind="report_submitted").exists()
    day(2024, 10, 6)
    report = actions.do_approve(report, people["lead_head"])
    assert report.state == ReportState.APPROVED and report.approved_by == people["lead_head"]
    assert Notification.objects.filter(user=people["coordinator"], kind="report_approved").exists()
    day(2024, 10, 7)
    report = actions.do_accept(report, people["coordinator"])
    assert report.state == ReportState.ACCEPTED and report.accepted_by == people["coordinator"]
    assert Notification.objects.filter(user=people["lead_focal"], kind="report_accepted").exists()
    assert list(Event.objects.filter(object_type="reports.agencyreport", object_id=str(report.pk))
                .order_by("at", "pk").values_list("action", flat=True)) == [
        "report.created", "report.submitted", "report.approved", "report.accepted"]


def test_returns_go_back_to_the_agency(people, posted, day):
    report = actions.do_submit(make(people), people["lead_focal"])
    with pytest.raises(actions.ReportError, match="lý do"):
        actions.do_return(report, people["lead_head"], reason="  ")
    report = actions.do_return(report, people["lead_head"], reason="Bổ sung số liệu bệnh viện tuyến huyện")
    assert report.state == ReportState.DRAFT and report.return_reason == "Bổ sung số liệu bệnh viện tuyến huyện"
    report = actions.do_edit_report(report, people["lead_focal"], version=report.version, summary="Đã bổ sung")
    day(2024, 10, 8)
    report = actions.do_approve(actions.do_submit(report, people["lead_focal"]), people["lead_head"])
    report = actions.do_return(report, people["coordinator"], reason="Thiếu đánh giá chung")
    assert report.state == ReportState.RETURNED and report.returned_by == people["coordinator"]
    assert Notification.objects.filter(user=people["lead_focal"], kind="report_returned", text__contains="Thiếu đánh giá").exists()
    report = actions.do_edit_report(report, people["lead_head"], version=report.version, summary="Đánh giá chung mới")
    report = actions.do_submit(report, people["lead_head"])  # the head may send it too
    assert report.state == ReportState.SUBMITTED
    assert report.submitted_on == D(2024, 10, 5)  # lateness is judged on the first submission


@pytest.mark.parametrize("state, role, action, error", [
    # wrong state: 409
    ("draft", "lead_head", "approve", actions.Conflict),
    ("draft", "coordinator", "accept", actions.Conflict),
    ("draft", "lead_head", "return", actions.Conflict),
    ("draft", "coordinator", "return", actions.Conflict),
    ("submitted", "coordinator", "accept", actions.Conflict),
    ("submitted", "coordinator", "return", actions.Conflict),
    ("submitted", "lead_focal", "submit", actions.Conflict),
    ("submitted", "lead_focal", "edit", actions.Conflict),
    ("approved", "lead_focal", "submit", actions.Conflict),
    ("approved", "lead_head", "approve", actions.Conflict),
    ("approved", "lead_head", "return", actions.Conflict),
    ("approved", "lead_focal", "edit", actions.Conflict),
    ("accepted", "lead_focal", "edit", actions.Locked),
    ("accepted", "lead_focal", "submit", actions.Locked),
    ("accepted", "lead_head", "approve", actions.Locked),
    ("accepted", "coordinator", "accept", actions.Locked),
    ("accepted", "coordinator", "return", actions.Locked),
    # wrong person: 403
    ("draft", "coordinator", "submit", Forbidden),
    ("draft", "partner_focal", "submit", Forbidden),
    ("draft", "other_head", "edit", Forbidden),
    ("submitted", "lead_focal", "approve", Forbidden),
    ("submitted", "coordinator", "approve", Forbidden),
    ("submitted", "other_head", "approve", Forbidden),
    ("submitted", "lead_focal", "return", Forbidden),
    ("approved", "lead_head", "accept", Forbidden),
    ("approved", "leader", "accept", Forbidden),
    ("approved", "viewer", "return", Forbidden),
])
def test_forbidden_transitions(people, posted, state, role, action, error):
    report = make(people)
    steps = [("submit", "lead_focal"), ("approve", "lead_head"), ("accept", "coordinator")]
    order = ["draft", "submitted", "approved", "accepted"]
    for name, who in steps[: order.index(state)]:
        report = getattr(actions, f"do_{name}")(report, people[who])
    calls = {
        "submit": lambda r, u: actions.do_submit(r, u), "approve": lambda r, u: actions.do_approve(r, u),
        "accept": lambda r, u: actions.do_accept(r, u), "return": lambda r, u: actions.do_return(r, u, reason="Sai"),
        "edit": lambda r, u: actions.do_edit_report(r, u, version=r.version, summary="Sửa"),
    }
    before = AgencyReport.objects.get(pk=report.pk)
    with pytest.raises(error) as exc:
        calls[action](report, people[role])
    if error is actions.Locked:
        assert "tiếp nhận" in str(exc.value)
    after = AgencyReport.objects.get(pk=report.pk)
    assert (after.state, after.version, after.summary) == (before.state, before.version, before.summary)


def test_a_stale_edit_is_refused(people, posted):
    report = make(people)
    item = report.items.first()
    actions.do_edit_report(report, people["lead_focal"], version=report.version, items={item.pk: {"results": "Mới"}})
    with pytest.raises(actions.Conflict, match="người khác"):
        actions.do_edit_report(report, people["lead_head"], version=report.version, items={item.pk: {"results": "Cũ"}})
    assert type(item).objects.get(pk=item.pk).results == "Mới"


def test_an_item_of_another_report_is_refused(people, posted):
    ours, theirs = make(people), make(people, "partner_focal")
    with pytest.raises(actions.ReportError):
        actions.do_edit_report(ours, people["lead_focal"], version=ours.version,
                               items={theirs.items.first().pk: {"results": "x"}})


def test_one_report_per_agency_and_period(people, posted):
    first = make(people)
    with pytest.raises(actions.Conflict) as exc:
        make(people, "lead_head")
    assert exc.value.report == first
    assert make(people, period="2024").pk != first.pk  # another period is another report


def test_who_may_create(people, plan):
    for role in ("coordinator", "admin", "leader", "viewer"):
        with pytest.raises(Forbidden):
            make(people, role)
    with pytest.raises(actions.ReportError, match="không hợp lệ"):
        make(people, period="2024-Q9")
    from dondoc.plans import actions as plan_actions
    from tests.plans.conftest import make_structure

    draft = plan_actions.import_structure(make_structure(document={"number": "99/KH-UBND", "date": "2024-06-01"}))
    with pytest.raises(actions.ReportError, match="chưa ban hành"):
        make(people, plan=draft)


def test_an_agency_without_tasks_in_the_plan_has_nothing_to_report(people, plan, make_user, orgs):
    people["party"] = make_user("tctu.cb", Role.FOCAL, orgs["ban-to-chuc-tu"])  # Ban Tổ chức Tỉnh ủy: no task here
    with pytest.raises(actions.ReportError, match="không được giao"):
        make(people, "party")


def test_submitting_after_the_deadline_is_accepted_and_flagged_late(people, posted, day):
    report = make(people, period="2024")
    assert report.deadline == D(2024, 12, 10)
    day(2024, 12, 11)
    report = actions.do_submit(report, people["lead_focal"])
    assert report.state == ReportState.SUBMITTED and report.late
    report = actions.do_accept(actions.do_approve(report, people["lead_head"]), people["coordinator"])
    assert report.state == ReportState.ACCEPTED and report.late
    on_time = make(people, "partner_focal", period="2024")
    day(2024, 12, 10)  # the deadline day itself is on time
    on_time = actions.do_submit(on_time, people["partner_focal"])
    assert not on_time.late
    assert queries.late_reports_by_agency(D(2024, 1, 1), D(2024, 12, 31)) == {report.agency_id: 1}
    assert queries.late_reports_by_agency(D(2025, 1, 1), D(2025, 12, 31)) == {}
    from dondoc.dashboard import figures

    assert queries.late_reports_by_agency(D(2024, 1, 1), D(2024, 12, 31)) == {report.agency_id: 1}


def test_refill_takes_the_updates_again(people, posted, day):
    report = make(people)
    item = report.items.get(task__ref="1.1#2")
    report = actions.do_edit_report(report, people["lead_focal"], version=report.version,
                                    items={item.pk: {"results": "Gõ tay"}})
    day(2024, 10, 6)
    tracking.do_post_update(item.assignment, people["lead_focal"], text="Đã báo cáo quý")
    report = actions.do_refill(report, people["lead_focal"], version=report.version)
    assert report.items.get(task__ref="1.1#2").results == "Đã báo cáo quý"
