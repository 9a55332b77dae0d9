"""The permission matrix of issue 5: every tracking page and action, for every kind of person."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dondoc.tracking import actions
from dondoc.tracking.models import Claim, Direction, DirectionAck, Extension, Update

ROLES = ["admin", "leader", "coordinator", "viewer", "lead_head", "lead_focal", "partner_head", "partner_focal",
         "other_head", "other_focal", "anonymous"]
OVERSIGHT = {"admin", "leader", "coordinator", "viewer"}
LEAD = {"lead_head", "lead_focal"}
AGENCY = {"lead_head", "lead_focal", "partner_head", "partner_focal", "other_head", "other_focal"}


def expect(ok=(), forbidden=(), hidden=()):
    table = {}
    for role in ROLES:
        table[role] = "ok" if role in ok else 403 if role in forbidden else 404 if role in hidden else None
    table["anonymous"] = "login"
    assert None not in table.values(), table
    return table


@pytest.fixture
def setup(people, lead, partner):
    update = actions.do_post_update(lead, people["lead_focal"], text="Đã triển khai")
    Update.objects.filter(pk=update.pk)  # evidence below
    ev_update = actions.do_post_update(lead, people["lead_focal"], text="Minh chứng", files=[
        SimpleUploadedFile("qd.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")])
    return {"lead": lead, "partner": partner, "update": update, "evidence": ev_update.evidence.get()}


PAGES = {
    "tracking:my_work": (lambda s: "/viec-cua-toi/", expect(ok=AGENCY, forbidden=OVERSIGHT)),
    "tracking:notifications": (lambda s: "/thong-bao/", expect(ok=OVERSIGHT | AGENCY)),
    # Extension requests: whoever decides them; the claims' list (?loai=hoan-thanh) is the coordinators' (test_home).
    "tracking:pending": (lambda s: "/cho-xu-ly/?loai=gia-han", expect(ok={"admin", "coordinator", "leader"},
                                                                    forbidden={"viewer"} | AGENCY)),
    "tracking:assignment": (lambda s: f"/giao-viec/{s['lead'].pk}/",
                            expect(ok=OVERSIGHT | LEAD, hidden=AGENCY - LEAD)),
    "tracking:evidence": (lambda s: f"/minh-chung/{s['evidence'].pk}/", expect(ok=OVERSIGHT | LEAD, hidden=AGENCY - LEAD)),
}


@pytest.mark.parametrize("name", sorted(PAGES))
@pytest.mark.parametrize("role", ROLES)
def test_pages(client, people, setup, name, role):
    build, table = PAGES[name]
    if role != "anonymous":
        client.force_login(people[role])
    response = client.get(build(setup))
    expected = table[role]
    if expected == "login":
        assert response.status_code == 302 and response.url.startswith("/dang-nhap/")
    else:
        assert response.status_code == (200 if expected == "ok" else expected), f"{role}: {response.status_code}"


def _claim(s, people):
    return actions.do_claim(s["lead"], people["lead_head"], completed_on=dt.date(2024, 9, 10))


def _extension(s, people):
    return actions.do_request_extension(s["lead"], people["lead_head"], new_deadline=dt.date(2024, 12, 1), reason="Chờ vốn")


def _direction(s, people):
    return actions.do_give_direction(s["lead"].task, people["leader"], text="Khẩn trương", agency=s["lead"].agency)


# name -> (prepare(s, people) -> object, url(s, obj), data, did_it(s, obj) -> bool, table)
ACTIONS = {
    "post_update": (None, lambda s, o: f"/giao-viec/{s['lead'].pk}/bao-cao/", {"text": "Tiến độ mới"},
                    lambda s, o: Update.objects.filter(text="Tiến độ mới").exists(),
                    expect(ok=LEAD, forbidden=OVERSIGHT, hidden=AGENCY - LEAD)),
    "claim": (None, lambda s, o: f"/giao-viec/{s['lead'].pk}/hoan-thanh/", {"completed_on": "2024-09-10"},
              lambda s, o: Claim.objects.exists(), expect(ok=LEAD, forbidden=OVERSIGHT, hidden=AGENCY - LEAD)),
    "request_extension": (None, lambda s, o: f"/giao-viec/{s['lead'].pk}/gia-han/",
                          {"new_deadline": "2024-12-01", "reason": "Chờ vốn"}, lambda s, o: Extension.objects.exists(),
                          expect(ok=LEAD, forbidden=OVERSIGHT, hidden=AGENCY - LEAD)),
    "give_direction": (None, lambda s, o: f"/giao-viec/{s['lead'].pk}/chi-dao/", {"text": "Khẩn trương", "scope": "agency"},
                       lambda s, o: Direction.objects.exists(),
                       expect(ok={"admin", "leader"}, forbidden={"coordinator", "viewer"} | LEAD, hidden=AGENCY - LEAD)),
    "assign_person": (None, lambda s, o: f"/giao-viec/{s['lead'].pk}/phan-cong/", None,
                      lambda s, o: type(s["lead"]).objects.get(pk=s["lead"].pk).assignee_id is not None,
                      expect(ok={"lead_head"}, forbidden=OVERSIGHT | {"lead_focal"}, hidden=AGENCY - LEAD)),
    "confirm": (_claim, lambda s, o: f"/hoan-thanh/{o.pk}/xac-nhan/", {},
                lambda s, o: Claim.objects.get(pk=o.pk).state == "confirmed",
                expect(ok={"admin", "coordinator"}, forbidden={"leader", "viewer"} | LEAD, hidden=AGENCY - LEAD)),
    "return": (_claim, lambda s, o: f"/hoan-thanh/{o.pk}/tra-lai/", {"reason": "Thiếu hồ sơ"},
               lambda s, o: Claim.objects.get(pk=o.pk).state == "returned",
               expect(ok={"admin", "coordinator"}, forbidden={"leader", "viewer"} | LEAD, hidden=AGENCY - LEAD)),
    "decide_extension": (_extension, lambda s, o: f"/gia-han/{o.pk}/quyet-dinh/", {"approve": "1"},
                         lambda s, o: Extension.objects.get(pk=o.pk).state == "approved",
                         expect(ok={"admin", "coordinator", "leader"}, forbidden={"viewer"} | LEAD, hidden=AGENCY - LEAD)),
    "acknowledge": (_direction, lambda s, o: f"/chi-dao/{o.pk}/da-nhan/", {},
                    lambda s, o: DirectionAck.objects.exists(),
                    # scoped to the lead agency: another agency does not see it (404), even a partner on the task
                    expect(ok=LEAD, forbidden=OVERSIGHT, hidden=AGENCY - LEAD)),
    "amend_task": (None, lambda s, o: f"/nhiem-vu/{s['lead'].task_id}/dieu-chinh/",
                   {"version": "1", "text": "Nội dung điều chỉnh", "deadline_date": "2024-10-31", "deadline_text": ""},
                   lambda s, o: type(s["lead"].task).objects.get(pk=s["lead"].task_id).text == "Nội dung điều chỉnh",
                   expect(ok={"admin", "coordinator"}, forbidden={"leader", "viewer"} | AGENCY)),
    "cancel_task": (None, lambda s, o: f"/nhiem-vu/{s['lead'].task_id}/huy/", {"reason": "Trùng nhiệm vụ"},
                    lambda s, o: type(s["lead"].task).objects.get(pk=s["lead"].task_id).cancelled_at is not None,
                    expect(ok={"admin", "coordinator"}, forbidden={"leader", "viewer"} | AGENCY)),
    "set_agency": (None, lambda s, o: f"/nhiem-vu/{s['lead'].task_id}/co-quan/", "set_agency",
                   lambda s, o: s["lead"].task.assignments.filter(agency__code="snv").exists(),
                   expect(ok={"admin", "coordinator"}, forbidden={"leader", "viewer"} | AGENCY)),
    "withdraw_update": (None, lambda s, o: f"/bao-cao/{s['update'].pk}/rut/", {"reason": "Nhầm"},
                        lambda s, o: Update.objects.get(pk=s["update"].pk).withdrawn_at is not None,
                        expect(ok={"lead_head", "lead_focal"}, forbidden=OVERSIGHT, hidden=AGENCY - LEAD)),
}


@pytest.mark.parametrize("name", sorted(ACTIONS))
@pytest.mark.parametrize("role", ROLES)
def test_actions(client, people, setup, name, role):
    prepare, url, data, did_it, table = ACTIONS[name]
    obj = prepare(setup, people) if prepare else None
    if data is None:  # assign_person: a colleague of the lead agency
        data = {"person": people["lead_focal"].pk}
    elif data == "set_agency":
        from dondoc.orgs.models import Agency

        data = {"agency": Agency.objects.get(code="snv").pk, "role": "coordinating", "add": "1"}
    if role != "anonymous":
        client.force_login(people[role])
    response = client.post(url(setup, obj), data)
    expected = table[role]
    if expected == "ok":
        assert response.status_code == 302 and did_it(setup, obj), f"{role} could not {name}"
    else:
        code = 302 if expected == "login" else expected
        assert response.status_code == code, f"{role} on {name}: {response.status_code}"
        assert not did_it(setup, obj), f"{role} managed to {name}"
