"""Derived status of assignments and tasks, and due dates. Expected values written by hand from docs/domain.md."""

import random
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dondoc.tracking.status import (
    Record,
    Status,
    assignment_status,
    combine,
    days_late,
    effective_due,
)

pytestmark = pytest.mark.nodb

D = date
HCM = ZoneInfo("Asia/Ho_Chi_Minh")
UTC = timezone.utc
DUE = D(2024, 12, 10)  # Plan 78: results due to UBND tỉnh before 10/12/2024


def at(y, m, d, h=9, minute=0, tz=HCM):
    return datetime(y, m, d, h, minute, tzinfo=tz)


def claim(day, completed_on=None, h=9):
    return Record("claim", at(*day, h=h), completed_on=completed_on)


def confirm(day, h=10):
    return Record("confirm", at(*day, h=h))


def ret(day, h=10):
    return Record("return", at(*day, h=h))


def extension(day, new_due, h=11):
    return Record("extension", at(*day, h=h), new_due=new_due)


def status(records, as_of, due=DUE, **kw):
    return assignment_status(due, records, as_of, **kw)


# --- Status ----------------------------------------------------------------------------------------------

def test_codes_and_labels():
    assert [(s.value, s.label) for s in Status] == [
        ("open_in_time", "Chưa hoàn thành, trong hạn"),
        ("overdue", "Chưa hoàn thành, quá hạn"),
        ("awaiting_confirmation", "Chờ xác nhận hoàn thành"),
        ("done_on_time", "Đã hoàn thành đúng hạn"),
        ("done_late", "Đã hoàn thành quá hạn"),
        ("ongoing", "Thường xuyên, định kỳ"),
        ("cancelled", "Đã hủy"),
    ]
    assert Status("overdue") is Status.OVERDUE
    assert Status.OVERDUE == "overdue"  # a str enum: stored and serialised as its code


def test_official_categories():
    assert {s for s in Status if s.is_done} == {Status.DONE_ON_TIME, Status.DONE_LATE}
    assert {s for s in Status if s.is_open} == {Status.OPEN_IN_TIME, Status.OVERDUE, Status.AWAITING}
    assert not Status.ONGOING.is_done and not Status.ONGOING.is_open
    assert not Status.CANCELLED.is_done and not Status.CANCELLED.is_open


# --- no records: the deadline day is on time -------------------------------------------------------------

@pytest.mark.parametrize("as_of, expected", [
    (D(2024, 1, 1), Status.OPEN_IN_TIME),
    (D(2024, 12, 9), Status.OPEN_IN_TIME),
    (D(2024, 12, 10), Status.OPEN_IN_TIME),  # the deadline day itself
    (D(2024, 12, 11), Status.OVERDUE),  # the day after
    (D(2025, 6, 1), Status.OVERDUE),
])
def test_without_records(as_of, expected):
    assert status([], as_of) is expected


@pytest.mark.parametrize("as_of, late", [(D(2024, 12, 10), 0), (D(2024, 12, 11), 1), (D(2024, 12, 31), 21),
                                         (D(2024, 1, 1), 0)])
def test_days_late_while_open(as_of, late):
    assert days_late(DUE, [], as_of) == late


def test_no_due_date_is_never_overdue():
    assert status([], D(2099, 1, 1), due=None) is Status.OPEN_IN_TIME
    assert days_late(None, [], D(2099, 1, 1)) == 0
    done = [claim((2030, 1, 1), D(2030, 1, 1)), confirm((2030, 1, 2))]
    assert status(done, D(2030, 1, 2), due=None) is Status.DONE_ON_TIME


def test_recurring_is_ongoing_between_occurrences():
    assert status([], D(2030, 1, 1), due=None, recurring=True) is Status.ONGOING
    assert status([], D(2030, 1, 1), recurring=True) is Status.ONGOING  # never overdue as a whole
    assert status([Record("cancel", at(2024, 5, 1))], D(2024, 5, 1), recurring=True) is Status.CANCELLED
    assert status([claim((2024, 5, 1), D(2024, 5, 1))], D(2024, 5, 1), recurring=True) is Status.AWAITING


