from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dondoc.accounts.roles import Role
from dondoc.plans import actions
from dondoc.plans.models import Job, JobState, Plan, PlanStatus, Task

PLAN78 = Path(__file__).resolve().parents[1] / "fixtures" / "plan78" / "source.txt"


def run_worker():
    """The real task queue: the database backend, drained by the real worker command.

    The worker closes its database connection when done, so tests that call it run with transaction=True."""
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


@pytest.fixture
def coordinator(client, users):
    client.force_login(users[Role.COORDINATOR])
    return client


@pytest.mark.django_db(transaction=True)
def test_upload_parses_in_the_background_then_review_and_publish(coordinator, orgs):
    upload = SimpleUploadedFile("ke-hoach-78.txt", PLAN78.read_bytes(), content_type="text/plain")
    response = coordinator.post("/ke-hoach/tai-len/", {"file": upload})
    assert response.status_code == 302
    job = Job.objects.get()
    assert response.url == f"/ke-hoach/tai-len/{job.pk}/"
    assert job.state == JobState.QUEUED and job.plan is None
    page = coordinator.get(response.url).content.decode()
    assert 'role="progressbar"' in page and "hx-trigger" in page  # the page polls while the job runs

    run_worker()
    job.refresh_from_db()
    assert job.state == JobState.DONE and job.progress == 100, job.error
    plan = job.plan
    assert plan.status == PlanStatus.DRAFT and plan.number == "78/KH-UBND"
    assert plan.tasks.count() > 200 and plan.source_text
    fragment = coordinator.get(f"/ke-hoach/tai-len/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in fragment and f"/ke-hoach/{plan.pk}/ra-soat/" in fragment

    review = coordinator.get(f"/ke-hoach/{plan.pk}/ra-soat/").content.decode()
    task = plan.tasks.order_by("order").first()
    assert f'id="src-{task.pk}"' in review  # the task's sentence is marked in the text beside it

    response = coordinator.post(f"/ke-hoach/{plan.pk}/ban-hanh/")
    assert response.status_code == 302 and response.url == f"/ke-hoach/{plan.pk}/"
    plan.refresh_from_db()
    assert plan.status == PlanStatus.PUBLISHED
    assert Task.objects.get(pk=task.pk).assignments.filter(role="lead").exists()


def test_upload_refuses_a_type_the_parser_does_not_read(coordinator):
    upload = SimpleUploadedFile("virus.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    response = coordinator.post("/ke-hoach/tai-len/", {"file": upload})
    assert response.status_code == 400
    assert "Định dạng tệp không được hỗ trợ" in response.content.decode()
    assert not Job.objects.exists()


def test_upload_refuses_a_file_over_the_limit(coordinator, settings):
    settings.MAX_UPLOAD_MB = 1
    upload = SimpleUploadedFile("big.txt", b"a" * (1024 * 1024 + 1), content_type="text/plain")
    response = coordinator.post("/ke-hoach/tai-len/", {"file": upload})
    assert response.status_code == 400 and "Tệp quá lớn" in response.content.decode()
    assert not Job.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_file_the_parser_refuses_shows_its_message_and_saves_no_plan(coordinator):
    upload = SimpleUploadedFile("hong.docx", b"this is not a zip file", content_type="application/octet-stream")
    coordinator.post("/ke-hoach/tai-len/", {"file": upload})
    run_worker()
    job = Job.objects.get()
    assert job.state == JobState.FAILED and job.error.startswith("Không đọc được văn bản")
    assert not Plan.objects.exists()
    assert job.error in coordinator.get(f"/ke-hoach/tai-len/{job.pk}/").content.decode()


def test_review_edit_conflict_answers_409(coordinator, structure, users):
    plan = actions.import_structure(structure, user=users[Role.COORDINATOR])
    task = plan.tasks.get(ref="1.3#1")
    form = {"version": task.version, "text": task.text, "lead_names": "Sở Tài chính", "coordinating_names": "",
            "deadline_date": "", "deadline_text": "", "recurrence": "", "expected_output": ""}
    ok = coordinator.post(f"/ke-hoach/{plan.pk}/ra-soat/{task.pk}/", form, HTTP_HX_REQUEST="true")
    assert ok.status_code == 200 and "Đã lưu" in ok.content.decode()
    stale = coordinator.post(f"/ke-hoach/{plan.pk}/ra-soat/{task.pk}/", {**form, "lead_names": "Sở Y tế"}, HTTP_HX_REQUEST="true")
    assert stale.status_code == 409 and "vừa được người khác sửa" in stale.content.decode()
    task.refresh_from_db()
    assert task.lead_names == ["Sở Tài chính"]


def test_publish_with_unknown_names_is_refused_on_the_review_screen(coordinator, structure, users):
    structure["assignments"][0]["lead"] = ["Ban Chưa Có"]
    plan = actions.import_structure(structure, user=users[Role.COORDINATOR])
    assert "Ban Chưa Có" in coordinator.get(f"/ke-hoach/{plan.pk}/ra-soat/").content.decode()
    response = coordinator.post(f"/ke-hoach/{plan.pk}/ban-hanh/", follow=True)
    assert "Ban Chưa Có" in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


@pytest.fixture
def published(structure, users):
    plan = actions.import_structure(structure, user=users[Role.COORDINATOR], text="x" * 400)
    return actions.do_publish_plan(plan)


def test_task_list_filters_and_accent_free_search(coordinator, published, orgs):
    url = f"/ke-hoach/{published.pk}/nhiem-vu/"
    body = coordinator.get(url, {"q": "benh an dien tu"}).content.decode()
    assert "Triển khai bệnh án điện tử" in body and "Phổ cập kỹ năng số" not in body
    body = coordinator.get(url, {"agency": orgs["ubnd-nahang"].pk}).content.decode()
    assert "Phổ cập kỹ năng số" in body and "bệnh án điện tử" not in body
    body = coordinator.get(url, {"due_from": "2024-09-01", "due_to": "2024-09-30"}).content.decode()
    assert "bệnh án điện tử" in body and "15/12/2024" not in body
    body = coordinator.get(url, {"needs_lead": "1"}).content.decode()
    assert "Phối hợp cung cấp dữ liệu" in body and "bệnh án" not in body
    body = coordinator.get(url, {"section": "III"}).content.decode()
    assert "theo dõi, đôn đốc" in body and "bệnh án" not in body


def test_task_list_query_count_is_constant(coordinator, published, structure, users):
    url = f"/ke-hoach/{published.pk}/nhiem-vu/"

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert coordinator.get(url).status_code == 200
        return len(ctx.captured_queries)

    before = count()
    for i in range(20):
        Task.objects.create(plan=published, ref=f"9.9#{i}", order=100 + i, text=f"Nhiệm vụ thêm {i}")
    assert count() == before


def test_drafts_are_hidden_from_agencies(client, users, structure):
    plan = actions.import_structure(structure, user=users[Role.COORDINATOR])
    client.force_login(users[Role.FOCAL])
    assert client.get(f"/ke-hoach/{plan.pk}/").status_code == 404
    assert client.get(f"/ke-hoach/{plan.pk}/ra-soat/").status_code == 403
    assert plan.number not in client.get("/ke-hoach/").content.decode()


def test_task_page_shows_the_source_sentence(coordinator, published):
    task = published.tasks.get(ref="1.1#1")
    Plan.objects.filter(pk=published.pk).update(source_text="." * 20 + "CÂU GỐC CỦA NHIỆM VỤ" + "." * 380)
    body = coordinator.get(f"/ke-hoach/{published.pk}/nhiem-vu/{task.pk}/").content.decode()
    assert "CÂU GỐC CỦA NHIỆM VỤ" in body and "Sở Y tế" in body and "01/NQ-CP" in body


def test_split_and_merge_from_the_review_screen(coordinator, structure, users):
    plan = actions.import_structure(structure, user=users[Role.COORDINATOR])
    task = plan.tasks.get(ref="1.1#1")
    response = coordinator.post(f"/ke-hoach/{plan.pk}/ra-soat/{task.pk}/tach/",
                                {"version": task.version, "text": "Phần một\r\n\r\nPhần hai"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and response["HX-Redirect"].startswith(f"/ke-hoach/{plan.pk}/ra-soat/")
    assert list(plan.tasks.filter(block_ref="1.1").order_by("order").values_list("text", flat=True))[:2] == ["Phần một", "Phần hai"]
    task.refresh_from_db()
    coordinator.post(f"/ke-hoach/{plan.pk}/ra-soat/{task.pk}/gop/", {"version": task.version})
    assert plan.tasks.filter(block_ref="1.1").order_by("order").first().text == "Phần một. Phần hai."  # joined as sentences
    stale = coordinator.post(f"/ke-hoach/{plan.pk}/ra-soat/{task.pk}/gop/", {"version": task.version}, follow=True)
    assert "vừa được người khác sửa" in stale.content.decode()


def test_excel_export_then_import_through_the_pages(coordinator, published):
    import io

    import openpyxl

    response = coordinator.get(f"/ke-hoach/{published.pk}/danh-muc.xlsx")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    data = response.content
    wb = openpyxl.load_workbook(io.BytesIO(data))
    texts = {str(c.value) for row in wb.active.iter_rows() for c in row if c.value}
    assert "Triển khai bệnh án điện tử tại các bệnh viện" in texts

    upload = SimpleUploadedFile("danh-muc.xlsx", data)
    preview = coordinator.post("/ke-hoach/nhap-excel/", {"file": upload})
    assert preview.status_code == 200 and "sẵn sàng để nhập" in preview.content.decode()
    assert Plan.objects.count() == 1  # a preview saves nothing
    token = preview.context["token"]
    done = coordinator.post("/ke-hoach/nhap-excel/", {"token": token, "confirm": "1"})
    assert done.status_code == 302
    imported = Plan.objects.exclude(pk=published.pk).get()
    assert imported.status == PlanStatus.DRAFT
    assert list(imported.tasks.order_by("order").values_list("text", flat=True)) == list(
        published.tasks.order_by("order").values_list("text", flat=True))


def test_excel_import_with_bad_rows_lists_them_and_saves_nothing(coordinator, orgs):
    import io

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["STT", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời hạn hoàn thành"])
    ws.append([1, "Xây dựng cơ sở dữ liệu", "Sở Y tế", "", "31/12/2025"])
    ws.append([2, "", "Sở Y tế", "", ""])
    ws.append([3, "Rà soát thủ tục", "Sở Không Tồn Tại", "", ""])
    buf = io.BytesIO()
    wb.save(buf)
    response = coordinator.post("/ke-hoach/nhap-excel/", {"file": SimpleUploadedFile("x.xlsx", buf.getvalue())})
    body = response.content.decode()
    assert response.status_code == 422
    assert "Dòng 3" in body and "Dòng 4" in body and "Sở Không Tồn Tại" in body
    assert not Plan.objects.exists()
    skipped = coordinator.post("/ke-hoach/nhap-excel/", {"token": response.context["token"], "confirm": "1", "skip_errors": "1"})
    assert skipped.status_code == 302
    assert list(Plan.objects.get().tasks.values_list("text", flat=True)) == ["Xây dựng cơ sở dữ liệu"]


def test_review_edits_targets_with_their_operator_and_value(coordinator, structure, users):
    plan = actions.import_structure(structure, user=users[Role.COORDINATOR])
    task = plan.tasks.get(ref="1.1#1")
    form = {"version": task.version, "text": task.text, "lead_names": "Sở Y tế", "coordinating_names": "",
            "deadline_date": "", "deadline_text": "", "recurrence": "", "expected_output": "",
            "targets": "tỷ lệ hồ sơ trực tuyến trên 80%\nchỉ tiêu định tính"}
    assert coordinator.post(f"/ke-hoach/{plan.pk}/ra-soat/{task.pk}/", form, HTTP_HX_REQUEST="true").status_code == 200
    task.refresh_from_db()
    assert task.targets[0]["text"] == "tỷ lệ hồ sơ trực tuyến trên 80%"
    assert (task.targets[0]["op"], task.targets[0]["value"], task.targets[0]["unit"]) == (">", 80, "%")
    assert task.targets[1] == {"text": "chỉ tiêu định tính", "op": None, "value": None, "unit": None}


def test_task_text_is_escaped_in_the_list(coordinator, published):
    Task.objects.create(plan=published, ref="9#1", order=99, text='<script>alert("x")</script> & <b>đậm</b>')
    body = coordinator.get(f"/ke-hoach/{published.pk}/nhiem-vu/", {"q": "alert"}).content.decode()
    assert "<script>alert" not in body and "&lt;script&gt;alert" in body and "&amp; &lt;b&gt;" in body


def _sheet_with(data: bytes, ref: str, column: int, value) -> bytes:
    import io

    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb.active
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(row=r, column=8).value == ref)  # H: the hidden ref
    ws.cell(row=row, column=column).value = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_reimport_preview_shows_each_difference_before_anything_is_saved(coordinator, published):
    from dondoc.audit.models import Event

    detail = coordinator.get(f"/ke-hoach/{published.pk}/").content.decode()
    assert f'href="/ke-hoach/{published.pk}/nhap-excel/"' in detail  # "Nhập lại danh mục từ Excel"
    data = coordinator.get(f"/ke-hoach/{published.pk}/danh-muc.xlsx").content
    unchanged = coordinator.post(f"/ke-hoach/{published.pk}/nhap-excel/", {"file": SimpleUploadedFile("a.xlsx", data)})
    assert unchanged.status_code == 200 and "Không có thay đổi" in unchanged.content.decode()

    edited = _sheet_with(data, "1.2#2", 3, "Ủy ban nhân dân huyện Sơn Dương")  # C: the lead
    preview = coordinator.post(f"/ke-hoach/{published.pk}/nhap-excel/", {"file": SimpleUploadedFile("b.xlsx", edited)})
    body = preview.content.decode()
    assert preview.status_code == 200 and "Không có thay đổi" not in body
    rows = [c for c in preview.context["diff"].changed]
    assert [(c.ref, [f.field for f in c.fields]) for c in rows] == [("1.2#2", ["lead_names"])]
    assert body.count('class="change"') == 1
    assert "<del>Ủy ban nhân dân huyện Na Hang</del>" in body and "<ins>Ủy ban nhân dân huyện Sơn Dương</ins>" in body
    assert Plan.objects.count() == 1 and not Event.objects.filter(action="plan.imported_sheet").exists()

    done = coordinator.post(f"/ke-hoach/{published.pk}/nhap-excel/", {"token": preview.context["token"], "confirm": "1"})
    assert done.status_code == 302
    draft = Plan.objects.exclude(pk=published.pk).get()
    assert draft.revision_of == published and draft.tasks.get(ref="1.2#2").lead_names == ["Ủy ban nhân dân huyện Sơn Dương"]
    review = coordinator.get(done.url).content.decode()  # the review page lists the same one difference
    assert review.count('class="change"') == 1 and "<ins>Ủy ban nhân dân huyện Sơn Dương</ins>" in review


def test_reimport_refuses_a_sheet_of_another_plan_with_422(coordinator, published, structure, users):
    from dondoc.audit.models import Event

    structure["document"]["number"] = "45/KH-UBND"
    other = actions.do_publish_plan(actions.import_structure(structure, user=users[Role.COORDINATOR]))
    data = coordinator.get(f"/ke-hoach/{other.pk}/danh-muc.xlsx").content
    before = (Plan.objects.count(), Event.objects.filter(action__startswith="plan.imported").count())
    response = coordinator.post(f"/ke-hoach/{published.pk}/nhap-excel/", {"file": SimpleUploadedFile("c.xlsx", data)})
    body = response.content.decode()
    assert response.status_code == 422
    assert "danh mục nhiệm vụ của Kế hoạch số 45/KH-UBND" in body and "không phải của Kế hoạch số 12/KH-UBND" in body
    assert "Nhập thành bản nháp" not in body  # no confirmation offered
    confirm = coordinator.post(f"/ke-hoach/{published.pk}/nhap-excel/",
                               {"token": response.context["token"], "confirm": "1", "skip_errors": "1"})
    assert confirm.status_code == 422
    assert (Plan.objects.count(), Event.objects.filter(action__startswith="plan.imported").count()) == before


def test_import_refuses_a_sheet_with_an_unknown_column(coordinator, published):
    import io

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["STT", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Kinh phí (triệu đồng)"])
    ws.append([1, "Xây dựng cơ sở dữ liệu", "Sở Y tế", 120])
    buf = io.BytesIO()
    wb.save(buf)
    response = coordinator.post("/ke-hoach/nhap-excel/", {"file": SimpleUploadedFile("d.xlsx", buf.getvalue())})
    assert response.status_code == 422
    assert "cột D “Kinh phí (triệu đồng)” không phải cột của danh mục nhiệm vụ" in response.content.decode()
    assert Plan.objects.count() == 1


def test_reimport_is_for_a_published_plan_only(coordinator, structure, users):
    draft = actions.import_structure(structure, user=users[Role.COORDINATOR])
    assert coordinator.get(f"/ke-hoach/{draft.pk}/nhap-excel/").status_code == 404
