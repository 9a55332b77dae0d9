"""The reorganisation sheet (issue 18): read and shown before anything is written, then all or nothing; unknown
agencies and cycles refused with the rows named."""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from dondoc.audit.models import Event
from dondoc.orgs import reorganisation
from dondoc.orgs.models import Agency, Succession

HEADER = ["Cơ quan", "Ngày cuối cùng", "Cơ quan kế thừa", "Lĩnh vực tiếp nhận"]


def sheet(*rows, header=HEADER) -> bytes:
    book = Workbook()
    book.active.append(header)
    for row in rows:
        book.active.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def communes(orgs):
    """Two communes that replace Na Hang district from 01/07/2025 (made up for the test)."""
    return [Agency.objects.create(code=f"xa-{i}", name=f"Ủy ban nhân dân xã Thử {i}", kind="commune",
                                  valid_from=dt.date(2025, 7, 1)) for i in (1, 2)]


def test_a_district_split_between_two_communes(orgs, communes, tmp_path):
    data = sheet(["ubnd-nahang", dt.datetime(2025, 6, 30), communes[0].name, ""],
                 ["Ủy ban nhân dân huyện Na Hang", "30/06/2025", "xa-2", "Giáo dục; y tế"])
    preview = reorganisation.read(data)
    assert [(c.agency.code, c.successor.code, c.date) for c in preview.changes] == [
        ("ubnd-nahang", "xa-1", dt.date(2025, 7, 1)), ("ubnd-nahang", "xa-2", dt.date(2025, 7, 1))]
    assert not Succession.objects.filter(predecessor__code="ubnd-nahang").exists()  # a preview writes nothing
    path = tmp_path / "sap-xep.xlsx"
    path.write_bytes(data)
    out = io.StringIO()
    call_command("load_reorganisation", str(path), "--apply", stdout=out)
    assert "Written: 2 successions" in out.getvalue()
    nahang = Agency.objects.get(code="ubnd-nahang")
    assert nahang.valid_to == dt.date(2025, 6, 30)
    assert [a.code for a in nahang.successors_on(dt.date(2025, 7, 1))] == ["xa-1", "xa-2"]
    assert Succession.objects.get(predecessor=nahang, successor__code="xa-2").fields == "Giáo dục; y tế"
    assert Event.objects.filter(action="orgs.reorganisation_loaded").count() == 1


@pytest.mark.parametrize("rows, said", [
    ([["ubnd-nahang", "30/06/2025", "Xã Không Có", ""]], "dòng 2: không có cơ quan kế thừa “Xã Không Có”"),
    ([["ubnd-nahang", "31/06/2025", "stc", ""]], "dòng 2: ngày cuối cùng không hợp lệ"),
    ([["stc", "30/06/2025", "snv", ""], ["snv", "30/06/2025", "stc", ""]], "vòng kế thừa: Sở Tài chính → Sở Nội vụ → Sở Tài chính"),
    ([["ubnd-nahang", "30/06/2025", "skhdt", ""]], "Sở Kế hoạch và Đầu tư không có hiệu lực ngày 01/07/2025"),
    ([["stc", "31/05/2025", "xa-1", ""]], "Ủy ban nhân dân xã Thử 1 không có hiệu lực ngày 01/06/2025"),
])
def test_a_faulty_sheet_is_refused_and_nothing_written(orgs, communes, rows, said):
    before = (list(Succession.objects.values_list("predecessor_id", "successor_id", "date", "fields")),
              list(Agency.objects.values_list("pk", "valid_to")))
    with pytest.raises(reorganisation.SheetRefused, match=said.replace("(", r"\(")):
        reorganisation.read(sheet(*rows))
    assert (list(Succession.objects.values_list("predecessor_id", "successor_id", "date", "fields")),
            list(Agency.objects.values_list("pk", "valid_to"))) == before


