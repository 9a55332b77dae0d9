"""The unmatched-names panel's other two answers: create the agency the organisation data lacks (and give it every
task carrying the name), or drop a phrase that is no agency from every task — each in one step, audited, and nothing
written when refused."""

import datetime as dt

import pytest

from dondoc.accounts.roles import Role
from dondoc.audit.models import Event
from dondoc.core.errors import Forbidden
from dondoc.orgs.models import Agency, AgencyKind
from dondoc.plans import actions, draft as drafts, naming
from dondoc.plans.models import DraftStep, Task
from dondoc.plans.resolve import Resolver

from .conftest import make_structure

UNKNOWN = "Ban Quản lý các dự án đầu tư xây dựng tỉnh"  # not in the organisation data
PHRASE = "theo chức năng, nhiệm vụ được giao"  # the parser took it for a partner
LATER = dt.date(2024, 9, 1)


def _draft(users, date="2024-05-06", printed=UNKNOWN):
    structure = make_structure()
    structure["document"]["date"] = date
    tasks = [t for block in structure["assignments"] for t in block["tasks"]]
    tasks[0]["lead_override"] = [printed]
    tasks[1]["lead_override"] = [PHRASE]
    tasks[2]["coordinating"] = [printed, "Sở Xây dựng", PHRASE]
    return actions.import_structure(structure, user=users[Role.COORDINATOR])


def _snapshot(draft):
    """Everything the two actions may write."""
    return (Agency.objects.count(), Event.objects.exclude(action="plan.imported").count(), DraftStep.objects.count(),
            list(draft.tasks.order_by("order").values_list("lead_names", "coordinating_names", "needs_lead", "version")))


# --- Tạo cơ quan mới -------------------------------------------------------------------------------------------------

def test_a_new_agency_gets_every_task_carrying_the_name_in_one_step(orgs, users):
    draft = _draft(users)
    agency, count = naming.do_create_agency_for_name(draft, UNKNOWN, agency_name=f"  {UNKNOWN} ", kind=AgencyKind.OTHER,
                                                     user=users[Role.COORDINATOR])
    assert count == 2
    assert (agency.name, agency.kind, agency.code) == (UNKNOWN, "other", "ban-quan-ly-cac-du-an-dau-tu-xay-dung")
    assert agency.is_active_on(draft.issued_on) and agency.is_active_on(dt.date(2020, 1, 1))  # no date invented
    first, _, third = draft.tasks.order_by("order")[:3]
    assert first.lead_names == [UNKNOWN] and not first.needs_lead and first.version == 2
    assert third.coordinating_names == [UNKNOWN, "Sở Xây dựng", PHRASE]
    assert UNKNOWN not in actions.unresolved_names(draft)
    assert Resolver(LATER)(UNKNOWN).agency == agency  # it joined the organisation data
    assert agency.aliases == ""  # its own name: no alias needed
    created = Event.objects.get(action="agency.created_from_plan")
    assert created.object_id == str(agency.pk) and created.changes["plan"] == draft.pk
    assert created.actor == users[Role.COORDINATOR]
    assert Event.objects.filter(action="plan.name_mapped", object_id=str(draft.pk), changes__tasks=2).exists()


def test_a_printed_name_unlike_the_new_agencys_is_remembered_as_its_alias(orgs, users):
    draft = _draft(users, printed="BQL các dự án tỉnh")
    agency, count = naming.do_create_agency_for_name(draft, "BQL các dự án tỉnh", agency_name=UNKNOWN,
                                                     kind=AgencyKind.DEPARTMENT, user=users[Role.ADMIN])
    assert count == 2 and draft.tasks.order_by("order").first().lead_names == [UNKNOWN]
    assert agency.alias_list() == ["BQL các dự án tỉnh"]
    assert Resolver(LATER)("BQL các dự án tỉnh").agency == agency  # a later plan reads it at once
    assert Event.objects.filter(action="agency.alias_added", object_id=str(agency.pk)).exists()