# --- claims, confirmations, returns ----------------------------------------------------------------------

def test_claim_on_the_deadline_day_confirmed_later_is_on_time():
    records = [claim((2024, 12, 10), D(2024, 12, 10), h=16), confirm((2024, 12, 12))]
    assert status(records, D(2024, 12, 9)) is Status.OPEN_IN_TIME
    assert status(records, D(2024, 12, 10)) is Status.AWAITING
    assert status(records, D(2024, 12, 11)) is Status.AWAITING  # waiting on the coordinator is not overdue
    assert status(records, D(2024, 12, 12)) is Status.DONE_ON_TIME
    assert days_late(DUE, records, D(2024, 12, 12)) == 0
    assert days_late(DUE, records, D(2024, 12, 11)) == 0


def test_completion_the_day_after_the_deadline_is_late():
    records = [claim((2024, 12, 11), D(2024, 12, 11)), confirm((2024, 12, 13))]
    assert status(records, D(2024, 12, 10)) is Status.OPEN_IN_TIME
    assert status(records, D(2024, 12, 11)) is Status.AWAITING
    assert days_late(DUE, records, D(2024, 12, 11)) == 1  # the lateness the claim declares
    assert status(records, D(2024, 12, 13)) is Status.DONE_LATE
    assert days_late(DUE, records, D(2024, 12, 13)) == 1
    assert days_late(DUE, records, D(2025, 12, 13)) == 1  # done: the count stops at completion


def test_completion_is_dated_by_the_declared_day_not_the_claim():
    # Done on 9/12, claimed on 15/12: overdue in between, on time once confirmed.
    records = [claim((2024, 12, 15), D(2024, 12, 9)), confirm((2024, 12, 16))]
    assert status(records, D(2024, 12, 12)) is Status.OVERDUE
    assert days_late(DUE, records, D(2024, 12, 12)) == 2
    assert status(records, D(2024, 12, 15)) is Status.AWAITING
    assert days_late(DUE, records, D(2024, 12, 15)) == 0
    assert status(records, D(2024, 12, 16)) is Status.DONE_ON_TIME


def test_claim_without_a_declared_day_counts_from_its_local_day():
    records = [Record("claim", at(2024, 12, 11, 0, 30)), confirm((2024, 12, 11))]
    assert status(records, D(2024, 12, 11)) is Status.DONE_LATE
    assert days_late(DUE, records, D(2024, 12, 11)) == 1


def test_returned_claim_counts_as_not_completed_and_the_lead_can_claim_again():
    records = [
        claim((2024, 12, 5), D(2024, 12, 5)),
        ret((2024, 12, 6)),
        claim((2024, 12, 12), D(2024, 12, 12)),
        confirm((2024, 12, 13)),
    ]
    assert status(records, D(2024, 12, 5)) is Status.AWAITING
    assert status(records, D(2024, 12, 6)) is Status.OPEN_IN_TIME
    assert status(records, D(2024, 12, 10)) is Status.OPEN_IN_TIME
    assert status(records, D(2024, 12, 11)) is Status.OVERDUE
    assert days_late(DUE, records, D(2024, 12, 11)) == 1
    assert status(records, D(2024, 12, 12)) is Status.AWAITING
    assert status(records, D(2024, 12, 13)) is Status.DONE_LATE
    assert days_late(DUE, records, D(2024, 12, 13)) == 2


