"""The colour rule (rules.assess), boundary by boundary, operator by operator. Pure: no database."""

import datetime as dt
from decimal import Decimal as D

import pytest

from dondoc.targets import rules
from dondoc.targets.rules import Colour

pytestmark = pytest.mark.nodb

START = dt.date(2024, 1, 1)
DUE = START + dt.timedelta(days=100)
HALF = START + dt.timedelta(days=50)  # half the time has elapsed


def c(op, target, actual, *, today=HALF, due=DUE, unit="%", baseline=None, measured_on=None):
    return rules.colour(op, D(str(target)), None if actual is None else D(str(actual)), start=START, due=due, today=today,
                        unit=unit, baseline=None if baseline is None else D(str(baseline)), measured_on=measured_on)


def test_labels_are_vietnamese_and_every_colour_has_a_css_class():
    assert [x.label for x in rules.COLOUR_ORDER] == ["Có nguy cơ không đạt", "Đang tiến triển", "Dự kiến đạt",
                                                     "Chưa đánh giá được"]
    assert {x.css for x in Colour} == {"danger", "warning", "success", "secondary"}


# --- Grey: nothing to judge -------------------------------------------------------------------------------

def test_grey_without_an_actual():
    assert c(">=", 100, None) is Colour.GREY
    assert c(">=", 100, None, today=DUE + dt.timedelta(days=30)) is Colour.GREY  # even after the deadline


def test_grey_before_the_plan_starts_even_if_met():
    assert c(">=", 100, 100, today=START - dt.timedelta(days=1)) is Colour.GREY
    assert c(">=", 100, 100, today=START) is Colour.GREEN


def test_no_deadline_green_when_met_grey_otherwise():
    assert c(">=", 100, 100, due=None) is Colour.GREEN
    assert c(">=", 100, 10, due=None) is Colour.GREY


def test_grey_when_measured_on_the_first_day():
    assert c(">=", 100, 10, today=START) is Colour.GREY
    assert c(">=", 100, 10, measured_on=START - dt.timedelta(days=10)) is Colour.GREY


# --- Higher is better: >=, =, > ---------------------------------------------------------------------------
# Half the time elapsed, from 0: the pace needs 50 of 100; orange from 75 % of that (37.5).

@pytest.mark.parametrize("op", [">=", "="])
@pytest.mark.parametrize("actual, expected", [
    (100, Colour.GREEN), (150, Colour.GREEN),  # met ("=" means reach: above counts)
    (50, Colour.GREEN), (D("49.9999"), Colour.ORANGE),  # the pace boundary
    (D("37.5"), Colour.ORANGE), (D("37.4999"), Colour.RED),  # the 75 % boundary
    (0, Colour.RED),
])
def test_at_least(op, actual, expected):
    assert c(op, 100, actual) is expected


@pytest.mark.parametrize("actual, expected", [
    (D("100.0001"), Colour.GREEN), (100, Colour.GREEN),  # on pace (100 > 50) though not yet above 100
    (D("50.0001"), Colour.GREEN), (50, Colour.ORANGE),  # strict: exactly the pace is not enough
    (D("37.5"), Colour.ORANGE), (D("37.4999"), Colour.RED),
])
def test_more_than(actual, expected):
    assert c(">", 100, actual) is expected


def test_more_than_on_the_deadline_day_needs_more_than_the_value():
    assert c(">", 95, 95, today=DUE) is Colour.ORANGE
    assert c(">", 95, D("95.01"), today=DUE) is Colour.GREEN


def test_baseline_moves_the_pace():
    # From 60 to 100: half the time needs 80; orange from 60 + 0.75·20 = 75.
    assert c(">=", 100, 80, baseline=60) is Colour.GREEN
    assert c(">=", 100, D("79.99"), baseline=60) is Colour.ORANGE
    assert c(">=", 100, 75, baseline=60) is Colour.ORANGE
    assert c(">=", 100, D("74.99"), baseline=60) is Colour.RED


def test_a_baseline_already_past_the_target_and_an_actual_that_fell_back_is_red():
    assert c(">=", 100, 90, baseline=120) is Colour.RED


# --- The deadline -----------------------------------------------------------------------------------------

def test_deadline_day_counts_as_in_time():
    assert c(">=", 100, 100, today=DUE) is Colour.GREEN
    assert c(">=", 100, 75, today=DUE) is Colour.ORANGE  # the whole target is due: 75 % of it
    assert c(">=", 100, D("74.99"), today=DUE) is Colour.RED


def test_after_the_deadline_unmet_is_red_and_met_is_green():
    after = DUE + dt.timedelta(days=1)
    assert c(">=", 100, 99, today=after) is Colour.RED
    assert c(">=", 100, 100, today=after) is Colour.GREEN
    assert c("<=", 5, 6, today=after, baseline=10) is Colour.RED


def test_pace_is_judged_when_the_actual_was_measured():
    # Today the deadline is near, but the figure is the one of a period that ended at half time.
    late = DUE - dt.timedelta(days=1)
    assert c(">=", 100, 50, today=late) is Colour.RED  # 50 where 99 is due: below 75 %
    assert c(">=", 100, 50, today=late, measured_on=HALF) is Colour.GREEN
    assert c(">=", 100, 50, today=HALF, measured_on=DUE) is Colour.GREEN  # a period not ended yet: today counts