def test_a_role_creates_its_body_and_needs_no_alias(orgs, users):
    printed = "Giám đốc Ban Quản lý dự án tỉnh"
    draft = _draft(users, printed=printed)
    proposed_name, proposed_kind = naming.proposal(printed)
    assert (proposed_name, proposed_kind) == ("Ban Quản lý dự án tỉnh", AgencyKind.DEPARTMENT)
    agency, _ = naming.do_create_agency_for_name(draft, printed, agency_name=proposed_name, kind=proposed_kind,
                                                 user=users[Role.COORDINATOR])
    assert agency.aliases == ""  # the role finds its body by itself
    assert Resolver(LATER)(printed).agency == agency


@pytest.mark.parametrize("typed, existing", [("So Xay dung", "Sở Xây dựng"), ("UBND huyện Na Hang", "Ủy ban nhân dân huyện Na Hang")])
def test_an_agency_already_in_the_organisation_data_is_refused_and_named(orgs, users, typed, existing):
    draft = _draft(users)
    before = _snapshot(draft)
    with pytest.raises(actions.PlanError) as refused:
        naming.do_create_agency_for_name(draft, UNKNOWN, agency_name=typed, kind=AgencyKind.OTHER,
                                         user=users[Role.COORDINATOR])
    assert str(refused.value) == (f"Đã có cơ quan “{existing}” trùng tên với “{typed}”: hãy tìm và chọn cơ quan đó "
                                  "thay vì tạo mới.")
    assert _snapshot(draft) == before


def test_a_namesake_gone_by_the_plans_date_points_to_its_successor(orgs, users):
    draft = _draft(users, date="2025-11-20")
    with pytest.raises(actions.PlanError, match="không hoạt động vào ngày 20/11/2025 của kế hoạch: hãy chọn cơ quan "
                                                "kế thừa: Sở Tài chính"):
        naming.do_create_agency_for_name(draft, UNKNOWN, agency_name="Sở Kế hoạch và Đầu tư", kind=AgencyKind.DEPARTMENT,
                                         user=users[Role.COORDINATOR])


def test_a_groups_name_is_refused(orgs, users):
    draft = _draft(users)
    with pytest.raises(actions.PlanError, match="là tên nhóm cơ quan"):
        naming.do_create_agency_for_name(draft, UNKNOWN, agency_name="Ủy ban nhân dân huyện, thành phố",
                                         kind=AgencyKind.DISTRICT, user=users[Role.COORDINATOR])


@pytest.mark.parametrize("role", [Role.LEADER, Role.HEAD, Role.FOCAL, Role.VIEWER])
def test_only_the_drafting_roles_create_an_agency(orgs, users, role):
    draft = _draft(users)
    before = _snapshot(draft)
    with pytest.raises(Forbidden):
        naming.do_create_agency_for_name(draft, UNKNOWN, agency_name=UNKNOWN, kind=AgencyKind.OTHER, user=users[role])
    assert _snapshot(draft) == before


@pytest.mark.parametrize("name, agency_name, kind, message", [
    ("Sở không có", UNKNOWN, "other", "Không có nhiệm vụ nào của bản nháp mang tên “Sở không có”."),
    ("Sở Xây dựng", UNKNOWN, "other", "“Sở Xây dựng” đã ứng với Sở Xây dựng trong dữ liệu tổ chức"),
    (UNKNOWN, " ,. ", "other", "Hãy nhập tên cơ quan mới."),
    (UNKNOWN, UNKNOWN, "province", "Hãy chọn loại cơ quan."),
    (UNKNOWN, "x" * 256, "other", "Tên cơ quan dài quá 255 ký tự."),
])
def test_bad_input_is_refused_with_nothing_written(orgs, users, name, agency_name, kind, message):
    draft = _draft(users)
    before = _snapshot(draft)
    with pytest.raises(actions.PlanError) as refused:
        naming.do_create_agency_for_name(draft, name, agency_name=agency_name, kind=kind, user=users[Role.COORDINATOR])
    assert str(refused.value).startswith(message)
    assert _snapshot(draft) == before


