"""status_sql.py and status.py are one rule: on generated histories stored as claims, decisions, extensions and
cancellations, the status the database computes over the status cache equals the status Python replays from the
records, on every day asked (on SQLite and PostgreSQL alike)."""

import datetime as dt

from django.db import transaction
from django.db.models import BooleanField, Case, Value, When
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dondoc.accounts.roles import Role
from dondoc.plans.models import Assignment, Plan, Task
from dondoc.tracking import spans
from dondoc.tracking.models import Claim, DecisionState, Extension, StatusSpan
from dondoc.plans.due import due_for, store_dues
from dondoc.tracking.status import LOCAL_TZ, Record, Status, assignment_status, effective_due, past_due
from dondoc.tracking.status_sql import awaiting_late_q, done_q, open_in_time_q, overdue_q, status_expr, status_q

D = dt.date
START = dt.datetime(2024, 6, 1, tzinfo=dt.timezone.utc)
MINUTES = 300 * 24 * 60  # moments over ten months, any minute (so some fall either side of local midnight)
dates = st.dates(D(2024, 6, 1), D(2025, 4, 30))
# A claim is often decided (confirmed or returned) a while after it is made; a decision alone decides nothing.
# Repeated kinds come up more often: most histories are not cancelled.
EVENTS = ("claim", "claim", "claim+confirm", "claim+confirm", "claim+return", "confirm", "return", "extension",
          "extension", "extension_rejected", "cancel", "end")


@st.composite
def histories(draw):
    kinds = draw(st.lists(st.sampled_from(EVENTS), max_size=6))
    minutes = sorted(draw(st.lists(st.integers(0, MINUTES), min_size=len(kinds), max_size=len(kinds), unique=True)))
    events = []
    for kind, m in zip(kinds, minutes):
        at = START + dt.timedelta(minutes=m)
        kind, _, decision = kind.partition("+")
        events.append((kind, at, draw(dates)))
        if decision:
            # Half a minute off the whole minutes: a decision never ties with a claim, so the records come in
            # the same order in both replays.
            events.append((decision, at + dt.timedelta(minutes=draw(st.integers(0, 20 * 24 * 60)), seconds=30), None))
    events.sort(key=lambda e: e[1])
    return {"deadline": draw(st.one_of(st.none(), dates)), "recurrence": draw(st.sampled_from(["", "", "quarterly"])),
            "report": draw(st.one_of(st.none(), dates)), "events": events,
            "days": draw(st.lists(st.dates(D(2024, 5, 1), D(2025, 6, 30)), min_size=1, max_size=4))}


def store(assignment, user, history) -> list[Record]:
    """Write the history as the app stores it; return the same history as status.py's records."""
    Plan.objects.filter(pk=assignment.task.plan_id).update(agency_report_date=history["report"])
    task = {"deadline_date": history["deadline"], "deadline_text": "", "recurrence": history["recurrence"],
            "cancelled_at": None}
    ended_at, records, claims, extensions = None, [], [], []
    for kind, at, day in history["events"]:
        if kind == "claim":
            claims.append(Claim(assignment=assignment, completed_on=day, created_by=user, created_at=at))
            records.append(Record("claim", at, completed_on=day))
        elif kind in ("confirm", "return"):
            # Only the latest claim can be decided, and only once: a decision with none waiting decides nothing.
            if claims and claims[-1].state == DecisionState.PENDING:
                claims[-1].state = DecisionState.CONFIRMED if kind == "confirm" else DecisionState.RETURNED
                claims[-1].decided_at, claims[-1].decided_by = at, user
            records.append(Record(kind, at))
        elif kind.startswith("extension"):
            approved = kind == "extension"
            extensions.append(Extension(
                assignment=assignment, new_deadline=day, reason="Chờ hướng dẫn", requested_by=user,
                created_at=at - dt.timedelta(minutes=1), decided_by=user, decided_at=at,
                state=DecisionState.APPROVED if approved else DecisionState.REJECTED))
            if approved:
                records.append(Record("extension", at, new_due=day))
        elif kind == "cancel" and task["cancelled_at"] is None:
            task["cancelled_at"] = at
            records.append(Record("cancel", at))
        elif kind == "end" and ended_at is None:
            ended_at = at
            records.append(Record("cancel", at))
    Task.objects.filter(pk=assignment.task_id).update(**task)
    store_dues(Plan.objects.get(pk=assignment.task.plan_id))  # update() skips save(), which keeps the due
    Assignment.objects.filter(pk=assignment.pk).update(ended_at=ended_at, added_at=None)
    Claim.objects.bulk_create(claims)  # no signals: the cache is refreshed once below
    Extension.objects.bulk_create(extensions)
    spans.refresh([assignment.pk])
    return records


