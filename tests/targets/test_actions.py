"""Entering actual values, adding targets by hand, baselines: who may, what is refused, and that a refusal writes
nothing (no actual, no audit event)."""

import datetime as dt
from decimal import Decimal

import pytest

from dondoc.audit.models import Event
from dondoc.targets import actions
from dondoc.targets.access import Forbidden
from dondoc.targets.models import Source, Target, TargetActual


def enter(target, user, period="2024-Q3", value="85,5", unit="%", note=""):
    return actions.do_enter_actual(target, user, period=period, value=value, unit=unit, note=note)


def test_lead_agency_enters_a_vietnamese_number(pct, people):
    actual = enter(pct, people["lead_focal"], value="85,5", note="Số liệu Sở Y tế")
    assert actual.value == Decimal("85.5") and actual.unit == "%" and actual.period == "2024-Q3"
    assert actual.period_end == dt.date(2024, 9, 14) and actual.agency.code == "syt"
    assert actual.entered_by == people["lead_focal"] and actual.supersedes is None
    event = Event.objects.get(action="target.actual_entered")
    assert event.object_type == "targets.target" and event.object_id == str(pct.pk)
    assert event.changes["value"] == "85.5" and event.changes["period"] == "2024-Q3"


def test_head_too_and_thousands_with_dots(km, people):
    assert enter(km, people["lead_head"], value="1.200", unit="KM").value == Decimal(1200)


def test_percent_sign_in_the_value(pct, people):
    assert enter(pct, people["lead_focal"], value="90%", unit="").unit == "%"
    assert enter(pct, people["lead_focal"], value="91 %", unit="%").value == Decimal(91)


def test_a_correction_supersedes_and_history_is_kept(pct, people):
    first = enter(pct, people["lead_focal"], value="80")
    second = enter(pct, people["lead_head"], value="82,5", note="Đính chính")
    assert second.supersedes == first
    assert TargetActual.objects.filter(target=pct).count() == 2
    with pytest.raises(PermissionError):
        first.delete()


def test_a_period_that_has_begun_takes_an_estimate(pct, people, settings):
    settings.DEMO_TODAY = dt.date(2024, 9, 20)  # 2024-Q4 runs 15/9 → 14/12
    assert enter(pct, people["lead_focal"], period="2024-Q4").period == "2024-Q4"


@pytest.mark.parametrize("kwargs, message", [
    ({"unit": "km"}, "Sai đơn vị tính"),
    ({"value": "95%", "unit": "km"}, "Sai đơn vị tính"),
    ({"unit": ""}, "Hãy ghi đơn vị tính"),
    ({"value": "abc"}, "không phải là một số"),
    ({"value": ""}, "Hãy nhập giá trị"),
    ({"value": "NaN"}, "không phải là một số"),
    ({"value": "95.5"}, "dấu phẩy"),
    ({"value": "-5"}, "không được âm"),
    ({"value": "1.000,5"}, "từ 0 đến 1.000"),  # a target of 100 % or more may be exceeded, up to 1000 %
    ({"value": True}, "phải là một số"),
    ({"period": "2024-Q4"}, "chưa bắt đầu"),  # Q4 starts on 15/9, the day after
    ({"period": "2025"}, "chưa bắt đầu"),
    ({"period": "2024-Q5"}, "không hợp lệ"),
    ({"period": "quý 3"}, "không hợp lệ"),
    ({"period": ""}, "Hãy chọn kỳ báo cáo"),
    ({"period": "2024-Q1"}, "trước khi kế hoạch bắt đầu"),  # ended 14/3/2024, the plan is of 6/5/2024
    ({"note": "x" * 2001}, "Ghi chú dài"),
])
def test_bad_input_is_refused_and_nothing_is_written(pct, people, settings, kwargs, message):
    settings.DEMO_TODAY = dt.date(2024, 9, 14)  # the last day of 2024-Q3
    with pytest.raises(actions.TargetError, match=message):
        enter(pct, people["lead_focal"], **kwargs)
    assert not TargetActual.objects.exists() and not Event.objects.filter(action__startswith="target.").exists()


def test_a_share_below_100_percent_cannot_exceed_100(plan, people):
    share = actions.do_add_target(plan.tasks.get(ref="1.1#1"), people["coordinator"], op=">", value="95", unit="%")
    assert enter(share, people["lead_focal"], value="100").value == Decimal(100)
    with pytest.raises(actions.TargetError, match="từ 0 đến 100"):
        enter(share, people["lead_focal"], value="100,5")


@pytest.mark.parametrize("value, ok", [("20", True), ("0", False), ("2,5", False), ("hạng 3", False)])
def test_rank_values(rank, people, value, ok):
    if ok:
        assert enter(rank, people["lead_focal"], value=value, unit="hạng").value == Decimal(20)
    else:
        with pytest.raises(actions.TargetError):
            enter(rank, people["lead_focal"], value=value, unit="hạng")


@pytest.mark.parametrize("who", ["partner_head", "partner_focal", "other_head", "other_focal", "viewer", "leader",
                                 "coordinator", "admin"])