def test_a_published_plan_is_refused(orgs, users):
    plan = actions.do_publish_plan(_draft(users), allow_unresolved=True)
    with pytest.raises(actions.PlanError, match="bản nháp"):
        naming.do_create_agency_for_name(plan, UNKNOWN, agency_name=UNKNOWN, kind="other", user=users[Role.COORDINATOR])
    with pytest.raises(actions.PlanError, match="bản nháp"):
        naming.do_drop_name(plan, PHRASE, user=users[Role.COORDINATOR])
    assert not Agency.objects.filter(name=UNKNOWN).exists()


def test_a_parent_must_exist_on_the_plans_date(orgs, users):
    draft = _draft(users, date="2025-11-20")
    with pytest.raises(actions.PlanError, match="^Cơ quan cấp trên không hợp lệ: Sở Kế hoạch và Đầu tư không hoạt động"):
        naming.do_create_agency_for_name(draft, UNKNOWN, agency_name=UNKNOWN, kind="other", parent=orgs["skhdt"],
                                         user=users[Role.COORDINATOR])
    agency, _ = naming.do_create_agency_for_name(draft, UNKNOWN, agency_name=UNKNOWN, kind="other", parent=orgs["sxd"],
                                                 user=users[Role.COORDINATOR])
    assert agency.parent == orgs["sxd"]


def test_codes_are_unique_and_fit(orgs):
    Agency.objects.create(name="Ban khác", code="ban-quan-ly-du-an")
    assert naming._new_code("Ban Quản lý dự án") == "ban-quan-ly-du-an-2"
    long = naming._new_code("Trung tâm Phát triển quỹ đất và Dịch vụ công ích tỉnh")
    assert long == "trung-tam-phat-trien-quy-dat-va-dich-vu"  # cut after a whole word, 40 characters at most
    Agency.objects.create(name="Trung tâm khác", code=long)
    assert naming._new_code("Trung tâm Phát triển quỹ đất và Dịch vụ công ích tỉnh") == "trung-tam-phat-trien-quy-dat-va-dich-2"


@pytest.mark.parametrize("printed, proposed", [
    ("Chủ tịch UBND xã Yên Lập", ("UBND xã Yên Lập", AgencyKind.COMMUNE)),
    ("Ủy ban nhân dân thị xã Kiên Đài", ("Ủy ban nhân dân thị xã Kiên Đài", AgencyKind.DISTRICT)),
    ("Hội Nông dân tỉnh", ("Hội Nông dân tỉnh", AgencyKind.ASSOCIATION)),
    ("Tổ công tác đặc biệt", ("Tổ công tác đặc biệt", AgencyKind.OTHER)),
])
def test_the_form_proposes_the_body_and_its_kind(printed, proposed):
    assert naming.proposal(printed) == proposed


# --- Không phải cơ quan ----------------------------------------------------------------------------------------------

def test_a_phrase_leaves_every_task_in_one_step(orgs, users):
    draft = _draft(users)
    assert {r.name: r.tasks for r in actions.unresolved(draft)}[PHRASE] == 2
    assert naming.do_drop_name(draft, f" {PHRASE} ", user=users[Role.COORDINATOR]) == 2
    _, second, third = draft.tasks.order_by("order")[:3]
    assert second.lead_names == [] and second.needs_lead and second.version == 2  # left without a lead: flagged
    assert third.coordinating_names == [UNKNOWN, "Sở Xây dựng"] and not third.needs_lead and third.version == 2
    assert PHRASE not in actions.unresolved_names(draft) and UNKNOWN in actions.unresolved_names(draft)
    event = Event.objects.get(action="plan.name_dropped")
    assert event.object_id == str(draft.pk) and event.changes == {"name": PHRASE, "tasks": 2, "without_lead": 1}
    assert Agency.objects.filter(name__icontains="chức năng").count() == 0  # nothing remembered