def test_returned_then_reclaimed_in_time():
    records = [claim((2024, 12, 1), D(2024, 12, 1)), ret((2024, 12, 2)), claim((2024, 12, 3), D(2024, 12, 3)),
               ret((2024, 12, 4)), claim((2024, 12, 8), D(2024, 12, 8)), confirm((2024, 12, 20))]
    assert [status(records, D(2024, 12, d)) for d in (1, 2, 3, 4, 8, 19, 20)] == [
        Status.AWAITING, Status.OPEN_IN_TIME, Status.AWAITING, Status.OPEN_IN_TIME, Status.AWAITING,
        Status.AWAITING, Status.DONE_ON_TIME]


def test_the_latest_claim_is_what_counts():
    # A confirmed claim followed by a new one (a correction): the new claim waits for its own decision.
    records = [claim((2024, 12, 1), D(2024, 12, 1)), confirm((2024, 12, 2)), claim((2024, 12, 20), D(2024, 12, 20))]
    assert status(records, D(2024, 12, 2)) is Status.DONE_ON_TIME
    assert status(records, D(2024, 12, 20)) is Status.AWAITING
    assert status(records + [confirm((2024, 12, 21))], D(2024, 12, 21)) is Status.DONE_LATE


def test_decisions_without_a_waiting_claim_decide_nothing():
    assert status([confirm((2024, 12, 1))], D(2024, 12, 1)) is Status.OPEN_IN_TIME
    assert status([ret((2024, 12, 1))], D(2024, 12, 11)) is Status.OVERDUE
    done = [claim((2024, 12, 1), D(2024, 12, 1)), confirm((2024, 12, 2))]
    assert status(done + [ret((2024, 12, 3))], D(2024, 12, 3)) is Status.DONE_ON_TIME
    returned = [claim((2024, 12, 1), D(2024, 12, 1)), ret((2024, 12, 2))]
    assert status(returned + [confirm((2024, 12, 3))], D(2024, 12, 3)) is Status.OPEN_IN_TIME


# --- extensions ------------------------------------------------------------------------------------------

def test_extension_approved_before_the_deadline():
    records = [extension((2024, 12, 5), D(2024, 12, 31))]
    assert effective_due(DUE, records, D(2024, 12, 4)) == DUE
    assert effective_due(DUE, records, D(2024, 12, 5)) == D(2024, 12, 31)
    assert status(records, D(2024, 12, 20)) is Status.OPEN_IN_TIME
    assert status(records, D(2024, 12, 31)) is Status.OPEN_IN_TIME
    assert status(records, D(2025, 1, 1)) is Status.OVERDUE
    assert days_late(DUE, records, D(2025, 1, 1)) == 1


def test_extension_approved_after_the_as_of_day_does_not_count_yet():
    records = [extension((2024, 12, 15), D(2024, 12, 31))]
    assert status(records, D(2024, 12, 12)) is Status.OVERDUE  # recomputing 12/12 later still says overdue
    assert days_late(DUE, records, D(2024, 12, 14)) == 4
    assert status(records, D(2024, 12, 15)) is Status.OPEN_IN_TIME
    assert days_late(DUE, records, D(2024, 12, 15)) == 0


def test_the_latest_approved_extension_wins_whatever_its_date():
    records = [extension((2024, 12, 8), D(2025, 3, 31)), extension((2024, 12, 1), D(2024, 12, 20))]
    assert effective_due(DUE, records, D(2024, 12, 1)) == D(2024, 12, 20)
    assert effective_due(DUE, records, D(2024, 12, 8)) == D(2025, 3, 31)
    shortened = [extension((2024, 12, 1), D(2025, 3, 31)), extension((2024, 12, 8), D(2024, 12, 20))]
    assert effective_due(DUE, shortened, D(2025, 1, 1)) == D(2024, 12, 20)
    assert status(shortened, D(2024, 12, 21)) is Status.OVERDUE


