import pytest
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory

from dondoc.audit import record
from dondoc.audit.models import AppendOnlyError, Event


def test_record_keeps_who_what_and_where(make_user, orgs):
    user = make_user("canbo")
    request = RequestFactory().post("/", REMOTE_ADDR="10.1.2.3")
    request.user = user
    event = record("agency.changed", obj=orgs["syt"], changes={"name": ["A", "B"]}, request=request)
    event = Event.objects.get(pk=event.pk)
    assert event.actor == user and event.actor_name == "canbo"
    assert event.object_type == "orgs.agency" and event.object_id == str(orgs["syt"].pk)
    assert event.object_repr == "Sở Y tế" and event.changes == {"name": ["A", "B"]}
    assert event.ip == "10.1.2.3" and event.at is not None


def test_orm_refuses_to_change_or_delete(db):
    event = record("x", actor_name="someone")
    event.action = "y"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        Event.objects.filter(pk=event.pk).update(action="y")
    with pytest.raises(AppendOnlyError):
        Event.objects.all().delete()


def test_database_refuses_to_rewrite_or_empty_events(db):
    """Even raw SQL cannot rewrite or empty history: triggers refuse UPDATE and DELETE on both databases, and
    TRUNCATE on PostgreSQL (which row triggers do not see)."""
    event = record("x", actor_name="someone")
    statements = ["UPDATE audit_event SET action = 'y'", "DELETE FROM audit_event",
                  f"DELETE FROM audit_event WHERE id = {event.pk}"]
    if connection.vendor == "postgresql":
        statements += ["TRUNCATE audit_event", "TRUNCATE audit_event CASCADE"]
    for sql in statements:
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert Event.objects.get(pk=event.pk).action == "x"


@pytest.mark.django_db(transaction=True)
def test_the_test_flush_empties_the_table_and_puts_the_guard_back():
    # Transactional tests are flushed between them (tests/conftest.py); the guard must hold again afterwards.
    from django.core.management import call_command

    record("x", actor_name="someone")
    call_command("flush", interactive=False, verbosity=0)
    assert not Event.objects.exists()
    record("y", actor_name="someone")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_event")
    assert Event.objects.count() == 1


def test_holiday_changes_in_the_admin_are_audited(client, users):
    from dondoc.accounts.roles import Role
    from dondoc.reports.models import Holiday

    client.force_login(users[Role.ADMIN])
    add = client.post("/quan-tri/reports/holiday/add/", {"date": "2024-09-02", "name": "Quốc khánh"})
    assert add.status_code == 302
    holiday = Holiday.objects.get()
    client.post(f"/quan-tri/reports/holiday/{holiday.pk}/change/", {"date": "2024-09-03", "name": "Quốc khánh (nghỉ bù)"})
    client.post("/quan-tri/reports/holiday/", {"action": "delete_selected", "_selected_action": [holiday.pk], "post": "yes"})
    assert not Holiday.objects.exists()
    actions = list(Event.objects.filter(object_type="reports.holiday").order_by("id").values_list("action", flat=True))
    assert actions == ["holiday.created", "holiday.changed", "holiday.deleted"]
    assert Event.objects.filter(action="holiday.changed", changes__date="2024-09-03").exists()
