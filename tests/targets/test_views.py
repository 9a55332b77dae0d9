"""The target pages: what they show, the colour filter, refusals shown in the form, escaping, query counts."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dondoc.targets import actions
from dondoc.targets.models import Target, TargetActual


def page(client, user, url, **params):
    client.force_login(user)
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def colours_shown(html):
    return re.findall(r'data-colour="(\w+)"', html)


def test_plan_page_lists_targets_with_colour_badge_and_text(client, people, plan, pct, km, rank):
    actions.do_enter_actual(pct, people["lead_focal"], period="2024-Q3", value="100", unit="%")
    actions.do_enter_actual(km, people["lead_focal"], period="2024-Q3", value="10", unit="km")
    html = page(client, people["leader"], f"/chi-tieu/ke-hoach/{plan.pk}/")
    assert "100% bệnh viện triển khai bệnh án điện tử" in html and "≥ 120 km" in html and "hạng ≤ 20" in html
    assert "Sở Y tế" in html and "Quý III/2024" in html
    # badge: CSS class and the words, never colour alone
    assert 'class="badge target-colour target-green text-bg-success" data-colour="green">Dự kiến đạt' in html
    assert colours_shown(html) == ["green", "red", "grey"]  # plan order: 100 %, 10 of 120 km, the rank (no actual)
    assert "Có nguy cơ không đạt" in html and "Chưa đánh giá được" in html


def test_the_colour_stylesheet_is_served_locally(client, people, plan):
    html = page(client, people["viewer"], f"/chi-tieu/ke-hoach/{plan.pk}/")
    assert '<link rel="stylesheet" href="/static/targets/targets.css">' in html
    response = client.get("/static/targets/targets.css")
    css = b"".join(response.streaming_content if response.streaming else [response.content]).decode()
    assert response.status_code == 200 and ".badge.target-orange" in css


def test_filter_by_colour(client, people, plan, pct, km):
    actions.do_enter_actual(pct, people["lead_focal"], period="2024-Q3", value="100", unit="%")
    url = f"/chi-tieu/ke-hoach/{plan.pk}/"
    assert colours_shown(page(client, people["viewer"], url, mau="green")) == ["green"]
    assert colours_shown(page(client, people["viewer"], url, mau="grey")) == ["grey", "grey"]
    assert "Không có chỉ tiêu nào ở mức này" in page(client, people["viewer"], url, mau="red")
    assert len(colours_shown(page(client, people["viewer"], url, mau="tim"))) == 3  # unknown colour: all


def test_index_counts_by_colour(client, people, plan, pct):
    actions.do_enter_actual(pct, people["lead_focal"], period="2024-Q3", value="100", unit="%")
    html = page(client, people["coordinator"], "/chi-tieu/")
    assert f'href="/chi-tieu/ke-hoach/{plan.pk}/?mau=green">1</a>' in html
    assert f'href="/chi-tieu/ke-hoach/{plan.pk}/?mau=grey">2</a>' in html
    assert "Chưa có chỉ tiêu nào" in page(client, people["other_focal"], "/chi-tieu/")


def test_detail_shows_history_with_corrections(client, people, pct):
    actions.do_enter_actual(pct, people["lead_focal"], period="2024-Q3", value="80", unit="%", note="Ước tính")
    actions.do_enter_actual(pct, people["lead_head"], period="2024-Q3", value="82,5", unit="%", note="Số chính thức")
    html = page(client, people["viewer"], f"/chi-tieu/{pct.pk}/")
    assert "<s>80</s>" in html and "<b>82,5</b>" in html and "đã được đính chính" in html and "Số chính thức" in html
    assert 'id="actual-form"' not in html  # viewers enter nothing
    assert 'id="actual-form"' in page(client, people["lead_focal"], f"/chi-tieu/{pct.pk}/")
    assert 'id="actual-form"' not in page(client, people["partner_focal"], f"/chi-tieu/{pct.pk}/")
    assert 'name="baseline"' in page(client, people["coordinator"], f"/chi-tieu/{pct.pk}/")


def test_the_form_offers_started_periods_and_the_target_unit(client, people, rank):
    html = page(client, people["lead_focal"], f"/chi-tieu/{rank.pk}/")
    assert 'value="2024-Q3" selected' in html or 'value="2024-Q2" selected' in html
    assert 'value="2024-Q2"' in html and 'value="2024-Q4"' in html  # Q4 began on 15/9/2024, today
    assert 'value="2025' not in html and 'value="2024-Q1"' not in html  # not begun; ended before the plan
    assert 'name="unit" value="hạng"' in html


def test_a_refused_entry_is_shown_in_the_form_with_what_was_typed(client, people, pct):
    client.force_login(people["lead_focal"])
    response = client.post(f"/chi-tieu/{pct.pk}/so-lieu/", {"period": "2024-Q3", "value": "95,5", "unit": "km",
                                                            "note": "ghi chú đã nhập"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Sai đơn vị tính" in html and 'value="95,5"' in html and "ghi chú đã nhập" in html
    assert not TargetActual.objects.exists()
    response = client.post(f"/chi-tieu/{pct.pk}/so-lieu/", {"period": "2024-Q3", "value": "abc", "unit": "%"})
    assert response.status_code == 400 and "không phải là một số" in response.content.decode()
    ok = client.post(f"/chi-tieu/{pct.pk}/so-lieu/", {"period": "2024-Q3", "value": "95,5", "unit": "%"}, follow=True)
    assert "Đã ghi số liệu Quý III/2024: 95,5%." in ok.content.decode()
    assert TargetActual.objects.get().value == 95.5


def test_baseline_form(client, people, rank):
    client.force_login(people["coordinator"])
    bad = client.post(f"/chi-tieu/{rank.pk}/gia-tri-xuat-phat/", {"baseline": "ba mươi"})
    assert bad.status_code == 400 and "Giá trị xuất phát" in bad.content.decode()
    client.post(f"/chi-tieu/{rank.pk}/gia-tri-xuat-phat/", {"baseline": "30"})
    assert Target.objects.get(pk=rank.pk).baseline == 30


def test_add_page(client, people, plan):
    task = plan.tasks.get(ref="1.2#1")
    html = page(client, people["coordinator"], f"/chi-tieu/ke-hoach/{plan.pk}/them/", **{"nhiem-vu": task.pk})
    assert f'<option value="{task.pk}" selected>' in html
    client.force_login(people["coordinator"])
    bad = client.post(f"/chi-tieu/ke-hoach/{plan.pk}/them/", {"task": task.pk, "op": ">=", "value": "nhiều", "unit": "km"})
    assert bad.status_code == 400 and "không phải là một số" in bad.content.decode()
    other_plan_task = client.post(f"/chi-tieu/ke-hoach/{plan.pk}/them/", {"task": 999999, "op": ">=", "value": "1", "unit": "km"})
    assert other_plan_task.status_code == 400 and "Hãy chọn một nhiệm vụ" in other_plan_task.content.decode()
    ok = client.post(f"/chi-tieu/ke-hoach/{plan.pk}/them/", {"task": task.pk, "op": ">=", "value": "30", "unit": "xã",
                                                              "text": "30 xã đạt chuẩn"})
    target = Target.objects.get(text="30 xã đạt chuẩn")
    assert ok.status_code == 302 and ok.url == f"/chi-tieu/{target.pk}/"


HOSTILE = '<script>alert("x")</script>'


def test_user_text_is_escaped(client, people, plan):
    task = plan.tasks.get(ref="1.1#1")
    target = actions.do_add_target(task, people["coordinator"], op=">=", value="5", unit="<b>km</b>", text=HOSTILE)
    actions.do_enter_actual(target, people["lead_focal"], period="2024-Q3", value="2", unit="<B>KM</B>",
                            note='<img src=x onerror="alert(1)">')
    for url in (f"/chi-tieu/ke-hoach/{plan.pk}/", f"/chi-tieu/{target.pk}/", "/chi-tieu/"):
        for who in ("coordinator", "lead_focal"):
            html = page(client, people[who], url)
            assert "<script>alert" not in html and "<img src=x" not in html and "<b>km</b>" not in html, url
    html = page(client, people["viewer"], f"/chi-tieu/{target.pk}/")
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html and "&lt;img src=x" in html


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("who", ["coordinator", "lead_focal"])
def test_plan_page_query_count_does_not_grow_with_targets(client, people, plan, pct, who):
    client.force_login(people[who])
    url = f"/chi-tieu/ke-hoach/{plan.pk}/"
    actions.do_enter_actual(pct, people["lead_focal"], period="2024-Q3", value="50", unit="%")
    _queries(client, url)  # the menu's figures are memoised by the first page of the day (tracking/work.py)
    before = _queries(client, url)
    task = plan.tasks.get(ref="1.1#2")
    for i in range(6):
        t = actions.do_add_target(task, people["coordinator"], op=">=", value=str(10 + i), unit="km")
        actions.do_enter_actual(t, people["lead_focal"], period="2024-Q3", value=str(i), unit="km")
        actions.do_enter_actual(t, people["lead_focal"], period="2024-Q2", value=str(i), unit="km")
    assert _queries(client, url) == before


def test_detail_page_query_count_does_not_grow_with_history(client, people, pct):
    client.force_login(people["lead_focal"])
    actions.do_enter_actual(pct, people["lead_focal"], period="2024-Q3", value="50", unit="%")
    _queries(client, f"/chi-tieu/{pct.pk}/")  # the menu's figures are memoised by the first page (tracking/work.py)
    before = _queries(client, f"/chi-tieu/{pct.pk}/")
    for value in ("51", "52", "53"):
        actions.do_enter_actual(pct, people["lead_focal"], period="2024-Q2", value=value, unit="%")
    assert _queries(client, f"/chi-tieu/{pct.pk}/") == before


def test_assessed_on_the_demo_clock(client, people, pct, settings):
    actions.do_enter_actual(pct, people["lead_focal"], period="2024-Q3", value="60", unit="%")
    settings.DEMO_TODAY = dt.date(2024, 10, 1)  # the deadline (30/9) has passed
    assert colours_shown(page(client, people["viewer"], f"/chi-tieu/{pct.pk}/")) == ["red"]