def test_completion_is_measured_against_the_extension():
    late_work = [claim((2024, 12, 20), D(2024, 12, 20)), confirm((2024, 12, 21))]
    assert status(late_work, D(2024, 12, 21)) is Status.DONE_LATE
    assert days_late(DUE, late_work, D(2024, 12, 21)) == 10
    extended = [extension((2024, 12, 9), D(2024, 12, 31))] + late_work
    assert status(extended, D(2024, 12, 21)) is Status.DONE_ON_TIME
    assert days_late(DUE, extended, D(2024, 12, 21)) == 0
    # An extension decided after the confirmation changes the verdict only from its own day on.
    after = late_work + [extension((2024, 12, 22), D(2024, 12, 31))]
    assert status(after, D(2024, 12, 21)) is Status.DONE_LATE
    assert status(after, D(2024, 12, 22)) is Status.DONE_ON_TIME


def test_extension_gives_a_date_to_a_task_without_one():
    records = [extension((2024, 12, 1), D(2024, 12, 5))]
    assert effective_due(None, records, D(2024, 11, 30)) is None
    assert effective_due(None, records, D(2024, 12, 1)) == D(2024, 12, 5)
    assert status(records, D(2024, 12, 6), due=None) is Status.OVERDUE


def test_effective_due_ignores_everything_but_extensions():
    records = [claim((2024, 12, 1), D(2024, 12, 1)), confirm((2024, 12, 1)), Record("cancel", at(2024, 12, 2)),
               Record("extension", at(2024, 12, 3))]  # no new date: nothing approved
    assert effective_due(DUE, records, D(2024, 12, 31)) == DUE


# --- cancel ----------------------------------------------------------------------------------------------

def test_a_cancelled_task_leaves_from_its_day():
    records = [Record("cancel", at(2024, 12, 5))]
    assert status(records, D(2024, 12, 4)) is Status.OPEN_IN_TIME
    assert status(records, D(2024, 12, 5)) is Status.CANCELLED
    assert status(records, D(2024, 12, 19)) is Status.CANCELLED
    assert days_late(DUE, records, D(2024, 12, 19)) == 0


def test_restore_is_not_a_record_kind():
    with pytest.raises(ValueError, match="Unknown record kind"):
        Record("restore", at(2024, 12, 20))  # nothing un-cancels a task: a cancellation is final


def test_cancel_wins_over_a_claim_and_a_completion():
    pending = [claim((2024, 12, 1), D(2024, 12, 1)), Record("cancel", at(2024, 12, 2))]
    assert status(pending, D(2024, 12, 2)) is Status.CANCELLED
    done = [claim((2024, 12, 1), D(2024, 12, 1)), confirm((2024, 12, 1)), Record("cancel", at(2024, 12, 2))]
    assert status(done, D(2024, 12, 1)) is Status.DONE_ON_TIME
    assert status(done, D(2024, 12, 2)) is Status.CANCELLED


# --- Asia/Ho_Chi_Minh days -------------------------------------------------------------------------------

def test_a_record_at_2330_utc_belongs_to_the_next_local_day():
    late_night = datetime(2024, 12, 10, 23, 30, tzinfo=UTC)  # 06:30 on 11/12 in Hà Nội
    records = [Record("claim", late_night, completed_on=D(2024, 12, 10))]
    assert status(records, D(2024, 12, 10)) is Status.OPEN_IN_TIME  # not made yet on 10/12, local time
    assert status(records, D(2024, 12, 11)) is Status.AWAITING
    claimed = [claim((2024, 12, 10), D(2024, 12, 10)), Record("confirm", late_night)]
    assert status(claimed, D(2024, 12, 10)) is Status.AWAITING
    assert status(claimed, D(2024, 12, 11)) is Status.DONE_ON_TIME


