"""Printed names -> agencies: a role names the people at the head of a body, the task goes to the body."""
import datetime as dt

import pytest

from dondoc.plans.resolve import Resolver, office_of


@pytest.mark.parametrize('name, office', [
    ('Lãnh đạo Sở Y tế', 'Sở Y tế'),
    ('Giám đốc các sở', 'các sở'),
    ('Đồng chí Chủ tịch Ủy ban nhân dân tỉnh', 'Ủy ban nhân dân tỉnh'),
    ('Sở Y tế', ''),                 # no role: nothing to strip
    ('Lãnh đạo', ''),                # a role alone names no body
])
def test_office_of_a_role(name, office):
    assert office_of(name) == office


def test_a_role_resolves_to_its_body(orgs):
    r = Resolver(dt.date(2024, 4, 23))
    assert r('Lãnh đạo Sở Y tế').agency == orgs['syt']
    assert r('Giám đốc Sở Tư pháp').agency.name == 'Sở Tư pháp'
    assert r('Lãnh đạo một cơ quan không có thật').kind == 'unknown'


# --- the 2025 reorganisation: names read as of the plan's date ---------------------------------------------------
# The organisation fixture: Sở Kế hoạch và Đầu tư, Sở Giao thông vận tải, ... end on 28/02/2025 and pass to Sở Tài
# chính, Sở Xây dựng, ...; the district committees end on 30/06/2025 with no successor recorded.

def _codes(agencies):
    return {a.code for a in agencies}


def test_a_group_before_the_reorganisation_is_its_members_then(orgs):
    group = Resolver(dt.date(2024, 4, 23))('Các sở, ban, ngành')
    assert group.kind == 'group'
    assert {'skhdt', 'sgtvt', 'stnmt', 'snnptnt', 'stc'} <= _codes(group.members)
    assert 'snnmt' not in _codes(group.members)  # created on 01/03/2025


def test_a_group_after_the_reorganisation_counts_dissolved_members_through_their_successors(orgs):
    group = Resolver(dt.date(2025, 11, 20))('Các sở, ban, ngành')
    codes = _codes(group.members)
    assert not codes & {'skhdt', 'sgtvt', 'stnmt', 'snnptnt', 'stttt', 'sldtbxh'}  # dissolved on 01/03/2025
    assert {'stc', 'sxd', 'snnmt', 'skhcn', 'snv'} <= codes  # who took their work over
    assert len(codes) == len(group.members)  # each agency once, however many it succeeded


def test_a_group_whose_members_all_ended_waits_for_the_reviewer(orgs):
    before = Resolver(dt.date(2025, 5, 1))('Ủy ban nhân dân huyện, thành phố')
    assert before.kind == 'group' and len(before.members) == 7
    after = Resolver(dt.date(2025, 11, 20))('Ủy ban nhân dân huyện, thành phố')
    assert after.kind == 'dissolved' and after.members == []
    assert '20/11/2025' in after.explain()


def test_an_agency_named_after_it_was_dissolved_is_shown_with_its_successor(orgs):
    then = Resolver(dt.date(2024, 4, 23))('Sở Kế hoạch và Đầu tư')
    assert then.kind == 'agency' and then.agency == orgs['skhdt']
    later = Resolver(dt.date(2025, 11, 20))('Sở Kế hoạch và Đầu tư')
    assert later.kind == 'dissolved' and later.agency is None
    assert later.successors == [orgs['stc']]
    assert later.explain() == 'Sở Kế hoạch và Đầu tư (hoạt động đến 28/02/2025; cơ quan kế thừa: Sở Tài chính)'


def test_a_plan_after_the_reorganisation_is_not_published_to_dissolved_agencies(orgs, users):
    from dondoc.accounts.roles import Role
    from dondoc.plans import actions

    from .conftest import make_structure

    structure = make_structure()
    structure["document"]["date"] = "2025-11-20"
    draft = actions.import_structure(structure, user=users[Role.COORDINATOR])
    with pytest.raises(actions.PlanError) as refused:
        actions.do_publish_plan(draft, user=users[Role.COORDINATOR])
    details = refused.value.details
    assert 'Sở Kế hoạch và Đầu tư (hoạt động đến 28/02/2025; cơ quan kế thừa: Sở Tài chính)' in details
    assert any(d.startswith('Ủy ban nhân dân huyện, thành phố (không còn cơ quan nào') for d in details)
    assert not draft.tasks.filter(assignments__isnull=False).exists()  # nothing assigned


def test_the_same_plan_dated_before_it_is_published_as_before(orgs, users):
    from dondoc.accounts.roles import Role
    from dondoc.plans import actions
    from dondoc.plans.models import Assignment

    from .conftest import make_structure

    plan = actions.do_publish_plan(actions.import_structure(make_structure(), user=users[Role.COORDINATOR]),
                                   user=users[Role.COORDINATOR])
    assert Assignment.objects.filter(task__plan=plan, agency=orgs['skhdt'], role='lead').exists()


def test_the_review_page_says_what_became_of_a_dissolved_lead(client, orgs, users):
    from dondoc.accounts.roles import Role
    from dondoc.plans import actions

    from .conftest import make_structure

    structure = make_structure()
    structure["document"]["date"] = "2025-11-20"
    draft = actions.import_structure(structure, user=users[Role.COORDINATOR])
    client.force_login(users[Role.COORDINATOR])
    page = client.get(f"/ke-hoach/{draft.pk}/ra-soat/").content.decode()
    assert "không còn hoạt động vào ngày của kế hoạch" in page
    assert "Sở Kế hoạch và Đầu tư (hoạt động đến 28/02/2025; cơ quan kế thừa: Sở Tài chính)" in page


def test_the_source_pane_shows_no_table_debris(client, orgs, users):
    from dondoc.accounts.roles import Role
    from dondoc.plans import actions

    from .conftest import make_structure

    text = "| STT | Nội dung |\n|-----|----------|\n| 1 | Sở Y tế triển khai bệnh án điện tử |\n+=====+\n" + "x" * 400
    draft = actions.import_structure(make_structure(), user=users[Role.COORDINATOR], text=text)
    client.force_login(users[Role.COORDINATOR])
    page = client.get(f"/ke-hoach/{draft.pk}/ra-soat/").content.decode()
    import re

    pane = page[page.index('id="source">') + len('id="source">'):page.index('</div>', page.index('id="source"'))]
    pane = re.sub(r"<[^>]+>", "", pane)  # the task highlights
    assert "Sở Y tế triển khai bệnh án điện tử" in pane and len(pane) == len(text)  # offsets kept
    assert "|" not in pane and "-----" not in pane and "=====" not in pane