def test_only_the_lead_agency_enters(pct, people, who):
    with pytest.raises(Forbidden):
        enter(pct, people[who])
    assert not TargetActual.objects.exists() and not Event.objects.filter(action__startswith="target.").exists()


def test_an_ended_lead_assignment_no_longer_enters(pct, people, lead):
    lead.ended_at = lead.task.plan.published_at
    lead.save(update_fields=["ended_at"])
    with pytest.raises(Forbidden):
        enter(pct, people["lead_focal"])


def test_cancelled_task_refuses(pct, people):
    from dondoc.tracking import actions as tracking_actions

    tracking_actions.do_cancel_task(pct.task, people["coordinator"], reason="Trùng")
    with pytest.raises(actions.TargetError, match="đã hủy"):
        enter(pct, people["lead_focal"])
    assert not TargetActual.objects.exists()


# --- Targets by hand, baselines --------------------------------------------------------------------------

def test_coordinator_adds_a_target(plan, people):
    task = plan.tasks.get(ref="1.1#1")
    target = actions.do_add_target(task, people["coordinator"], op=">", value="1.500", unit="Căn hộ",
                                   text="  xây dựng trên 1.500 căn hộ  ", baseline="200")
    assert (target.op, target.value, target.unit, target.baseline) == (">", Decimal(1500), "Căn hộ", Decimal(200))
    assert target.source == Source.MANUAL and target.text == "xây dựng trên 1.500 căn hộ"
    assert target.order > max(t.order for t in task.target_items.exclude(pk=target.pk))
    assert Event.objects.filter(action="target.added", object_id=str(target.pk)).exists()
    # the lead agency enters in the same unit, whatever the case and accents
    assert enter(target, people["lead_focal"], value="700", unit="căn hộ").value == Decimal(700)


def test_a_target_without_text_is_described(plan, people):
    target = actions.do_add_target(plan.tasks.get(ref="1.1#1"), people["admin"], op="<=", value="20", unit="hạng")
    assert target.unit == "rank" and target.text == "hạng ≤ 20"


@pytest.mark.parametrize("kwargs, message", [
    ({"op": "≥"}, "Phép so sánh"), ({"op": ""}, "Phép so sánh"), ({"value": ""}, "Hãy nhập giá trị chỉ tiêu"),
    ({"value": "abc"}, "không phải là một số"), ({"unit": ""}, "đơn vị tính"), ({"value": "-1"}, "không được âm"),
    ({"baseline": "x"}, "Giá trị xuất phát"), ({"baseline": "-2"}, "Giá trị xuất phát"),
])
def test_bad_targets_are_refused(plan, people, kwargs, message):
    before = Target.objects.count()
    data = {"op": ">=", "value": "10", "unit": "km", "text": "x", **kwargs}
    with pytest.raises(actions.TargetError, match=message):
        actions.do_add_target(plan.tasks.get(ref="1.1#1"), people["coordinator"], **data)
    assert Target.objects.count() == before and not Event.objects.filter(action="target.added").exists()


@pytest.mark.parametrize("who", ["leader", "viewer", "lead_head", "lead_focal", "other_focal"])
def test_only_the_coordinator_adds_targets_and_baselines(plan, pct, people, who):
    with pytest.raises(Forbidden):
        actions.do_add_target(plan.tasks.get(ref="1.1#1"), people[who], op=">=", value="1", unit="km")
    with pytest.raises(Forbidden):
        actions.do_set_baseline(pct, people[who], baseline="1")
    assert Target.objects.get(pk=pct.pk).baseline is None and Target.objects.count() == 3


def test_no_target_on_a_draft_or_cancelled_task(plan, people, users):
    from dondoc.plans import actions as plan_actions
    from dondoc.tracking import actions as tracking_actions
    from tests.plans.conftest import make_structure

    draft = plan_actions.import_structure(make_structure(document={"number": "99/KH-UBND", "date": "2024-06-01"}))
    with pytest.raises(actions.TargetError, match="chưa ban hành"):
        actions.do_add_target(draft.tasks.first(), people["coordinator"], op=">=", value="1", unit="km")
    task = plan.tasks.get(ref="1.2#1")
    tracking_actions.do_cancel_task(task, people["coordinator"], reason="Trùng")
    with pytest.raises(actions.TargetError, match="đã hủy"):
        actions.do_add_target(task, people["coordinator"], op=">=", value="1", unit="km")


def test_baseline_set_and_cleared(pct, people):
    actions.do_set_baseline(pct, people["coordinator"], baseline="12,5")
    assert Target.objects.get(pk=pct.pk).baseline == Decimal("12.5")
    actions.do_set_baseline(pct, people["coordinator"], baseline="")
    assert Target.objects.get(pk=pct.pk).baseline is None
    assert Event.objects.filter(action="target.baseline_set").count() == 2
    actions.do_set_baseline(pct, people["coordinator"], baseline="")  # unchanged: no event
    assert Event.objects.filter(action="target.baseline_set").count() == 2