def test_a_sheet_without_its_columns_or_not_excel(orgs, tmp_path):
    with pytest.raises(reorganisation.SheetRefused, match="thiếu cột: Cơ quan kế thừa"):
        reorganisation.read(sheet(["skhdt", "28/02/2025"], header=["Cơ quan", "Ngày cuối cùng"]))
    path = tmp_path / "x.xlsx"
    path.write_bytes(b"not a workbook")
    with pytest.raises(CommandError, match="Không đọc được tệp"):
        call_command("load_reorganisation", str(path))


# ---- the same sheet in the admin (/quan-tri/orgs/agency/to-chuc-lai/): upload, see, confirm

URL = "/quan-tri/orgs/agency/to-chuc-lai/"


def upload(data: bytes, name="sap-xep.xlsx"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


@pytest.fixture
def admin_client(client, db):
    from dondoc.accounts.models import User

    client.force_login(User.objects.create(username="qt.admin", role="admin"))
    return client


def test_the_admin_sees_the_sheet_then_writes_it(admin_client, orgs, communes):
    assert "Nạp bảng tổ chức lại" in admin_client.get("/quan-tri/orgs/agency/").content.decode()
    data = sheet(["ubnd-nahang", "30/06/2025", "xa-1", ""], ["ubnd-nahang", "30/06/2025", "xa-2", "Giáo dục"])
    shown = admin_client.post(URL, {"file": upload(data)})
    html = shown.content.decode()
    assert shown.status_code == 200 and html.count("<tr><td>") == 2 and "Ủy ban nhân dân xã Thử 2" in html
    assert "Giáo dục" in html and "(các lĩnh vực còn lại)" in html
    assert not Succession.objects.filter(predecessor__code="ubnd-nahang").exists()  # seen, not written
    digest = html.split('name="confirm" value="')[1].split('"')[0]
    done = admin_client.post(URL, {"confirm": digest}, follow=True)
    assert "Đã ghi 2 dòng kế thừa" in done.content.decode()
    assert Succession.objects.filter(predecessor__code="ubnd-nahang").count() == 2
    assert Succession.objects.get(predecessor__code="ubnd-nahang", successor__code="xa-2").fields == "Giáo dục"
    assert Event.objects.get(action="orgs.reorganisation_loaded").actor_name == "qt.admin"
    again = admin_client.post(URL, {"confirm": digest})  # the sheet left the session once written
    assert again.status_code == 400 and "tải tệp lên lại" in again.content.decode()


def test_the_admin_is_told_what_is_wrong_and_nothing_is_written(admin_client, orgs, communes):
    cycle = sheet(["skhdt", "28/02/2025", "stc", ""], ["stc", "28/02/2025", "skhdt", ""])
    refused = admin_client.post(URL, {"file": upload(cycle)})
    assert refused.status_code == 400 and "vòng kế thừa" in refused.content.decode()
    assert 'name="confirm"' not in refused.content.decode()
    not_excel = admin_client.post(URL, {"file": upload(b"Co quan;Ngay\n", name="sap-xep.csv")})
    assert "Chỉ nhận bảng tính Excel .xlsx" in not_excel.content.decode()
    # A confirmation that does not name the sheet in the session (forged, or from another tab) writes nothing.
    admin_client.post(URL, {"file": upload(sheet(["ubnd-nahang", "30/06/2025", "xa-1", ""]))})
    forged = admin_client.post(URL, {"confirm": "0" * 64})
    assert forged.status_code == 400
    assert not Succession.objects.filter(predecessor__code="ubnd-nahang").exists()
    assert Agency.objects.get(code="stc").valid_to is None  # the refused cycle's row for it was not written either


def test_only_the_administrator_loads_a_sheet(client, users):
    from dondoc.accounts.roles import Role

    for who in (Role.COORDINATOR, Role.LEADER, Role.HEAD):
        client.force_login(users[who])
        assert client.get(URL).status_code == 403
        assert client.post(URL, {"confirm": "x"}).status_code == 403