def test_deadline_before_start_counts_all_the_time_as_elapsed():
    assert c(">=", 100, 80, due=START, today=START) is Colour.ORANGE
    assert c(">=", 100, 70, due=START - dt.timedelta(days=3), today=START) is Colour.RED


# --- Lower is better: <=, < -----------------------------------------------------------------------------
# "tỷ lệ hộ nghèo giảm xuống dưới 5%" from 10 %: half the time needs 7.5; orange up to 10 − 0.75·2.5 = 8.125.

@pytest.mark.parametrize("actual, expected", [
    (5, Colour.GREEN), (4, Colour.GREEN),
    (D("7.5"), Colour.GREEN), (D("7.5001"), Colour.ORANGE),
    (D("8.125"), Colour.ORANGE), (D("8.1251"), Colour.RED), (11, Colour.RED),
])
def test_at_most(actual, expected):
    assert c("<=", 5, actual, baseline=10) is expected


@pytest.mark.parametrize("actual, expected", [
    (D("4.99"), Colour.GREEN), (5, Colour.GREEN),  # 5 is on pace (needs 7.5), though not yet below 5
    (D("7.4999"), Colour.GREEN), (D("7.5"), Colour.ORANGE), (D("8.125"), Colour.ORANGE), (D("8.1251"), Colour.RED),
])
def test_less_than(actual, expected):
    assert c("<", 5, actual, baseline=10) is expected


def test_less_than_is_met_only_below_the_value():
    assert c("<", 3, 3, today=DUE, baseline=10) is Colour.ORANGE
    assert c("<", 3, D("2.99"), today=DUE) is Colour.GREEN
    assert c("<=", 3, 3, today=DUE) is Colour.GREEN


def test_lower_is_better_without_a_baseline_is_orange_until_the_deadline():
    assert c("<=", 5, 9) is Colour.ORANGE
    assert c("<=", 5, 9, today=DUE) is Colour.ORANGE
    assert c("<=", 5, 9, today=DUE + dt.timedelta(days=1)) is Colour.RED
    assert c("<=", 5, 5) is Colour.GREEN


# --- Ranks: lower is better, whatever the operator --------------------------------------------------------
# "đứng thứ 35" from 45: half the time needs 40; orange up to 45 − 0.75·5 = 41.25.

@pytest.mark.parametrize("op", ["=", "<=", ">="])
@pytest.mark.parametrize("actual, expected", [
    (35, Colour.GREEN), (1, Colour.GREEN), (40, Colour.GREEN), (41, Colour.ORANGE), (42, Colour.RED), (50, Colour.RED),
])
def test_rank(op, actual, expected):
    assert c(op, 35, actual, unit="rank", baseline=45) is expected


def test_rank_strict_operators_mean_strictly_better():
    assert c("<", 20, 20, unit="rank", today=DUE, baseline=30) is Colour.ORANGE
    assert c("<", 20, 19, unit="rank", today=DUE) is Colour.GREEN
    assert c(">", 20, 19, unit="rank", today=DUE) is Colour.GREEN


def test_rank_in_the_top_group_and_without_baseline():
    assert c("<=", 20, 20, unit="rank") is Colour.GREEN
    assert c("<=", 20, 21, unit="rank") is Colour.ORANGE  # no baseline: cannot be paced
    assert c("<=", 20, 21, unit="rank", today=DUE + dt.timedelta(days=1)) is Colour.RED


# --- Counts and unit words --------------------------------------------------------------------------------

def test_count_and_unit_words_are_higher_is_better():
    assert c("=", 2, 2, unit="count") is Colour.GREEN
    assert c("=", 2, 1, unit="count") is Colour.GREEN  # half the time, half the count
    assert c("=", 2, 1, unit="count", today=DUE) is Colour.RED  # 50 % of the target on the deadline day
    assert c(">=", 1000000, 600000, unit="count") is Colour.GREEN
    assert c(">=", 120, 45, unit="km") is Colour.ORANGE
    assert c(">=", 120, 44, unit="km") is Colour.RED


def test_direction():
    assert not rules.lower_is_better(">", "%") and not rules.lower_is_better("=", "count")
    assert rules.lower_is_better("<", "%") and rules.lower_is_better("<=", "km")
    assert rules.lower_is_better("=", "rank") and rules.lower_is_better(">=", "rank")


def test_reason_and_expected_value():
    result = rules.assess(">=", D(100), D(40), start=START, due=DUE, today=HALF)
    assert result.colour is Colour.ORANGE and result.expected == D("50.00")
    assert "75%" in result.reason and "50" in result.reason
    assert rules.assess(">=", D(100), None, start=START, due=DUE, today=HALF).reason == "Chưa có số liệu thực hiện."


def test_unknown_operator_is_a_programming_error():
    with pytest.raises(ValueError):
        rules.assess("≥", D(1), D(1), start=START, due=DUE, today=HALF)
