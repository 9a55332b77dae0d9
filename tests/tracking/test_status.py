"""Derived status of assignments and tasks, and due dates. Expected values written by hand from docs/domain.md."""

import random
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dondoc.tracking.status import (
    Due,
    Record,
    Status,
    assignment_status,
    combine,
    days_late,
    due_for,
    effective_due,
)

pytestmark = pytest.mark.nodb

D = date
HCM = ZoneInfo("Asia/Ho_Chi_Minh")
UTC = timezone.utc
DUE = D(2024, 12, 10)  # Plan 78: results due to UBND tỉnh before 10/12/2024
REPORT = D(2024, 12, 10)


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


# --- cancel and restore ----------------------------------------------------------------------------------

def test_cancel_and_restore():
    records = [Record("cancel", at(2024, 12, 5)), Record("restore", at(2024, 12, 20))]
    assert status(records, D(2024, 12, 4)) is Status.OPEN_IN_TIME
    assert status(records, D(2024, 12, 5)) is Status.CANCELLED
    assert status(records, D(2024, 12, 19)) is Status.CANCELLED
    assert days_late(DUE, records, D(2024, 12, 19)) == 0
    assert status(records, D(2024, 12, 20)) is Status.OVERDUE  # restored: measured again against its date
    assert days_late(DUE, records, D(2024, 12, 20)) == 10
    again = records + [Record("cancel", at(2024, 12, 21))]
    assert status(again, D(2024, 12, 21)) is Status.CANCELLED


def test_cancel_wins_over_a_claim_and_a_completion():
    pending = [claim((2024, 12, 1), D(2024, 12, 1)), Record("cancel", at(2024, 12, 2))]
    assert status(pending, D(2024, 12, 2)) is Status.CANCELLED
    done = [claim((2024, 12, 1), D(2024, 12, 1)), confirm((2024, 12, 1)), Record("cancel", at(2024, 12, 2))]
    assert status(done, D(2024, 12, 1)) is Status.DONE_ON_TIME
    assert status(done, D(2024, 12, 2)) is Status.CANCELLED
    restored = done + [Record("restore", at(2024, 12, 3))]
    assert status(restored, D(2024, 12, 3)) is Status.DONE_ON_TIME


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


# --- properties of assignment_status --------------------------------------------------------------------

moments = st.datetimes(datetime(2024, 1, 1), datetime(2025, 12, 31), timezones=st.sampled_from([UTC, HCM]))
small_dates = st.dates(D(2024, 1, 1), D(2025, 12, 31))
records_st = st.lists(st.builds(
    Record,
    kind=st.sampled_from(["claim", "confirm", "return", "extension", "cancel", "restore"]),
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


@given(st.lists(st.sampled_from(["claim", "confirm", "return", "extension", "cancel", "restore"]), max_size=6),
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