def test_local_midnight_boundary():
    last_minute = datetime(2024, 12, 10, 16, 59, tzinfo=UTC)  # 23:59 on 10/12 local
    midnight = datetime(2024, 12, 10, 17, 0, tzinfo=UTC)  # 00:00 on 11/12 local
    assert status([Record("claim", last_minute)], D(2024, 12, 10)) is Status.AWAITING
    assert status([Record("claim", midnight)], D(2024, 12, 10)) is Status.OPEN_IN_TIME
    # Without a declared date, the claim's local day is the completion day.
    assert status([Record("claim", last_minute), confirm((2024, 12, 11))], D(2024, 12, 11)) is Status.DONE_ON_TIME
    assert status([Record("claim", midnight), confirm((2024, 12, 11))], D(2024, 12, 11)) is Status.DONE_LATE


def test_extension_at_2330_utc_counts_from_the_next_local_day():
    records = [Record("extension", datetime(2024, 12, 10, 23, 30, tzinfo=UTC), new_due=D(2024, 12, 31))]
    assert effective_due(DUE, records, D(2024, 12, 10)) == DUE
    assert effective_due(DUE, records, D(2024, 12, 11)) == D(2024, 12, 31)


def test_other_zones_are_converted():
    tokyo = ZoneInfo("Asia/Tokyo")  # two hours ahead of Hà Nội
    assert status([Record("claim", datetime(2024, 12, 11, 1, 0, tzinfo=tokyo))], D(2024, 12, 10)) is Status.AWAITING


# --- order of records ------------------------------------------------------------------------------------

def test_order_given_is_irrelevant():
    records = [claim((2024, 12, 5), D(2024, 12, 5)), ret((2024, 12, 6)), extension((2024, 12, 7), D(2025, 1, 31)),
               claim((2024, 12, 20), D(2024, 12, 20)), confirm((2024, 12, 21))]
    expected = [status(records, D(2024, 12, d)) for d in range(1, 32)]
    rng = random.Random(78)
    for _ in range(20):
        shuffled = records[:]
        rng.shuffle(shuffled)
        assert [status(shuffled, D(2024, 12, d)) for d in range(1, 32)] == expected
    assert expected[20] is Status.DONE_ON_TIME


def test_ties_keep_the_order_given():
    moment = at(2024, 12, 5)
    made = Record("claim", moment, completed_on=D(2024, 12, 5))
    decided = Record("confirm", moment)
    assert status([made, decided], D(2024, 12, 5)) is Status.DONE_ON_TIME
    assert status([decided, made], D(2024, 12, 5)) is Status.AWAITING


def test_records_may_be_any_iterable():
    records = [claim((2024, 12, 5), D(2024, 12, 5)), confirm((2024, 12, 6))]
    assert status(iter(records), D(2024, 12, 6)) is Status.DONE_ON_TIME
    assert days_late(DUE, (r for r in records), D(2024, 12, 6)) == 0
    assert effective_due(DUE, iter(()), D(2024, 12, 6)) == DUE


def test_bad_records_are_refused():
    with pytest.raises(ValueError, match="aware"):
        Record("claim", datetime(2024, 12, 5, 9, 0))
    with pytest.raises(ValueError, match="kind"):
        Record("approve", at(2024, 12, 5))


# --- combine ---------------------------------------------------------------------------------------------

S = Status