def test_a_dropped_partner_keeps_the_lead_flag_as_it_was(orgs, users):
    draft = _draft(users)
    Task.objects.filter(plan=draft, lead_names=[PHRASE]).update(lead_names=[PHRASE, "Sở Y tế"], needs_lead=False)
    naming.do_drop_name(draft, PHRASE, user=users[Role.COORDINATOR])
    second = draft.tasks.order_by("order")[1]
    assert second.lead_names == ["Sở Y tế"] and not second.needs_lead


@pytest.mark.parametrize("role", [Role.LEADER, Role.HEAD, Role.FOCAL, Role.VIEWER])
def test_only_the_drafting_roles_drop_a_name(orgs, users, role):
    draft = _draft(users)
    before = _snapshot(draft)
    with pytest.raises(Forbidden):
        naming.do_drop_name(draft, PHRASE, user=users[role])
    assert _snapshot(draft) == before


@pytest.mark.parametrize("name, message", [
    ("cụm từ không có", "Không có nhiệm vụ nào của bản nháp mang tên “cụm từ không có”."),
    ("", "Thiếu tên cơ quan cần xử lý."),
    ("Sở Xây dựng", "“Sở Xây dựng” đã ứng với Sở Xây dựng trong dữ liệu tổ chức; sửa từng nhiệm vụ nếu cần đổi."),
])
def test_dropping_a_name_no_task_carries_or_a_real_agency_is_refused(orgs, users, name, message):
    draft = _draft(users)
    before = _snapshot(draft)
    with pytest.raises(actions.PlanError) as refused:
        naming.do_drop_name(draft, name, user=users[Role.ADMIN])
    assert str(refused.value) == message
    assert _snapshot(draft) == before


# --- Hoàn tác --------------------------------------------------------------------------------------------------------

def test_each_answer_is_one_review_step_that_undo_takes_back(orgs, users):
    draft, coordinator = _draft(users), users[Role.COORDINATOR]
    printed = [list(t) for t in draft.tasks.order_by("order").values_list("lead_names", "coordinating_names")]

    naming.do_drop_name(draft, PHRASE, user=coordinator)
    assert drafts.last_step(draft).label == f"Bỏ tên “{PHRASE}” (không phải cơ quan)"
    assert drafts.do_undo(draft, user=coordinator) == f"Bỏ tên “{PHRASE}” (không phải cơ quan)"
    assert [list(t) for t in draft.tasks.order_by("order").values_list("lead_names", "coordinating_names")] == printed
    assert draft.tasks.order_by("order")[1].needs_lead  # its only lead is the phrase again

    agency, _ = naming.do_create_agency_for_name(draft, UNKNOWN, agency_name="Ban QLDA đầu tư xây dựng tỉnh",
                                                 kind="other", user=coordinator)
    assert drafts.last_step(draft).label == f"Tạo cơ quan Ban QLDA đầu tư xây dựng tỉnh cho tên “{UNKNOWN}”"
    drafts.do_undo(draft, user=coordinator)
    assert draft.tasks.order_by("order").first().lead_names == [UNKNOWN]  # the printed name is back on the tasks,
    assert Agency.objects.filter(pk=agency.pk).exists()  # the agency stays, and the remembered name finds it
    assert UNKNOWN not in actions.unresolved_names(draft)

    assert DraftStep.objects.filter(plan=draft).count() == 0  # both steps taken back


def test_mapping_a_name_is_a_review_step_too(orgs, users):
    draft, coordinator = _draft(users), users[Role.COORDINATOR]
    naming.do_map_name(draft, UNKNOWN, orgs["sxd"], remember=False, user=coordinator)
    assert drafts.last_step(draft).label == f"Giao tên “{UNKNOWN}” cho Sở Xây dựng"
    drafts.do_undo(draft, user=coordinator)
    assert draft.tasks.order_by("order").first().lead_names == [UNKNOWN]
    assert UNKNOWN in actions.unresolved_names(draft)  # not remembered: unmatched again


# --- The panel -------------------------------------------------------------------------------------------------------

