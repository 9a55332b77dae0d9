"""Numbers and units as Vietnamese officials type them (rules.py, pure)."""

from decimal import Decimal

import pytest

from dondoc.targets import rules
from dondoc.targets.rules import TargetInputError, parse_number

pytestmark = pytest.mark.nodb


@pytest.mark.parametrize("text, expected", [
    ("95,5", "95.5"),  # comma before decimals
    ("1.200", "1200"),  # dot between thousands
    ("1.234.567", "1234567"),
    ("1.234.567,25", "1234567.25"),
    ("1.200,5", "1200.5"),
    ("1 200", "1200"),  # a space between thousands
    ("1\u00a0200,75", "1200.75"),  # a no-break space, as Word writes it
    ("0,5", "0.5"),
    ("100", "100"),
    ("007", "7"),
    ("  42  ", "42"),
    ("+3", "3"),
    ("-3", "-3"),  # parsed; refused later as negative for every unit
    ("1,50000", "1.5"),  # trailing zeros are not decimal places
    ("0", "0"),
    ("-0", "0"),
    ("999.999.999.999.999", "999999999999999"),
])
def test_vietnamese_notation(text, expected):
    assert parse_number(text) == Decimal(expected)


@pytest.mark.parametrize("text", [
    "", "   ", "abc", "NaN", "nan", "Infinity", "inf", "1e5", "1E5", "12abc", "abc12", "95,5,1", "1,2,3", ",5", "5,",
    "1..200", "1.2.3", "12.34.567", "1.2000", "1 20", "--3", "+-3", "١٢", "½", "0x10", "1_000", "%", "(5)",
])
def test_not_a_number(text):
    with pytest.raises(TargetInputError) as exc:
        parse_number(text)
    assert str(exc.value)  # a Vietnamese message, never an empty one


@pytest.mark.parametrize("text", ["95.5", "1.20", "1.5", "0.25"])
def test_a_dot_that_is_not_a_thousands_separator_is_refused_not_guessed(text):
    with pytest.raises(TargetInputError, match="dấu phẩy"):
        parse_number(text)


def test_empty_asks_for_a_value():
    with pytest.raises(TargetInputError, match="Hãy nhập giá trị"):
        parse_number("")


def test_more_than_four_decimals_and_huge_numbers_are_refused():
    assert parse_number("0,1234") == Decimal("0.1234")
    with pytest.raises(TargetInputError, match="4 chữ số thập phân"):
        parse_number("0,12345")
    with pytest.raises(TargetInputError, match="quá lớn"):
        parse_number("1.000.000.000.000.000")


@pytest.mark.parametrize("value, expected", [(95.5, "95.5"), (3, "3"), (1000000.0, "1000000"), (Decimal("95.50"), "95.5"),
                                             (0.1, "0.1")])
def test_json_numbers_are_taken_as_they_are(value, expected):
    assert parse_number(value) == Decimal(expected)


@pytest.mark.parametrize("value", [True, False, None, float("nan"), float("inf"), Decimal("NaN"), [], {}])
def test_json_values_that_are_not_numbers(value):
    with pytest.raises(TargetInputError):
        parse_number(value)


@pytest.mark.parametrize("value, expected", [
    (Decimal("1234567.5"), "1.234.567,5"), (Decimal("1E+6"), "1.000.000"), (Decimal("95.50"), "95,5"),
    (Decimal("0"), "0"), (Decimal("-0"), "0"), (Decimal("0.25"), "0,25"), (Decimal("999"), "999"), (None, "—"),
])
def test_format_number(value, expected):
    assert rules.format_number(value) == expected


def test_format_then_parse_round_trips():
    for text in ("1.234.567,25", "95,5", "0,0001", "12"):
        assert rules.format_number(parse_number(text)) == text


# --- Units -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("target, given", [
    ("%", "%"), ("%", " % "), ("%", "phần trăm"), ("%", "Phần Trăm"), ("%", "phan tram"),
    ("km", "km"), ("km", "Km"), ("km", "KM"), ("căn hộ", "Căn Hộ"), ("căn hộ", "can ho"), ("căn hộ", "căn  hộ"),
    ("căn hộ", "căn hộ"), ("rank", "hạng"), ("rank", "thứ hạng"), ("rank", "rank"), ("count", "số lượng"),
    ("tỷ đồng", "Tỷ Đồng"), ("đồng", "dong"),
])
def test_same_unit_accent_and_case_insensitive(target, given):
    assert rules.check_unit(target, given) == rules.normalize_unit(target)