@pytest.mark.parametrize("statuses, expected", [
    ([], S.OPEN_IN_TIME),
    ([S.CANCELLED], S.CANCELLED),
    ([S.CANCELLED, S.CANCELLED], S.CANCELLED),
    ([S.DONE_ON_TIME], S.DONE_ON_TIME),
    ([S.DONE_ON_TIME, S.DONE_ON_TIME], S.DONE_ON_TIME),
    ([S.DONE_ON_TIME, S.DONE_LATE], S.DONE_LATE),
    ([S.DONE_LATE, S.CANCELLED], S.DONE_LATE),
    ([S.DONE_ON_TIME, S.CANCELLED, S.DONE_ON_TIME], S.DONE_ON_TIME),
    ([S.DONE_ON_TIME, S.OVERDUE], S.OVERDUE),
    ([S.DONE_LATE, S.OPEN_IN_TIME], S.OPEN_IN_TIME),
    ([S.AWAITING, S.OVERDUE], S.OVERDUE),
    ([S.ONGOING, S.OVERDUE], S.OVERDUE),
    ([S.OVERDUE, S.CANCELLED], S.OVERDUE),
    ([S.AWAITING, S.OPEN_IN_TIME], S.AWAITING),
    ([S.AWAITING, S.DONE_ON_TIME], S.AWAITING),
    ([S.AWAITING, S.CANCELLED], S.AWAITING),
    ([S.ONGOING, S.ONGOING], S.ONGOING),
    ([S.ONGOING, S.CANCELLED], S.ONGOING),
    ([S.ONGOING, S.OPEN_IN_TIME], S.OPEN_IN_TIME),
    ([S.ONGOING, S.DONE_ON_TIME], S.OPEN_IN_TIME),
    ([S.OPEN_IN_TIME, S.OPEN_IN_TIME], S.OPEN_IN_TIME),
    (["overdue", "done_on_time"], S.OVERDUE),  # stored codes work too
])
def test_combine(statuses, expected):
    assert combine(statuses) is expected
    assert combine(reversed(list(statuses))) is expected
    assert combine(iter(statuses)) is expected


@given(st.lists(st.sampled_from(Status), max_size=6), st.randoms())
def test_combine_ignores_order(statuses, rnd):
    shuffled = statuses[:]
    rnd.shuffle(shuffled)
    assert combine(shuffled) is combine(statuses)


@given(st.sampled_from(Status))
def test_combine_of_one_is_itself(s):
    assert combine([s]) is s
    assert combine([s, S.CANCELLED]) is s


# --- properties of assignment_status --------------------------------------------------------------------

moments = st.datetimes(datetime(2024, 1, 1), datetime(2025, 12, 31), timezones=st.sampled_from([UTC, HCM]))
small_dates = st.dates(D(2024, 1, 1), D(2025, 12, 31))
records_st = st.lists(st.builds(
    Record,
    kind=st.sampled_from(["claim", "confirm", "return", "extension", "cancel"]),
    at=moments,
    completed_on=st.one_of(st.none(), small_dates),
    new_due=st.one_of(st.none(), small_dates),
), max_size=8)


def _local(r):
    return r.at.astimezone(HCM).date()


@given(records_st, st.one_of(st.none(), small_dates), st.booleans(), st.integers(1, 400))
def test_before_any_record_the_status_is_that_without_records(records, due, recurring, back):
    first = min((_local(r) for r in records), default=D(2026, 1, 1))
    as_of = first - timedelta(days=back)
    assert assignment_status(due, records, as_of, recurring=recurring) is \
        assignment_status(due, [], as_of, recurring=recurring)
    assert days_late(due, records, as_of) == days_late(due, [], as_of)
    assert effective_due(due, records, as_of) == due


@given(records_st, st.one_of(st.none(), small_dates), small_dates, st.randoms())
def test_order_of_distinct_moments_is_irrelevant(records, due, as_of, rnd):
    distinct = list({r.at.astimezone(UTC): r for r in records}.values())
    shuffled = distinct[:]
    rnd.shuffle(shuffled)
    assert assignment_status(due, shuffled, as_of) is assignment_status(due, distinct, as_of)
    assert days_late(due, shuffled, as_of) == days_late(due, distinct, as_of)


@given(records_st, st.one_of(st.none(), small_dates), small_dates)
def test_days_late_agrees_with_the_status(records, due, as_of):
    s = assignment_status(due, records, as_of)
    late = days_late(due, records, as_of)
    assert late >= 0
    if s is Status.OVERDUE:
        assert late == (as_of - effective_due(due, records, as_of)).days > 0
    if s in (Status.OPEN_IN_TIME, Status.DONE_ON_TIME, Status.CANCELLED):
        assert late == 0
    if s is Status.DONE_LATE:
        assert late > 0


