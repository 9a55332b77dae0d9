"""Status of an assignment, derived from dates and timestamped records, never typed by hand.

The official convention (QĐ 42/2014, QĐ 23/2018; docs/domain.md): "Đã hoàn thành" on time or late, "Chưa
hoàn thành" in time or overdue; plus the wait for the coordinator's confirmation, recurring tasks between
occurrences, and cancelled ones. Pure: every function takes an `as_of` day, and only records made on or
before that local day count, so the status on any past day can be recomputed.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from typing import Iterable

from dondoc.core.clock import LOCAL_TZ


class Status(str, enum.Enum):
    OPEN_IN_TIME = "open_in_time"
    OVERDUE = "overdue"
    AWAITING = "awaiting_confirmation"
    DONE_ON_TIME = "done_on_time"
    DONE_LATE = "done_late"
    ONGOING = "ongoing"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]

    @property
    def is_done(self) -> bool:
        """Counts as "Đã hoàn thành"."""
        return self in (Status.DONE_ON_TIME, Status.DONE_LATE)

    @property
    def is_open(self) -> bool:
        """Counts as "Chưa hoàn thành": a claim awaiting confirmation is not completed yet."""
        return self in (Status.OPEN_IN_TIME, Status.OVERDUE, Status.AWAITING)


DONE_STATES = (Status.DONE_ON_TIME.value, Status.DONE_LATE.value)

_STATUS_LABELS = {
    Status.OPEN_IN_TIME: "Chưa hoàn thành, trong hạn",
    Status.OVERDUE: "Chưa hoàn thành, quá hạn",
    Status.AWAITING: "Chờ xác nhận hoàn thành",
    Status.DONE_ON_TIME: "Đã hoàn thành đúng hạn",
    Status.DONE_LATE: "Đã hoàn thành quá hạn",
    Status.ONGOING: "Thường xuyên, định kỳ",
    Status.CANCELLED: "Đã hủy",
}


# --- Records and status ----------------------------------------------------------------------------------

RECORD_KINDS = ("claim", "confirm", "return", "extension", "cancel")


@dataclass(frozen=True)
class Record:
    kind: str  # claim | confirm | return | extension (approved) | cancel (of the task or of the assignment)
    at: dt.datetime  # timezone-aware; decided at, for confirm/return/extension
    completed_on: dt.date | None = None  # claim: the completion date the lead declared
    new_due: dt.date | None = None  # extension: the approved new deadline

    def __post_init__(self):
        if self.kind not in RECORD_KINDS:
            raise ValueError(f"Unknown record kind {self.kind!r}; expected one of {RECORD_KINDS}.")
        if not isinstance(self.at, dt.datetime) or self.at.utcoffset() is None:
            raise ValueError("Record.at must be a timezone-aware datetime.")

    @property
    def local_day(self) -> dt.date:
        return self.at.astimezone(LOCAL_TZ).date()


def _history(records: Iterable[Record], as_of: dt.date) -> list[Record]:
    """Records made on or before the local day `as_of`, oldest first (a stable sort keeps ties as given)."""
    return sorted((r for r in records if r.local_day <= as_of), key=lambda r: r.at)


def _effective(due: dt.date | None, history: list[Record]) -> dt.date | None:
    for record in reversed(history):
        if record.kind == "extension" and record.new_due is not None:
            return record.new_due
    return due


def effective_due(due: dt.date | None, records: Iterable[Record], as_of: dt.date) -> dt.date | None:
    """The latest approved extension made on or before `as_of`, else the original `due`."""
    return _effective(due, _history(records, as_of))


@dataclass(frozen=True)
class _State:
    due: dt.date | None
    cancelled: bool
    pending: Record | None  # the latest claim, not yet decided
    confirmed: Record | None  # the latest claim, confirmed
    returned: bool = False  # the latest claim was returned (the agency has to act)


def _replay(due, records, as_of) -> _State:
    history = _history(records, as_of)
    cancelled = returned = False
    pending = confirmed = None
    for record in history:
        if record.kind == "cancel":
            cancelled = True
        elif record.kind == "claim":
            # The latest claim is what counts, even over an earlier confirmed one.
            pending, confirmed, returned = record, None, False
        elif record.kind == "confirm" and pending is not None:
            pending, confirmed = None, pending
        elif record.kind == "return" and pending is not None:
            pending, returned = None, True  # a returned claim counts as not completed
        # A confirm or return with no claim waiting decides nothing.
    return _State(_effective(due, history), cancelled, pending, confirmed, returned)


def _completed_on(claim: Record) -> dt.date:
    # A claim without a declared date is taken as completed on the day it was made.
    return claim.completed_on if claim.completed_on is not None else claim.local_day


def _status(state: _State, as_of: dt.date, recurring: bool) -> Status:
    if state.cancelled:
        return Status.CANCELLED
    if state.confirmed is not None:
        if state.due is None or _completed_on(state.confirmed) <= state.due:
            return Status.DONE_ON_TIME
        return Status.DONE_LATE
    if state.pending is not None:
        return Status.AWAITING
    if recurring:
        return Status.ONGOING
    return status_on(OPEN, state.due, as_of)


def assignment_status(due: dt.date | None, records: Iterable[Record], as_of: dt.date, *,
                      recurring: bool = False) -> Status:
    """The status of one assignment at the end of the local day `as_of`."""
    return _status(_replay(due, records, as_of), as_of, recurring)


def days_late(due: dt.date | None, records: Iterable[Record], as_of: dt.date) -> int:
    """Days past the effective due: as_of − due when overdue, completion − due when done late (or when a
    claim awaiting confirmation declares a late completion); 0 otherwise."""
    return _days_late(_replay(due, list(records), as_of), as_of)


@dataclass(frozen=True)
class Evaluation:
    status: Status
    effective_due: dt.date | None
    days_late: int


def evaluate(due: dt.date | None, records: Iterable[Record], as_of: dt.date, *, recurring: bool = False) -> Evaluation:
    """Status, effective due and days late from one replay of the records (lists of thousands of assignments)."""
    state = _replay(due, list(records), as_of)
    return Evaluation(_status(state, as_of, recurring), state.due, _days_late(state, as_of))


def _days_late(state: _State, as_of: dt.date) -> int:
    if state.cancelled or state.due is None:
        return 0
    claim = state.confirmed or state.pending
    if claim is not None:
        return max(0, (_completed_on(claim) - state.due).days)
    return max(0, (as_of - state.due).days)


def combine(statuses: Iterable[Status]) -> Status:
    """A task's status from its lead assignments' statuses; cancelled ones leave the count."""
    statuses = [Status(s) for s in statuses]
    if not statuses:
        # No lead assignment at all is not a cancellation: the task is simply still open.
        return Status.OPEN_IN_TIME
    live = [s for s in statuses if s is not Status.CANCELLED]
    return combine_counts(len(live), sum(s.is_done for s in live), live.count(Status.DONE_LATE),
                          live.count(Status.OVERDUE), live.count(Status.AWAITING), live.count(Status.ONGOING))


def lead_progress(statuses: Iterable[Status]) -> tuple[int, int]:
    """(done, live) over a task's lead assignments: "k/n cơ quan đã hoàn thành" beside a combined status."""
    live = [Status(s) for s in statuses if Status(s) is not Status.CANCELLED]
    return sum(s.is_done for s in live), len(live)