@pytest.mark.parametrize("target, given", [
    ("%", "km"), ("%", "điểm"), ("km", "m"), ("km", "%"), ("căn hộ", "căn"), ("rank", "%"), ("count", "km"),
    ("tỷ đồng", "triệu đồng"),
])
def test_wrong_unit(target, given):
    with pytest.raises(TargetInputError, match="Sai đơn vị tính"):
        rules.check_unit(target, given)


def test_missing_unit_names_the_target_unit():
    with pytest.raises(TargetInputError, match="“hạng”"):
        rules.check_unit("rank", "  ")


def test_percent_sign_typed_with_the_number():
    assert rules.split_percent("95,5%") == ("95,5", "%")
    assert rules.split_percent(" 95,5 % ") == ("95,5", "%")
    assert rules.split_percent("95,5") == ("95,5", None)
    assert rules.split_percent(95.5) == (95.5, None)


@pytest.mark.parametrize("unit, target, value, ok", [
    ("%", "95", "0", True), ("%", "95", "100", True), ("%", "95", "100.0001", False), ("%", "95", "-0.0001", False),
    ("%", "100", "115", True),  # "thu ngân sách đạt trên 100% dự toán": above 100 is meaningful
    ("%", "100", "1000", True), ("%", "100", "1000.0001", False),
    ("rank", "20", "1", True), ("rank", "20", "0", False), ("rank", "20", "3.5", False), ("rank", "20", "63", True),
    ("count", "2", "2", True), ("count", "2", "1.5", False), ("count", "2", "-1", False),
    ("km", "120", "80.5", True), ("km", "120", "-1", False), ("km", "120", "0", True),
])
def test_value_ranges(unit, target, value, ok):
    if ok:
        assert rules.check_value(unit, Decimal(target), Decimal(value)) == Decimal(value)
    else:
        with pytest.raises(TargetInputError):
            rules.check_value(unit, Decimal(target), Decimal(value))


# --- Targets as the parser or a coordinator gives them ---------------------------------------------------

def test_check_target_cleans_and_refuses():
    assert rules.check_target(">", "95", "%") == (">", Decimal(95), "%")
    assert rules.check_target(">=", 1000000.0, "count") == (">=", Decimal(1000000), "count")
    assert rules.check_target("<=", "20", "Hạng") == ("<=", Decimal(20), "rank")
    assert rules.check_target(">=", "1.200", " Km ") == (">=", Decimal(1200), "Km")
    for op, value, unit in [("≥", "1", "%"), (None, "1", "%"), (">", "", "%"), (">", "abc", "%"), (">", "1", ""),
                            (">", "-1", "%"), (">", "1001", "%"), ("=", "2,5", "rank"), ("=", "0", "rank"),
                            (">", "1", "x" * 51)]:
        with pytest.raises(TargetInputError):
            rules.check_target(op, value, unit)


def test_clean_parsed_target():
    assert rules.clean_parsed_target({"text": "giải ngân  trên 95%", "op": ">", "value": 95.0, "unit": "%"}) == {
        "text": "giải ngân trên 95%", "op": ">", "value": Decimal(95), "unit": "%"}
    assert rules.clean_parsed_target({"text": "x", "op": None, "value": None, "unit": None}) is None
    assert rules.clean_parsed_target("not a dict") is None
    assert rules.clean_parsed_target({"op": "=", "value": 2, "unit": "count"})["text"] == "= 2"


@pytest.mark.parametrize("op, value, unit, expected", [
    (">", "95", "%", "> 95%"), (">=", "1000000", "count", "≥ 1.000.000"), ("=", "35", "rank", "hạng ≤ 35"),
    ("<=", "20", "rank", "hạng ≤ 20"), ("<", "3", "%", "< 3%"), (">=", "120.5", "km", "≥ 120,5 km"),
])
def test_describe(op, value, unit, expected):
    assert rules.describe(op, Decimal(value), unit) == expected
