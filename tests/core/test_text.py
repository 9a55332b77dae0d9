import pytest

import datetime as dt

from dondoc.core.text import clauses, fold, official_date, shorten, sort_key, vi_sorted

pytestmark = pytest.mark.nodb


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Sở Kế hoạch và Đầu tư", "so ke hoach va dau tu"),
        ("SỞ KẾ HOẠCH VÀ ĐẦU TƯ", "so ke hoach va dau tu"),
        ("Sở KH&ĐT", "so kh dt"),
        ("Ủy ban nhân dân huyện Chiêm Hóa", "uy ban nhan dan huyen chiem hoa"),
        ("Uỷ ban nhân dân huyện Chiêm Hoá", "uy ban nhan dan huyen chiem hoa"),  # old tone placement
        ("So\u0309 Ke\u0302\u0301 hoa\u0323ch", "so ke hoach"),  # decomposed (NFD) input
        ("  Sở   Y tế; ", "so y te"),
    ],
)
def test_fold(text, expected):
    assert fold(text) == expected


def test_sort_key_follows_the_vietnamese_alphabet():
    # a < ă < â, d < đ, o < ô < ơ, u < ư: plain code-point order gets several of these wrong.
    words = ["Đà Nẵng", "Âu", "Ăn", "An", "Dân", "Ơn", "Ôn", "On", "Ưu", "Uy", "Bình"]
    assert vi_sorted(words) == ["An", "Ăn", "Âu", "Bình", "Dân", "Đà Nẵng", "On", "Ôn", "Ơn", "Uy", "Ưu"]


def test_sort_key_tones_only_break_ties():
    assert vi_sorted(["mạ", "má", "ma", "mà", "mã", "mả", "mai"]) == ["ma", "mà", "má", "mả", "mã", "mạ", "mai"]


def test_sort_key_shorter_name_first_and_case_ignored():
    assert sort_key("Sở Y tế") < sort_key("sở y tế công cộng")
    assert sort_key("SỞ Y TẾ") == sort_key("Sở Y tế")


def test_sort_key_is_plain_lowercase_ascii():
    key = sort_key("Ủy ban nhân dân tỉnh Tuyên Quang; 2024")
    assert key.isascii() and key.isalpha() and key == key.lower()



# Nghị định 30/2020, Phụ lục I: a zero before days 1–9 and before months 1 and 2, never before months 3–12.
@pytest.mark.parametrize("day, numeric, spelled", [
    (dt.date(2025, 1, 1), "01/01/2025", "ngày 01 tháng 01 năm 2025"),
    (dt.date(2025, 1, 5), "05/01/2025", "ngày 05 tháng 01 năm 2025"),
    (dt.date(2024, 2, 9), "09/02/2024", "ngày 09 tháng 02 năm 2024"),
    (dt.date(2024, 2, 10), "10/02/2024", "ngày 10 tháng 02 năm 2024"),
    (dt.date(2024, 3, 1), "01/3/2024", "ngày 01 tháng 3 năm 2024"),
    (dt.date(2024, 6, 2), "02/6/2024", "ngày 02 tháng 6 năm 2024"),
    (dt.date(2024, 3, 10), "10/3/2024", "ngày 10 tháng 3 năm 2024"),
    (dt.date(2024, 12, 9), "09/12/2024", "ngày 09 tháng 12 năm 2024"),
    (dt.date(2024, 12, 10), "10/12/2024", "ngày 10 tháng 12 năm 2024"),
])
def test_official_date(day, numeric, spelled):
    assert official_date(day) == numeric
    assert official_date(day, spelled=True) == spelled


TASK = "Rà soát thủ tục hành chính. Công khai kết quả giải quyết hồ sơ trên cổng dịch vụ công của tỉnh"


@pytest.mark.parametrize("limit, expected", [
    (200, TASK),  # fits: whole
    (60, "Rà soát thủ tục hành chính. Công khai kết quả giải quyết hồ…"),  # the sentence alone: < half
    (40, "Rà soát thủ tục hành chính…"),  # the first sentence keeps more than half
    (13, "Rà soát thủ…"),
    (12, "Rà soát thủ…"),  # 12 with its "…"
    (11, "Rà soát…"),  # "thủ" fits but not its "…": dropped whole, not cut to "th…"
    (8, "Rà soát…"),
])
def test_shorten_at_a_sentence_or_a_word(limit, expected):
    short = shorten(TASK, limit)
    assert short == expected and len(short) <= limit


def test_shorten_never_cuts_inside_a_word():
    assert shorten("Chuyểnđổisốtoàndiện trên địa bàn", 10) == "Chuyểnđổisốtoàndiện…"  # one long word: kept whole
    assert shorten("Chuyểnđổisốtoàndiện", 10) == "Chuyểnđổisốtoàndiện"
    assert shorten("  nhiều   khoảng\n trắng  ", 100) == "nhiều khoảng trắng"
    assert shorten("Dòng một.\nDòng hai dài hơn nhiều", 16, one_line=False) == "Dòng một…"


def test_clauses_never_read_period_semicolon():
    assert clauses(["Đã xây dựng kế hoạch.", "Đã phân công cán bộ;", "", "Đã báo cáo hoàn thành"]) == \
        "Đã xây dựng kế hoạch; Đã phân công cán bộ; Đã báo cáo hoàn thành."
    assert clauses(["Một.", "Hai."], end="") == "Một; Hai"
    assert clauses([" ", None]) == ""