@given(st.lists(st.sampled_from(["claim", "confirm", "return", "extension", "cancel"]), max_size=6),
       st.dates(min_value=date(2024, 1, 1), max_value=date(2025, 12, 31)))
def test_evaluate_agrees_with_the_single_functions(kinds, as_of):
    """evaluate() replays once for long lists; it must say what the three functions say."""
    from dondoc.tracking.status import evaluate

    due = date(2024, 9, 30)
    base = datetime(2024, 6, 1, 3, 0, tzinfo=timezone.utc)
    records = [Record(k, base + timedelta(days=20 * i), completed_on=date(2024, 6, 1) + timedelta(days=20 * i)
                      if k == "claim" else None, new_due=date(2024, 12, 31) if k == "extension" else None)
               for i, k in enumerate(kinds)]
    result = evaluate(due, records, as_of)
    assert result.status == assignment_status(due, records, as_of)
    assert result.effective_due == effective_due(due, records, as_of)
    assert result.days_late == days_late(due, records, as_of)


# --- Spans: the stored form of the same rules ------------------------------------------------------------

from dondoc.tracking.status import BEGINNING, FOREVER, OPEN, days_late_on, spans, status_on  # noqa: E402


def span_at(found, day):
    held = [s for s in found if s.start <= day < s.end]
    assert len(held) <= 1, "spans overlap"
    return held[0] if held else None


@given(records_st, st.one_of(st.none(), small_dates), st.booleans(), st.dates(D(2023, 6, 1), D(2026, 6, 30)))
def test_spans_give_the_status_of_every_day(records, due, recurring, day):
    found = spans(due, records, recurring=recurring)
    s = span_at(found, day)
    assert s is not None and found[0].start == BEGINNING and found[-1].end == FOREVER
    assert status_on(s.state, s.due, day) == assignment_status(due, records, day, recurring=recurring)
    assert days_late_on(s.state, s.due, s.completed_on, day) == days_late(due, records, day)


@given(records_st, st.one_of(st.none(), small_dates))
def test_spans_are_contiguous_and_change_something(records, due):
    found = spans(due, records)
    for a, b in zip(found, found[1:]):
        assert a.end == b.start and a.start < a.end
        assert (a.state, a.due, a.completed_on, a.returned) != (b.state, b.due, b.completed_on, b.returned)


def test_spans_by_hand():
    # Claimed 05/12 (completed 04/12), returned 08/12, claimed again 12/12 (completed 11/12), confirmed 13/12.
    records = [claim((2024, 12, 5), D(2024, 12, 4)), ret((2024, 12, 8)), claim((2024, 12, 12), D(2024, 12, 11)),
               confirm((2024, 12, 13))]
    found = spans(DUE, records)
    assert [(s.start, s.state, s.completed_on, s.returned) for s in found] == [
        (BEGINNING, OPEN, None, False),
        (D(2024, 12, 5), "awaiting_confirmation", D(2024, 12, 4), False),
        (D(2024, 12, 8), OPEN, None, True),
        (D(2024, 12, 12), "awaiting_confirmation", D(2024, 12, 11), False),
        (D(2024, 12, 13), "done_late", D(2024, 12, 11), False),
    ]
    assert status_on(OPEN, DUE, D(2024, 12, 10)) is Status.OPEN_IN_TIME  # the deadline day is on time
    assert status_on(OPEN, DUE, D(2024, 12, 11)) is Status.OVERDUE
    assert days_late_on("done_late", DUE, D(2024, 12, 11), D(2025, 1, 1)) == 1


def test_spans_start_when_the_assignment_was_added():
    found = spans(DUE, [claim((2024, 3, 1), D(2024, 3, 1))], start=D(2024, 5, 1))
    assert len(found) == 1 and found[0].start == D(2024, 5, 1) and found[0].state == "awaiting_confirmation"