def _panel(client, draft) -> str:
    page = client.get(f"/ke-hoach/{draft.pk}/ra-soat/").content.decode()
    start = page.index('id="unknown-names"')
    return page[start:page.index("</ul>", start)]


def test_the_panel_offers_three_answers_per_name_and_no_list_of_every_agency(client, orgs, users):
    draft = _draft(users, printed="Chủ tịch UBND xã Yên Lập")
    client.force_login(users[Role.COORDINATOR])
    panel = _panel(client, draft)
    assert panel.count('unknown-name" data-name=') == 2
    assert panel.count('name="agency_q"') == 2 and panel.count("Tạo cơ quan mới…") == 2
    assert panel.count("Không phải cơ quan</button>") == 2
    assert 'name="agency_name" value="UBND xã Yên Lập"' in panel  # the body the role names
    assert '<option value="commune" selected>' in panel
    assert "<option" in panel and "Sở Y tế" not in panel  # the kinds only: agencies are searched, not listed
    assert 'data-suggest="/co-quan/goi-y/" data-on="2024-05-06"' in panel


def test_the_successor_of_a_dissolved_agency_stays_preselected(client, orgs, users):
    draft = _draft(users, date="2025-11-20")
    client.force_login(users[Role.COORDINATOR])
    panel = _panel(client, draft)
    row = panel[panel.index('data-name="Sở Kế hoạch và Đầu tư"'):]
    row = row[:row.index("</li>")]
    assert f'name="agency" value="{orgs["stc"].pk}"' in row and 'value="Sở Tài chính" required' in row


def test_creating_from_the_panel(client, orgs, users):
    draft = _draft(users)
    client.force_login(users[Role.COORDINATOR])
    url = f"/ke-hoach/{draft.pk}/ra-soat/ten-co-quan/tao/"
    response = client.post(url, {"name": UNKNOWN, "agency_name": UNKNOWN, "kind": "department"})
    assert response.status_code == 302 and response.url == f"/ke-hoach/{draft.pk}/ra-soat/"
    page = client.get(response.url).content.decode()
    assert f"Đã thêm {UNKNOWN} vào danh sách cơ quan và giao 2 nhiệm vụ mang tên “{UNKNOWN}” cho cơ quan này." in page
    assert Agency.objects.get(name=UNKNOWN).kind == "department"
    page = client.post(url, {"name": PHRASE, "agency_name": "Sở Y tế", "kind": "department"}, follow=True).content.decode()
    assert "Đã có cơ quan “Sở Y tế” trùng tên với “Sở Y tế”" in page
    assert Agency.objects.filter(name="Sở Y tế").count() == 1
    assert client.get(url).status_code == 405


def test_the_create_form_has_an_optional_parent_picker_and_no_list_of_agencies(client, orgs, users):
    draft = _draft(users)
    client.force_login(users[Role.COORDINATOR])
    panel = _panel(client, draft)
    form = panel[panel.index('action="/ke-hoach/%d/ra-soat/ten-co-quan/tao/"' % draft.pk):]
    form = form[:form.index("</form>")]
    assert '<input type="hidden" name="parent" value="">' in form and 'name="parent_q"' in form
    assert ">Trực thuộc</label>" in form and 'data-field="parent" data-active-only="1"' in form
    assert "required" not in form[form.index('name="parent_q"'):]  # optional
    assert "Sở Y tế" not in panel and "Ủy ban nhân dân tỉnh" not in panel  # searched, never listed


