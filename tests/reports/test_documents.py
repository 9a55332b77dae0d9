"""The words every generated document shares (reports/documents.py): an agency's symbol in a document number,
a plan's title inside a sentence. Expected values are the symbols agencies sign with, written by hand."""

from types import SimpleNamespace

import pytest

from dondoc.reports import documents

pytestmark = pytest.mark.nodb


@pytest.mark.parametrize("name, expected", [
    ("Sở Kế hoạch và Đầu tư", "SKHĐT"),
    ("Sở Tài nguyên và Môi trường", "STNMT"),
    ("Sở KH&ĐT", "SKHĐT"),
    ("Ủy ban nhân dân tỉnh Tuyên Quang", "UBND"),
    ("Văn phòng Ủy ban nhân dân tỉnh", "VPUBND"),
    ("Văn phòng UBND tỉnh", "VPUBND"),
    ("Công an tỉnh", "CAT"),
])
def test_symbol_is_the_initials_an_agency_signs_with(name, expected):
    assert documents.symbol(SimpleNamespace(name=name)) == expected


def test_symbol_without_an_agency_is_the_committee():
    assert documents.symbol(None) == "UBND"


@pytest.mark.parametrize("title, expected", [
    ("Khắc phục những tồn tại, hạn chế.", "về khắc phục những tồn tại, hạn chế"),
    ("CCHC năm 2025", "về CCHC năm 2025"),  # an acronym keeps its capitals
    ("", ""),
])
def test_about_puts_a_title_inside_a_sentence(title, expected):
    assert documents.about(title) == expected


@pytest.mark.parametrize("place, issuer, expected", [
    ("Hà Giang", "Ủy ban nhân dân tỉnh Tuyên Quang", "Hà Giang"),  # the plan's own place wins
    ("", "Ủy ban nhân dân tỉnh Tuyên Quang", "Tuyên Quang"),
    ("", "UBND thành phố Hà Nội", "Hà Nội"),
    ("", "Ủy ban nhân dân huyện Yên Sơn", "Yên Sơn"),
    ("", "Bộ Kế hoạch và Đầu tư", ""),  # no place in the name: left for the clerk, never another province's
])
def test_the_place_before_the_date(place, issuer, expected):
    assert documents.place_of(SimpleNamespace(place=place, issuer=issuer)) == expected


def test_a_date_line_without_a_place_leaves_room_for_it():
    import datetime as dt

    from dondoc.reports import nd30

    line = nd30.vn_date_line("", dt.date(2025, 1, 5))
    assert line.endswith(", ngày 05 tháng 01 năm 2025") and not line.startswith(",") and line[0] == "\u00a0"
