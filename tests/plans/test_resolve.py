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
