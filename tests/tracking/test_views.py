import datetime as dt
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from dondoc.plans.models import Assignment, Task
from dondoc.tracking import actions


def group_of(body: str, key: str) -> str:
    """The HTML of one group of the My work page."""
    start = body.index(f'id="group-{key}"')
    nxt = body.find('id="group-', start + 1)
    return body[start: nxt if nxt != -1 else len(body)]


def test_my_work_groups(client, lead, people, settings, plan):
    settings.DEMO_TODAY = dt.date(2024, 10, 5)  # 1.1#1 (due 30/9) is overdue now
    other = plan.tasks.get(ref="1.1#2").assignments.get(role="lead")
    claim = actions.do_claim(other, people["lead_head"], completed_on=dt.date(2024, 10, 1))
    actions.do_return(claim, people["coordinator"], reason="Thiếu hồ sơ")
    client.force_login(people["lead_focal"])
    body = client.get("/viec-cua-toi/").content.decode()
    assert f'/giao-viec/{lead.pk}/' in group_of(body, "overdue") and "5 ngày" in group_of(body, "overdue")
    assert f'/giao-viec/{other.pk}/' in group_of(body, "action")
    claim2 = actions.do_claim(other, people["lead_head"], completed_on=dt.date(2024, 10, 2))
    actions.do_confirm(claim2, people["coordinator"])
    body = client.get("/viec-cua-toi/").content.decode()
    assert f'/giao-viec/{other.pk}/' in group_of(body, "done")


def test_my_work_shows_fifty_per_group_then_a_full_paged_list(client, lead, people, plan):
    for i in range(60):
        task = Task.objects.create(plan=plan, ref=f"9#{i}", order=500 + i, text=f"Nhiệm vụ bổ sung {i}")
        Assignment.objects.create(task=task, agency=lead.agency, role="lead")
    client.force_login(people["lead_focal"])
    body = client.get("/viec-cua-toi/").content.decode()
    rest = group_of(body, "rest")
    assert len(re.findall(r'href="/giao-viec/\d+/"', rest)) == 50
    assert 'href="?nhom=rest"' in rest
    full = client.get("/viec-cua-toi/", {"nhom": "rest", "page": 2}).content.decode()
    assert 'id="group-overdue"' not in full and "Trang 2/2" in full


def test_a_page_read_reads_the_status_version_once(client, lead, people, plan):
    """The work list and the menu's overdue count are both memoised under the status version: one read of it."""
    client.force_login(people["lead_focal"])
    client.get("/viec-cua-toi/")
    with CaptureQueriesContext(connection) as ctx:
        page = client.get("/viec-cua-toi/")
    assert page.status_code == 200
    assert sum('"tracking_statusversion"' in q["sql"] for q in ctx.captured_queries) == 1
    # The next read sees a change made in between: the confirmed claim moves one assignment to "done".
    claim = actions.do_claim(lead, people["lead_head"], completed_on=dt.date(2024, 9, 1))
    actions.do_confirm(claim, people["coordinator"])
    assert client.get("/viec-cua-toi/").context["counts"]["done"] == page.context["counts"]["done"] + 1


def test_a_work_page_read_again_asks_four_things(client, lead, people, plan):
    """The baseline of the most opened page, nothing changed since the last read: the session, the account with its
    agency (printed in the menu), the status version, the unread notifications. The list and the menu's badge come
    from the memo."""
    client.force_login(people["lead_focal"])
    client.get("/viec-cua-toi/")
    with CaptureQueriesContext(connection) as ctx:
        page = client.get("/viec-cua-toi/")
    assert page.status_code == 200
    tables = [q["sql"].split(" FROM ", 1)[1].split()[0].strip('"') for q in ctx.captured_queries]
    assert tables == ["django_session", "accounts_user", "tracking_statusversion", "tracking_notification"]
    assert people["lead_focal"].agency.name in page.content.decode()


def test_my_work_query_count_is_constant(client, lead, people, plan):
    client.force_login(people["lead_focal"])

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/viec-cua-toi/").status_code == 200
        return len(ctx.captured_queries)

    before = count()
    for i in range(15):
        task = Task.objects.create(plan=plan, ref=f"9#{i}", order=500 + i, text=f"Nhiệm vụ {i}")
        a = Assignment.objects.create(task=task, agency=lead.agency, role="lead")
        actions.do_claim(a, people["lead_head"], completed_on=dt.date(2024, 9, 1))
    assert count() == before
