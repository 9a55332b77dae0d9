import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dondoc.audit.models import Event
from dondoc.tracking import access, actions
from dondoc.tracking.models import Claim, Extension, Notification, Update
from dondoc.tracking.state import annotate, task_status, with_records
from dondoc.tracking.status import Status
from dondoc.plans.models import Assignment

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def status_of(assignment, as_of=None):
    return annotate(with_records(Assignment.objects.filter(pk=assignment.pk)), as_of)[0].status


def test_update_with_evidence_by_the_lead(lead, people):
    f = SimpleUploadedFile("bao-cao.pdf", PDF, content_type="application/pdf")
    update = actions.do_post_update(lead, people["lead_focal"], text="Đã triển khai tại 3 bệnh viện", percent=40,
                                    difficulties="Thiếu kinh phí", files=[f])
    assert update.percent == 40 and update.evidence.get().kind == "pdf"
    assert Event.objects.filter(action="update.posted", object_id=str(lead.pk)).exists()


@pytest.mark.parametrize("percent", [-1, 101, "abc"])
def test_percent_outside_0_100_is_refused(lead, people, percent):
    with pytest.raises(actions.TrackingError):
        actions.do_post_update(lead, people["lead_focal"], text="x", percent=percent)
    assert not Update.objects.exists()


