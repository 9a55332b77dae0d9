import io

import openpyxl
import pytest

from dondoc.accounts.models import User
from dondoc.accounts.roles import Role
from dondoc.audit.models import Event


@pytest.fixture
def admin_client(client, users):
    client.force_login(users[Role.ADMIN])
    return client


def sheet(rows):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["DANH SÁCH TÀI KHOẢN"])
    ws.append(["Tên đăng nhập", "Họ và tên", "Email", "Vai trò", "Mã cơ quan"])
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    buf.name = "tai-khoan.xlsx"
    return buf


def test_admin_creates_an_account_with_a_generated_password(admin_client, orgs):
    response = admin_client.post("/quan-tri/accounts/user/add/", {
        "username": "nguyenvana", "full_name": "Nguyễn Văn A", "email": "a@example.vn", "role": Role.FOCAL,
        "agency": orgs["syt"].pk, "position": "", "phone": ""}, follow=True)
    assert response.status_code == 200
    user = User.objects.get(username="nguyenvana")
    assert user.agency == orgs["syt"] and user.role == Role.FOCAL and user.has_usable_password()
    assert Event.objects.filter(action="account.created", object_id=str(user.pk)).exists()


def test_admin_cannot_delete_accounts_only_deactivate(admin_client, users):
    target = users[Role.FOCAL]
    assert admin_client.get(f"/quan-tri/accounts/user/{target.pk}/delete/").status_code == 403
    response = admin_client.post("/quan-tri/accounts/user/", {"action": "deactivate", "_selected_action": [target.pk]})
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.is_active is False
    assert Event.objects.filter(action="account.deactivated", object_id=str(target.pk)).exists()


def test_admin_resets_a_password(admin_client, users):
    target = users[Role.HEAD]
    old_hash = target.password
    admin_client.post("/quan-tri/accounts/user/", {"action": "reset_password", "_selected_action": [target.pk]})
    target.refresh_from_db()
    assert target.password != old_hash
    assert Event.objects.filter(action="account.password_reset", object_id=str(target.pk)).exists()


def test_import_creates_all_accounts(admin_client, orgs):
    data = sheet([["vp.canbo2", "Trần Thị B", "", "Cán bộ đầu mối", "vp-ubnd"],
                  ["syt.truong2", "Lê Văn C", "", "Thủ trưởng", "Sở Y tế"],
                  ["thanhtra1", "Phạm D", "", "Chỉ xem", ""]])
    response = admin_client.post("/quan-tri/accounts/user/nhap-excel/", {"file": data})
    assert response.status_code == 200
    assert "Đã tạo 3 tài khoản" in response.content.decode()
    assert User.objects.get(username="syt.truong2").agency == orgs["syt"]
    assert User.objects.get(username="thanhtra1").role == Role.VIEWER


def test_import_with_a_bad_row_creates_nothing_and_names_the_rows(admin_client, orgs):
    data = sheet([["ok1", "A", "", "Đầu mối", "syt"],
                  ["ok2", "B", "", "Giám đốc", "syt"],
                  ["", "C", "", "Đầu mối", "Sở Không Có"]])
    response = admin_client.post("/quan-tri/accounts/user/nhap-excel/", {"file": data})
    body = response.content.decode()
    assert "Dòng 4" in body and "Vai trò không hợp lệ" in body
    assert "Dòng 5" in body and "Thiếu tên đăng nhập" in body and "Sở Không Có" in body
    assert not User.objects.filter(username__in=["ok1", "ok2"]).exists()


def test_import_refuses_a_file_that_is_not_xlsx(admin_client):
    fake = io.BytesIO(b"username,role\nx,viewer\n")
    fake.name = "accounts.xlsx"
    response = admin_client.post("/quan-tri/accounts/user/nhap-excel/", {"file": fake})
    assert "Chỉ nhận bảng tính Excel .xlsx." in response.content.decode()


def test_audit_events_are_read_only_in_admin(admin_client, users):
    from dondoc.audit import record

    event = record("test.event", actor=users[Role.ADMIN])
    assert admin_client.get("/quan-tri/audit/event/").status_code == 200
    assert admin_client.get(f"/quan-tri/audit/event/{event.pk}/delete/").status_code == 403
    assert admin_client.get("/quan-tri/audit/event/add/").status_code == 403
    response = admin_client.post(f"/quan-tri/audit/event/{event.pk}/change/", {"action": "sua"})
    assert response.status_code == 403
    event.refresh_from_db()
    assert event.action == "test.event"


def test_createsuperuser_makes_an_administrator(db):
    user = User.objects.create_superuser("boss", "boss@example.vn", "mat-khau-rat-dai-2024")
    assert user.role == Role.ADMIN and user.is_staff and user.is_superuser
