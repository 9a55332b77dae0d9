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