def as_sql(q):
    """The condition as a column, true or false (a bare comparison with a null due date would be null)."""
    return Case(When(q, then=Value(True)), default=Value(False), output_field=BooleanField())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(history=histories())
def test_the_sql_status_is_the_python_status(lead, users, history):
    with transaction.atomic():
        records = store(lead, users[Role.COORDINATOR], history)
        due = due_for(history["deadline"], "", history["recurrence"] or None, history["report"])
        days = {*history["days"], *(at.astimezone(LOCAL_TZ).date() for _, at, _ in history["events"])}
        days |= {d + dt.timedelta(days=n) for d in (due.date, *(r.new_due for r in records)) if d for n in (0, 1)}
        for day in sorted(days):
            expected = assignment_status(due.date, records, day, recurring=due.basis == "recurring")
            found = list(spans.on(day, StatusSpan.objects.filter(assignment=lead)).annotate(
                status=status_expr(day), overdue=as_sql(overdue_q(day)), open_in_time=as_sql(open_in_time_q(day)),
                done=as_sql(done_q()), awaiting_late=as_sql(awaiting_late_q(day)))
                .values_list("status", "overdue", "open_in_time", "done", "awaiting_late"))
            awaiting_late = expected is Status.AWAITING and past_due(effective_due(due.date, records, day), day)
            assert found == [(expected.value, expected is Status.OVERDUE, expected is Status.OPEN_IN_TIME,
                              expected.is_done, awaiting_late)], (day, history)
            # The filter the lists use, one status at a time and two together.
            holding = spans.on(day, StatusSpan.objects.filter(assignment=lead))
            assert {s for s in Status if holding.filter(status_q(day, [s.value])).exists()} == {expected}, (day, history)
            others = [s.value for s in Status if s is not expected]
            assert holding.filter(status_q(day, [expected.value, others[0]])).exists()
            assert not holding.filter(status_q(day, [*others, "no-such-status"])).exists()
        transaction.set_rollback(True)


def _count_combinations(most=3):
    """Every (live, done, late, overdue, awaiting, ongoing) a task's lead spans can count, up to `most` leads."""
    for total in range(1, most + 1):
        for cancelled in range(total + 1):
            live = total - cancelled
            for done in range(live + 1):
                for late in range(done + 1):
                    for overdue in range(live - done + 1):
                        for awaiting in range(live - done - overdue + 1):
                            for ongoing in range(live - done - overdue - awaiting + 1):
                                yield live, done, late, overdue, awaiting, ongoing


def test_the_combined_status_in_sql_is_the_python_rule(db):
    """status_sql.combined_status() (the task lists, issue 17) and status.combine_counts() on every combination of
    counts of up to four lead agencies, each combination a row of constants."""
    from django.db.models import IntegerField

    from dondoc.tracking.models import StatusVersion
    from dondoc.tracking.status import combine_counts
    from dondoc.tracking.status_sql import combined_status

    StatusVersion.objects.create(pk=1, n=0)
    names = ("live", "done", "late", "overdue", "awaiting", "ongoing")
    combos = sorted(set(_count_combinations(4)))
    assert len(combos) > 100
    for counts in combos:
        found = (StatusVersion.objects.annotate(**{n: Value(c, output_field=IntegerField()) for n, c in zip(names, counts)})
                 .annotate(status=combined_status()).values_list("status", flat=True).get())
        expected = combine_counts(*counts).value
        assert found == expected, counts
