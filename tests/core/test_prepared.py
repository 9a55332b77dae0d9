"""core/prepared.py: a query compiled once answers as the same queryset built afresh, for new values each run."""

import datetime as dt

import pytest
from django.db.models import Exists, OuterRef
from django.db.models.functions import Lower

from dondoc.accounts.models import ApiToken, LoginThrottle, User
from dondoc.core.prepared import Prepared
from dondoc.orgs.models import Agency

pytestmark = pytest.mark.django_db

PROBE_TIME = dt.datetime(1901, 1, 1, tzinfo=dt.timezone.utc)


def _users(name, since, at):
    locked = LoginThrottle.objects.filter(username=Lower(OuterRef("username")), locked_until__gt=at)
    return (User.objects.select_related("agency").annotate(locked=Exists(locked))
            .filter(username__gte=name, date_joined__gte=since).order_by("username"))


def test_each_run_answers_as_the_queryset_built_afresh():
    agency = Agency.objects.create(code="p-stc", name="Sở Tài chính")
    now = dt.datetime(2024, 10, 15, 8, 0, tzinfo=dt.timezone.utc)
    for name, joined in (("an", now), ("anh", now - dt.timedelta(days=3)), ("binh", now)):
        User.objects.create(username=name, agency=agency if name != "binh" else None, date_joined=joined)
    LoginThrottle.objects.create(username="anh", locked_until=now + dt.timedelta(minutes=5))
    query = Prepared(_users, name="(probe)", since=PROBE_TIME, at=PROBE_TIME.replace(year=1902))
    for name, since, at in (("an", now - dt.timedelta(days=7), now), ("an", now - dt.timedelta(hours=1), now),
                            ("b", now, now), ("x", now, now), ("an", now - dt.timedelta(days=7), now + dt.timedelta(hours=1))):
        expected = list(_users(name, since, at))
        found = query.run(name=name, since=since, at=at)
        assert [u.username for u in found] == [u.username for u in expected]
        assert [(u.locked, u.agency.name if u.agency else None, u.date_joined) for u in found] == \
            [(u.locked, u.agency.name if u.agency else None, u.date_joined) for u in expected]
    # The lockout of "anh" holds until 8:05: locked as seen at 8:00, not as seen at 8:10.
    week = now - dt.timedelta(days=7)
    assert [u.locked for u in query.run(name="anh", since=week, at=now + dt.timedelta(minutes=10))] == [False, False]
    assert [(u.username, u.locked) for u in query.run(name="anh", since=week, at=now)] == [
        ("anh", True), ("binh", False)]


def test_a_probe_must_be_found_once_and_of_a_kind_it_can_stand_for():
    twice = Prepared(lambda a: ApiToken.objects.filter(digest=a, name=a), a="(probe)")
    with pytest.raises(ValueError, match="2 times"):
        twice.run(a="x")
    with pytest.raises(TypeError):
        Prepared(lambda ids: ApiToken.objects.filter(pk__in=ids), ids=[7, 8])
    with pytest.raises(TypeError):
        Prepared(lambda flag: ApiToken.objects.filter(revoked_at__isnull=flag), flag=True)


def test_a_number_stands_for_a_key():
    a, b = (Agency.objects.create(code=f"p-{n}", name=f"Sở {n}") for n in ("x", "y"))
    query = Prepared(lambda pk: Agency.objects.filter(pk=pk), pk=987_654_321_987)
    assert [x.code for x in query.run(pk=b.pk)] == ["p-y"] and [x.code for x in query.run(pk=a.pk)] == ["p-x"]
    assert query.run(pk=a.pk + b.pk + 1000) == []
