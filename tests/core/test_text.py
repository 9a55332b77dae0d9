import pytest

from dondoc.core.text import fold, shorten, sort_key, vi_sorted

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


def test_shorten_cuts_at_a_word():
    assert shorten("ngắn", 60) == "ngắn"
    text = "Tham mưu xây dựng kế hoạch triển khai chuyển đổi số, " * 5
    short = shorten(text, 60)
    assert len(short) <= 60 and short.endswith("…") and not short[:-1].endswith(" ")
    assert text.startswith(short[:-1]) and text[len(short) - 1] in " ,"  # the next letter starts a new word
    assert shorten("Chuyển   đổi\nsố", 60) == "Chuyển đổi số"