def test_creating_from_the_panel_under_a_parent(client, orgs, users):
    draft = _draft(users)
    client.force_login(users[Role.COORDINATOR])
    url = f"/ke-hoach/{draft.pk}/ra-soat/ten-co-quan/tao/"
    new = {"name": UNKNOWN, "agency_name": UNKNOWN, "kind": "department"}
    page = client.post(url, {**new, "parent_q": "không có cơ quan này"}, follow=True).content.decode()
    assert ("Không tìm thấy cơ quan cấp trên “không có cơ quan này”: hãy chọn trong danh sách gợi ý, hoặc để trống ô "
            "Trực thuộc.") in page
    assert not Agency.objects.filter(name=UNKNOWN).exists()
    page = client.post(url, {**new, "parent": orgs["ubnd-tinh"].pk, "parent_q": "Ủy ban nhân dân tỉnh Tuyên Quang"},
                       follow=True).content.decode()
    assert (f"Đã thêm {UNKNOWN} (trực thuộc Ủy ban nhân dân tỉnh Tuyên Quang) vào danh sách cơ quan và giao 2 nhiệm "
            f"vụ mang tên “{UNKNOWN}” cho cơ quan này.") in page
    assert Agency.objects.get(name=UNKNOWN).parent == orgs["ubnd-tinh"]
    assert Event.objects.get(action="agency.created_from_plan").changes["parent"] == "ubnd-tinh"


def test_a_parent_typed_without_a_pick_is_looked_up_and_one_gone_by_the_plans_date_refused(client, orgs, users):
    draft = _draft(users, date="2025-11-20")
    client.force_login(users[Role.COORDINATOR])
    url = f"/ke-hoach/{draft.pk}/ra-soat/ten-co-quan/tao/"
    new = {"name": UNKNOWN, "agency_name": UNKNOWN, "kind": "department", "parent": ""}
    page = client.post(url, {**new, "parent": orgs["skhdt"].pk}, follow=True).content.decode()
    assert ("Cơ quan cấp trên không hợp lệ: Sở Kế hoạch và Đầu tư không hoạt động vào ngày 20/11/2025 của kế hoạch; "
            "hãy chọn cơ quan kế thừa: Sở Tài chính.") in page
    assert not Agency.objects.filter(name=UNKNOWN).exists() and not DraftStep.objects.exists()
    assert draft.tasks.order_by("order").first().lead_names == [UNKNOWN]
    page = client.post(url, {**new, "parent_q": " so  xay dung "}, follow=True).content.decode()  # no script
    assert f"Đã thêm {UNKNOWN} (trực thuộc Sở Xây dựng)" in page
    assert Agency.objects.get(name=UNKNOWN).parent == orgs["sxd"]


def test_dropping_from_the_panel(client, orgs, users):
    draft = _draft(users)
    client.force_login(users[Role.ADMIN])
    url = f"/ke-hoach/{draft.pk}/ra-soat/ten-co-quan/bo/"
    page = client.post(url, {"name": PHRASE}, follow=True).content.decode()
    assert f"Đã bỏ “{PHRASE}” khỏi 2 nhiệm vụ (không phải tên cơ quan)." in page
    assert f'data-name="{PHRASE}"' not in page and f'data-name="{UNKNOWN}"' in page  # the panel shrank
    page = client.post(url, {"name": PHRASE}, follow=True).content.decode()
    assert f"Không có nhiệm vụ nào của bản nháp mang tên “{PHRASE}”." in page
    assert Event.objects.filter(action="plan.name_dropped").count() == 1
    assert client.get(url).status_code == 405


def test_a_search_typed_without_a_pick_is_looked_up_on_the_plans_date(client, orgs, users):
    draft = _draft(users)
    client.force_login(users[Role.COORDINATOR])
    url = f"/ke-hoach/{draft.pk}/ra-soat/ten-co-quan/"
    page = client.post(url, {"name": PHRASE, "agency": "", "agency_q": "sở không có"}, follow=True).content.decode()
    assert "Không tìm thấy cơ quan “sở không có”: hãy chọn trong danh sách gợi ý, hoặc tạo cơ quan mới." in page
    page = client.post(url, {"name": UNKNOWN, "agency": "", "agency_q": " so  xay dung "}, follow=True).content.decode()
    assert f"Đã giao 2 nhiệm vụ mang tên “{UNKNOWN}” cho Sở Xây dựng." in page
    assert draft.tasks.order_by("order").first().lead_names == ["Sở Xây dựng"]
