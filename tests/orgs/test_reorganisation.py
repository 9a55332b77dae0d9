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