def test_empty_update_and_forbidden_file_are_refused_and_nothing_written(lead, people):
    with pytest.raises(actions.TrackingError):
        actions.do_post_update(lead, people["lead_focal"], text="   ")
    exe = SimpleUploadedFile("bao-cao.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    from dondoc.tracking.files import FileRefused

    with pytest.raises(FileRefused):
        actions.do_post_update(lead, people["lead_focal"], text="ok", files=[exe])
    assert not Update.objects.exists()


def test_too_large_file_is_refused(lead, people, settings):
    settings.EVIDENCE_MAX_MB = 1
    big = SimpleUploadedFile("lon.pdf", PDF + b"0" * (1024 * 1024), content_type="application/pdf")
    from dondoc.tracking.files import FileRefused

    with pytest.raises(FileRefused, match="quá lớn"):
        actions.do_post_update(lead, people["lead_focal"], text="ok", files=[big])


def test_partner_posts_updates_without_percent_and_cannot_claim(partner, people):
    actions.do_post_update(partner, people["partner_focal"], text="Đã phối hợp cung cấp số liệu")
    with pytest.raises(actions.TrackingError):
        actions.do_post_update(partner, people["partner_focal"], text="x", percent=50)
    with pytest.raises(access.Forbidden):
        actions.do_claim(partner, people["partner_head"], completed_on=dt.date(2024, 9, 10))


def test_other_agency_cannot_post_or_claim(lead, people):
    with pytest.raises(access.Forbidden):
        actions.do_post_update(lead, people["other_focal"], text="x")
    with pytest.raises(access.Forbidden):
        actions.do_claim(lead, people["other_head"], completed_on=dt.date(2024, 9, 10))
    with pytest.raises(access.Forbidden):
        actions.do_post_update(lead, people["coordinator"], text="x")


def test_claim_in_the_future_is_refused(lead, people, today):
    with pytest.raises(actions.TrackingError, match="tương lai"):
        actions.do_claim(lead, people["lead_head"], completed_on=today + dt.timedelta(days=1))
    assert not Claim.objects.exists()


def test_claim_return_claim_again_confirm(lead, people, today):
    assert status_of(lead) == Status.OPEN_IN_TIME
    claim = actions.do_claim(lead, people["lead_head"], completed_on=dt.date(2024, 9, 10), output="Quyết định 123/QĐ-SYT")
    assert status_of(lead) == Status.AWAITING
    assert Notification.objects.filter(user=people["coordinator"], kind="claim").exists()
    with pytest.raises(actions.Conflict):
        actions.do_claim(lead, people["lead_focal"], completed_on=dt.date(2024, 9, 11))
    with pytest.raises(access.Forbidden):
        actions.do_confirm(claim, people["leader"])  # only the coordinator confirms
    with pytest.raises(actions.TrackingError):
        actions.do_return(claim, people["coordinator"], reason="  ")
    actions.do_return(claim, people["coordinator"], reason="Thiếu quyết định phê duyệt")
    assert status_of(lead) == Status.OPEN_IN_TIME  # a returned claim is not completion
    note = Notification.objects.get(user=people["lead_focal"], kind="claim_returned")
    assert "Thiếu quyết định phê duyệt" in note.text
    second = actions.do_claim(lead, people["lead_head"], completed_on=dt.date(2024, 9, 14))
    actions.do_confirm(second, people["coordinator"])
    assert status_of(lead) == Status.DONE_ON_TIME
    with pytest.raises(actions.Conflict):
        actions.do_confirm(second, people["coordinator"])


def test_completed_after_the_deadline_is_done_late(lead, people, settings):
    settings.DEMO_TODAY = dt.date(2024, 10, 5)
    assert status_of(lead) == Status.OVERDUE
    claim = actions.do_claim(lead, people["lead_head"], completed_on=dt.date(2024, 10, 1))
    actions.do_confirm(claim, people["coordinator"])
    assert status_of(lead) == Status.DONE_LATE


def test_extension_keeps_the_original_and_moves_the_status(lead, people, settings):
    settings.DEMO_TODAY = dt.date(2024, 10, 5)
    assert status_of(lead) == Status.OVERDUE
    with pytest.raises(actions.TrackingError):
        actions.do_request_extension(lead, people["lead_head"], new_deadline=dt.date(2024, 9, 1), reason="x")
    with pytest.raises(access.Forbidden):
        actions.do_request_extension(lead, people["partner_head"], new_deadline=dt.date(2024, 12, 1), reason="x")
    ext = actions.do_request_extension(lead, people["lead_head"], new_deadline=dt.date(2024, 10, 31), reason="Chờ kinh phí")
    assert ext.original_due == dt.date(2024, 9, 30)
    with pytest.raises(access.Forbidden):
        actions.do_decide_extension(ext, people["viewer"], approve=True)
    actions.do_decide_extension(ext, people["leader"], approve=True)
    a = annotate(with_records(Assignment.objects.filter(pk=lead.pk)))[0]
    assert a.status == Status.OPEN_IN_TIME and a.effective_due == dt.date(2024, 10, 31) and a.due.date == dt.date(2024, 9, 30)
    assert Extension.objects.get().state == "approved"


def test_status_as_of_a_past_day_is_rebuilt_from_records(lead, people, settings):
    settings.DEMO_TODAY = dt.date(2024, 10, 5)
    claim = actions.do_claim(lead, people["lead_head"], completed_on=dt.date(2024, 10, 1))
    actions.do_confirm(claim, people["coordinator"])
    # Records are dated by when they were made; looking back before they existed gives the status of that day.
    made = timezone.localdate(Claim.objects.get().created_at)  # the day in Vietnam, as the status rule counts it
    assert status_of(lead, made - dt.timedelta(days=1)) in (Status.OPEN_IN_TIME, Status.OVERDUE)
    assert status_of(lead, made) == Status.DONE_LATE


def test_directions_are_shown_until_acknowledged(lead, people, plan):
    task = lead.task
    with pytest.raises(access.Forbidden):
        actions.do_give_direction(task, people["coordinator"], text="x")
    d = actions.do_give_direction(task, people["leader"], text="Khẩn trương hoàn thành trong tháng 9", agency=lead.agency)
    assert Notification.objects.filter(user=people["lead_focal"], kind="direction").exists()
    assert not Notification.objects.filter(user=people["partner_focal"], kind="direction").exists()
    with pytest.raises(access.Forbidden):
        actions.do_acknowledge(d, people["other_focal"])
    actions.do_acknowledge(d, people["lead_focal"])
    actions.do_acknowledge(d, people["lead_head"])  # once per agency
    assert d.acks.count() == 1


def test_cancelled_task_leaves_the_figures(lead, people):
    with pytest.raises(access.Forbidden):
        actions.do_cancel_task(lead.task, people["leader"], reason="x")
    actions.do_cancel_task(lead.task, people["coordinator"], reason="Trùng với nhiệm vụ 1.2#1")
    assert status_of(lead) == Status.CANCELLED
    assert task_status(lead.task) == Status.CANCELLED
    with pytest.raises(actions.TrackingError):
        actions.do_post_update(lead, people["lead_focal"], text="x")


def test_amend_with_a_stale_version_is_a_conflict(lead, people):
    task = lead.task
    actions.do_amend_task(task, people["coordinator"], version=task.version, text="Nội dung đã điều chỉnh")
    with pytest.raises(actions.Conflict, match="Nội dung đã điều chỉnh"):  # the other person's change is shown
        actions.do_amend_task(task, people["admin"], version=task.version, text="Ghi đè")
    task.refresh_from_db()
    assert task.text == "Nội dung đã điều chỉnh"
    assert Event.objects.filter(action="task.amended", object_id=str(task.pk)).count() == 1


def test_reassigning_the_lead_keeps_the_old_assignment_with_its_history(lead, people, orgs):
    actions.do_post_update(lead, people["lead_focal"], text="Đã làm một phần")
    actions.do_set_agency(lead.task, people["coordinator"], agency=orgs["snv"], role="lead", add=True)
    actions.do_set_agency(lead.task, people["coordinator"], agency=orgs["syt"], role="lead", add=False)
    lead.refresh_from_db()
    assert lead.ended_at is not None and lead.updates.count() == 1
    assert status_of(lead) == Status.CANCELLED
    assert lead.task.assignments.get(agency=orgs["snv"], role="lead").ended_at is None


def test_head_assigns_a_person_of_the_agency(lead, people):
    with pytest.raises(access.Forbidden):
        actions.do_assign_person(lead, people["lead_focal"], people["lead_focal"])
    with pytest.raises(actions.TrackingError):
        actions.do_assign_person(lead, people["lead_head"], people["other_focal"])
    actions.do_assign_person(lead, people["lead_head"], people["lead_focal"])
    lead.refresh_from_db()
    assert lead.assignee == people["lead_focal"]


def test_withdrawn_update_stays_visible(lead, people):
    u = actions.do_post_update(lead, people["lead_focal"], text="Nhầm")
    with pytest.raises(access.Forbidden):
        actions.do_withdraw_update(u, people["partner_focal"], reason="x")
    actions.do_withdraw_update(u, people["lead_focal"], reason="Gửi nhầm")
    u.refresh_from_db()
    assert u.withdrawn_at is not None and Update.objects.count() == 1


def test_agency_history_shows_only_its_own_assignment(client, lead, partner, people):
    actions.do_post_update(lead, people["lead_focal"], text="Của cơ quan chủ trì")
    claim = actions.do_claim(lead, people["lead_head"], completed_on=dt.date(2024, 9, 10))
    actions.do_return(claim, people["coordinator"], reason="Lý do riêng của Sở Y tế")
    actions.do_post_update(partner, people["partner_focal"], text="Của cơ quan phối hợp")
    client.force_login(people["partner_focal"])
    body = client.get(f"/giao-viec/{partner.pk}/").content.decode()
    assert "Lý do riêng của Sở Y tế" not in body and "Trả lại báo cáo hoàn thành" not in body
    assert "Gửi báo cáo tiến độ" in body
    # The coordinator too reads one agency's history on its assignment's page (issue 16: it mixed in the others').
    client.force_login(people["coordinator"])
    assert "Lý do riêng của Sở Y tế" not in client.get(f"/giao-viec/{partner.pk}/").content.decode()
    assert "Lý do riêng của Sở Y tế" in client.get(f"/giao-viec/{lead.pk}/").content.decode()