def combine_counts(live: int, done: int, late: int, overdue: int, awaiting: int, ongoing: int) -> Status:
    """combine() over counts of a task's lead assignments (at least one), as the figures count them in SQL:
    `live` not cancelled, of which `done` done (`late` of them late), `overdue`, `awaiting`, `ongoing`.

    The rule for a task led by several agencies (docs/domain.md, "A task led by several agencies"): done when every
    lead agency's completion is confirmed (late if any was late); overdue as soon as any lead agency is; waiting
    for confirmation only when every lead agency has reported completion; else still open in time. One agency's
    claim among 32 does not make the task look finished."""
    if not live:
        return Status.CANCELLED
    if done == live:
        return Status.DONE_LATE if late else Status.DONE_ON_TIME
    if overdue:
        return Status.OVERDUE
    if awaiting and done + awaiting == live:
        return Status.AWAITING
    if ongoing == live:
        return Status.ONGOING
    return Status.OPEN_IN_TIME


# --- Spans: the same rules, stored -----------------------------------------------------------------------
# Lists and figures over thousands of assignments cannot replay every record per request. The facts that decide
# a status change only on the days records were made; between those days, the one thing that moves with the
# calendar is an open assignment passing its due date. So an assignment's history is a short list of spans of
# days with constant facts, and its status on any day is status_on(span, day). The database keeps these spans
# (tracking.StatusSpan) as a derived cache, rebuilt from the records by this function only.

BEGINNING = dt.date(1900, 1, 1)
FOREVER = dt.date(9999, 12, 31)
OPEN = "open"  # open_in_time or overdue, by the day asked


@dataclass(frozen=True)
class Span:
    start: dt.date  # the first day (at its end) these facts hold
    end: dt.date  # the first day they no longer hold (FOREVER for the current span)
    state: str  # OPEN or a settled Status value: awaiting_confirmation, done_*, ongoing, cancelled
    due: dt.date | None  # effective due, after approved extensions
    completed_on: dt.date | None  # the completion date of the pending or confirmed claim
    returned: bool  # the latest claim was returned


def _facts(state: _State, recurring: bool) -> tuple:
    status = _status(state, dt.date.min, recurring)  # the day matters only for OPEN, which is kept as OPEN
    settled = OPEN if status in (Status.OPEN_IN_TIME, Status.OVERDUE) else status.value
    claim = state.confirmed or state.pending
    completed = _completed_on(claim) if claim is not None and not state.cancelled else None
    return settled, state.due, completed, state.returned and settled in (OPEN, Status.ONGOING.value)


def spans(due: dt.date | None, records: Iterable[Record], *, recurring: bool = False,
          start: dt.date = BEGINNING) -> list[Span]:
    """The assignment's facts from `start` on, one span per run of days in which they do not change.

    For every day d >= start: status_on(the span holding d, d) == assignment_status(due, records, d, recurring=...),
    days_late_on(...) == days_late(...) (tests check this on random histories)."""
    records = list(records)
    days = sorted({r.local_day for r in records if r.local_day > start})
    out: list[tuple[dt.date, tuple]] = []
    for day in [start, *days]:
        facts = _facts(_replay(due, records, day), recurring)
        if not out or out[-1][1] != facts:
            out.append((day, facts))
    ends = [day for day, _ in out[1:]] + [FOREVER]
    return [Span(day, end, *facts) for (day, facts), end in zip(out, ends)]


def past_due(due: dt.date | None, day: dt.date) -> bool:
    """`day` is after the due date: the deadline day itself is on time, and no due date is never past.
    The SQL mirror is status_sql.py."""
    return due is not None and day > due


def status_on(state: str, due: dt.date | None, day: dt.date) -> Status:
    """A span's status on `day`: an open span is overdue once past its due date."""
    if state != OPEN:
        return Status(state)
    return Status.OVERDUE if past_due(due, day) else Status.OPEN_IN_TIME


def days_late_on(state: str, due: dt.date | None, completed_on: dt.date | None, day: dt.date) -> int:
    if due is None or state == Status.CANCELLED.value:
        return 0
    return max(0, ((completed_on if completed_on is not None else day) - due).days)
