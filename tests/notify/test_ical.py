"""The iCalendar writer (RFC 5545): escaping, folding at 75 octets without splitting a UTF-8 character."""

import datetime as dt

import pytest
from hypothesis import given, strategies as st

from dondoc.notify import ical

pytestmark = pytest.mark.nodb


def test_escape_text():
    assert ical.escape_text("a\\b") == "a\\\\b"
    assert ical.escape_text("Sở Y tế; Sở Tài chính, UBND") == "Sở Y tế\\; Sở Tài chính\\, UBND"
    assert ical.escape_text("dòng 1\ndòng 2\r\ndòng 3\rdòng 4") == "dòng 1\\ndòng 2\\ndòng 3\\ndòng 4"
    # The backslash first, so the escapes added after are not escaped again.
    assert ical.escape_text("\\;") == "\\\\\\;"
    assert ical.escape_text("a:b") == "a:b"  # colons need no escaping in TEXT


def test_short_lines_are_left_alone():
    assert ical.fold("SUMMARY:Hạn") == "SUMMARY:Hạn"
    line = "X" * 75
    assert ical.fold(line) == line


def test_fold_ascii_at_75_octets():
    line = "DESCRIPTION:" + "a" * 200
    folded = ical.fold(line)
    pieces = folded.split("\r\n")
    assert len(pieces[0].encode()) == 75
    assert all(p.startswith(" ") and len(p.encode()) <= 75 for p in pieces[1:])
    assert ical.unfold(folded) == line


def test_fold_never_splits_a_vietnamese_letter():
    # "ệ" is 3 octets in UTF-8, "ơ" 2: put them across the 75-octet boundary.
    line = "SUMMARY:" + "a" * 66 + "ệ" + "ơ" * 40
    folded = ical.fold(line)
    pieces = folded.split("\r\n")
    assert pieces[0] == "SUMMARY:" + "a" * 66  # 74 octets: "ệ" would make 77
    assert pieces[1].startswith(" ệ")
    for piece in pieces:
        encoded = piece.encode("utf-8")
        assert len(encoded) <= 75
        encoded.decode("utf-8")  # every piece is valid UTF-8 on its own
    assert ical.unfold(folded) == line


def test_fold_decomposed_text():
    # NFD Vietnamese (combining marks) is still split on character boundaries only.
    import unicodedata

    text = unicodedata.normalize("NFD", "Ủy ban nhân dân tỉnh Tuyên Quang báo cáo kết quả thực hiện kế hoạch " * 3)
    folded = ical.fold("SUMMARY:" + text)
    for piece in folded.split("\r\n"):
        assert len(piece.encode()) <= 75
        piece.encode().decode()
    assert ical.unfold(folded) == "SUMMARY:" + text


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400))
def test_fold_round_trip(text):
    line = "DESCRIPTION:" + ical.escape_text(text)
    folded = ical.fold(line)
    assert ical.unfold(folded) == line
    assert all(len(p.encode()) <= 75 for p in folded.split("\r\n"))


def test_calendar():
    stamp = dt.datetime(2024, 10, 15, 8, 30, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    events = [ical.Event(uid="giao-viec-5@dondoc", day=dt.date(2024, 9, 30), summary="Hạn: 1.1#1 Triển khai, bệnh án; điện tử",
                         description="Kế hoạch số 12/KH-UBND\nChủ trì", url="http://127.0.0.1:8000/giao-viec/5/")]
    text = ical.calendar("dondoc – Sở Y tế", events, stamp)
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    lines = ical.unfold(text).split("\r\n")
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-2] == "END:VCALENDAR"
    assert "VERSION:2.0" in lines and "X-WR-CALNAME:dondoc – Sở Y tế" in lines
    assert "UID:giao-viec-5@dondoc" in lines
    assert "DTSTAMP:20241015T013000Z" in lines
    assert "DTSTART;VALUE=DATE:20240930" in lines and "DTEND;VALUE=DATE:20241001" in lines
    assert "SUMMARY:Hạn: 1.1#1 Triển khai\\, bệnh án\\; điện tử" in lines
    assert "DESCRIPTION:Kế hoạch số 12/KH-UBND\\nChủ trì" in lines
    assert "URL:http://127.0.0.1:8000/giao-viec/5/" in lines
    assert lines.count("BEGIN:VEVENT") == lines.count("END:VEVENT") == 1
