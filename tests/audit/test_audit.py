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


def test_database_refuses_to_rewrite_events(db):
    """Even raw SQL cannot rewrite history: a trigger refuses UPDATE (and DELETE on PostgreSQL)."""
    event = record("x", actor_name="someone")
    statements = ["UPDATE audit_event SET action = 'y'"]
    if connection.vendor == "postgresql":
        statements.append("DELETE FROM audit_event")
    for sql in statements:
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert Event.objects.get(pk=event.pk).action == "x"
