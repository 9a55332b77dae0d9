"""When a task is due, and on what basis (plans/due.py). Expected values written by hand from docs/domain.md."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dondoc.plans.due import Due, due_for

pytestmark = pytest.mark.nodb

D = date
REPORT = D(2024, 12, 10)

# --- due_for ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    # own: a day printed for the task
    ("trước ngày 10/12/2024", Due(D(2024, 12, 10), "own", "trước ngày 10/12/2024")),
    ("chậm nhất ngày 05/01/2025", Due(D(2025, 1, 5), "own", "chậm nhất ngày 05/01/2025")),
    ("ngày 5 tháng 1 năm 2025", Due(D(2025, 1, 5), "own", "ngày 5 tháng 1 năm 2025")),
    ("từ 01/3/2025 đến 31/12/2025", Due(D(2025, 12, 31), "own", "từ 01/3/2025 đến 31/12/2025")),
    # period: its last calendar day
    ("Quý IV/2026", Due(D(2026, 12, 31), "period", "Quý IV/2026")),
    ("Quý I/2025", Due(D(2025, 3, 31), "period", "Quý I/2025")),
    ("quý 2 năm 2025", Due(D(2025, 6, 30), "period", "quý 2 năm 2025")),
    ("trong quý III năm 2025", Due(D(2025, 9, 30), "period", "trong quý III năm 2025")),
    ("tháng 12/2025", Due(D(2025, 12, 31), "period", "tháng 12/2025")),
    ("tháng 2/2024", Due(D(2024, 2, 29), "period", "tháng 2/2024")),
    ("tháng 2 năm 2025", Due(D(2025, 2, 28), "period", "tháng 2 năm 2025")),
    ("tháng 4/2025", Due(D(2025, 4, 30), "period", "tháng 4/2025")),
    ("6 tháng đầu năm 2025", Due(D(2025, 6, 30), "period", "6 tháng đầu năm 2025")),
    ("6 tháng cuối năm 2025", Due(D(2025, 12, 31), "period", "6 tháng cuối năm 2025")),
    ("6 tháng cuối năm", Due(D(2024, 12, 31), "period", "6 tháng cuối năm")),  # the plan report's year
    ("6 tháng đầu năm", Due(D(2024, 6, 30), "period", "6 tháng đầu năm")),
    ("9 tháng năm 2025", Due(D(2025, 9, 30), "period", "9 tháng năm 2025")),
    # year: 31/12, or the plan's report date when that comes earlier in the same year
    ("trong năm 2025", Due(D(2025, 12, 31), "year", "trong năm 2025")),
    ("năm 2024", Due(D(2024, 12, 10), "year", "năm 2024")),
    ("Trong năm 2024", Due(D(2024, 12, 10), "year", "Trong năm 2024")),
    ("hết năm 2026", Due(D(2026, 12, 31), "year", "hết năm 2026")),
    ("2025", Due(D(2025, 12, 31), "year", "2025")),
    ("trong năm", Due(D(2024, 12, 10), "year", "trong năm")),
    # recurring: no single date
    ("hằng tháng", Due(None, "recurring", "Hằng tháng")),
    ("Hằng quý", Due(None, "recurring", "Hằng quý")),
    ("hàng năm", Due(None, "recurring", "Hằng năm")),
    ("định kỳ 6 tháng", Due(None, "recurring", "Định kỳ 6 tháng")),
    ("định kỳ hằng năm", Due(None, "recurring", "Hằng năm")),
    ("Thường xuyên", Due(None, "recurring", "Thường xuyên")),
    # plan_report: no date of its own
    ("", Due(REPORT, "plan_report", "theo hạn báo cáo của Kế hoạch")),
    ("   ", Due(REPORT, "plan_report", "theo hạn báo cáo của Kế hoạch")),
    ("Theo hạn báo cáo của Kế hoạch", Due(REPORT, "plan_report", "theo hạn báo cáo của Kế hoạch")),
    ("kịp thời", Due(REPORT, "plan_report", "theo hạn báo cáo của Kế hoạch")),
    ("trước ngày 31/02/2025", Due(REPORT, "plan_report", "theo hạn báo cáo của Kế hoạch")),  # no such day
])
def test_due_for_printed_texts(text, expected):
    assert due_for(None, text, None, REPORT) == expected


def test_due_for_reads_decomposed_unicode_and_extra_spaces():
    import unicodedata
    text = unicodedata.normalize("NFD", "Quý  IV/2026 ")
    printed = unicodedata.normalize("NFD", "Quý IV/2026")
    assert due_for(None, text, None, REPORT) == Due(D(2026, 12, 31), "period", printed)


def test_year_cap_only_applies_in_the_same_year():
    assert due_for(None, "năm 2025", None, D(2024, 12, 10)).date == D(2025, 12, 31)
    assert due_for(None, "năm 2024", None, D(2024, 12, 31)) == Due(D(2024, 12, 31), "year", "năm 2024")
    assert due_for(None, "năm 2024", None, None) == Due(D(2024, 12, 31), "year", "năm 2024")
    assert due_for(None, "năm 2024", None, D(2025, 3, 1)).date == D(2024, 12, 31)


def test_a_quarter_is_not_capped_by_the_report_date():
    assert due_for(None, "Quý IV/2024", None, D(2024, 12, 10)).date == D(2024, 12, 31)


def test_explicit_date_wins():
    assert due_for(D(2025, 3, 1), "", None, REPORT) == Due(D(2025, 3, 1), "own", "01/03/2025")
    assert due_for(D(2025, 3, 1), "trước ngày 01/3/2025", None, REPORT) == \
        Due(D(2025, 3, 1), "own", "trước ngày 01/3/2025")
    # A reviewer changed the date and left the printed text behind: the date wins, and its label with it.
    assert due_for(D(2026, 11, 30), "Quý IV/2026", None, REPORT) == Due(D(2026, 11, 30), "own", "30/11/2026")
    assert due_for(D(2025, 3, 1), "trước ngày 10/12/2024", None, REPORT) == Due(D(2025, 3, 1), "own", "01/03/2025")
    assert due_for(D(2025, 3, 1), "", "quarterly", REPORT).basis == "own"


def test_stored_date_derived_from_the_text_keeps_the_texts_basis():
    # The parser stores 31/12/2024 for "trong năm 2024": still a year, so the earlier report date applies.
    assert due_for(D(2024, 12, 31), "trong năm 2024", None, REPORT) == Due(REPORT, "year", "trong năm 2024")
    assert due_for(D(2025, 12, 31), "trong năm 2025", None, REPORT) == Due(D(2025, 12, 31), "year", "trong năm 2025")
    assert due_for(D(2026, 12, 31), "Quý IV/2026", None, REPORT) == Due(D(2026, 12, 31), "period", "Quý IV/2026")
    assert due_for(D(2025, 6, 30), "6 tháng đầu năm 2025", None, REPORT).basis == "period"


@pytest.mark.parametrize("code, label", [
    ("monthly", "Hằng tháng"), ("quarterly", "Hằng quý"), ("semiannual", "Định kỳ 6 tháng"),
    ("nine_months", "Định kỳ 9 tháng"), ("annual", "Hằng năm"), ("weekly", "Định kỳ"),
])
def test_recurrence_field(code, label):
    assert due_for(None, "", code, REPORT) == Due(None, "recurring", label)
    assert due_for(None, "trong năm 2025", code, REPORT) == Due(None, "recurring", label)


def test_nothing_to_go_by():
    assert due_for(None, "", None, None) == Due(None, "none", "")
    assert due_for(None, "kịp thời", None, None) == Due(None, "none", "kịp thời")
    assert due_for(None, "6 tháng cuối năm", None, None) == Due(None, "none", "6 tháng cuối năm")
    assert due_for(None, "", "", None) == Due(None, "none", "")


@given(st.dates(D(1950, 1, 1), D(2150, 12, 31)), st.one_of(st.none(), st.dates(D(1950, 1, 1), D(2150, 12, 31))))
def test_an_explicit_date_alone_is_always_own(day, report):
    assert due_for(day, "", None, report) == Due(day, "own", day.strftime("%d/%m/%Y"))
    assert due_for(None, day.strftime("trước ngày %d/%m/%Y"), None, report).date == day


def test_the_api_names_of_the_bases():
    from dondoc.plans.due import public_basis

    assert public_basis(due_for(None, "năm 2024", None, REPORT)) == "plan_report_date"  # 10/12 comes before 31/12
    assert public_basis(due_for(None, "năm 2025", None, REPORT)) == "year_end"
    assert public_basis(due_for(None, "Quý III/2024", None, REPORT)) == "period_end"
    assert public_basis(due_for(None, "", None, REPORT)) == "plan_report_date"
    assert public_basis(due_for(D(2024, 9, 30), "", None, REPORT)) == "own"
    assert public_basis(due_for(None, "", "quarterly", REPORT)) == "recurring"
    assert public_basis(due_for(None, "", None, None)) == "none"
