"""Target pages: the plans with targets, a plan's targets with their colours, a target's actuals, adding a target."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from dondoc.core import clock
from dondoc.core.params import parse_int
from dondoc.core.permissions import attempt_for_page, login_required, role_required
from dondoc.plans.models import PlanStatus, Task
from dondoc.plans.queries import plan_for_user_or_404, visible_plans

from . import access, actions, queries, rules
from .forms import ActualForm, BaselineForm, TargetAddForm

COLOURS = [(c.value, c.label, c.css) for c in rules.COLOUR_ORDER]


def _guard(request, fn, /, *args, **kwargs):
    """Run an action: 403 for a role that may not act; a refusal becomes the form's error (None returned)."""
    outcome = attempt_for_page(fn, *args, **kwargs)
    return outcome.value, outcome.error or None


@login_required
def index(request):
    """Plans with targets the user may see, with their counts by colour."""
    plan_ids = set(access.visible_targets(request.user).values_list("task__plan_id", flat=True).order_by().distinct())
    plans = list(visible_plans(request.user).filter(pk__in=plan_ids))
    today = clock.today()
    for plan in plans:
        plan.colour_counts = queries.count_by_colour(queries.targets_summary(plan, today, user=request.user))
        plan.target_total = sum(plan.colour_counts.values())
    return render(request, "targets/index.html", {"plans": plans, "colours": COLOURS, "today": today})


@login_required
def plan_targets(request, plan_id: int):
    plan = plan_for_user_or_404(request.user, plan_id)
    today = clock.today()
    rows = queries.targets_summary(plan, today, user=request.user)
    counts = queries.count_by_colour(rows)
    chosen = request.GET.get("mau", "")
    if chosen not in counts:
        chosen = ""
    shown = [r for r in rows if not chosen or r.colour.value == chosen]
    return render(request, "targets/plan.html", {
        "plan": plan, "rows": shown, "counts": counts, "total": len(rows), "chosen": chosen, "today": today,
        "colours": [(code, label, css, counts[code]) for code, label, css in COLOURS],
        "can_add": request.user.role in access.COORDINATORS and plan.status != PlanStatus.DRAFT,
    })


def _target(request, pk: int):
    return access.target_or_404(request.user, pk, queries.Target.objects.select_related("task", "task__plan", "task__section"))


def _detail(request, target, *, actual_form=None, baseline_form=None, status=200):
    today = clock.today()
    row = queries.target_row(target, today)
    can_enter = access.is_lead_member(request.user, target) and not target.task.cancelled_at
    can_baseline = request.user.role in access.COORDINATORS
    if can_enter and actual_form is None:
        actual_form = ActualForm(start=row.start, today=today, unit=target.unit)
    if can_baseline and baseline_form is None:
        baseline_form = BaselineForm(initial={"baseline": rules.format_number(target.baseline) if target.baseline is not None else ""})
    return render(request, "targets/detail.html", {
        "t": target, "row": row, "plan": target.task.plan, "history": queries.history(target), "today": today,
        "can_enter": can_enter, "can_baseline": can_baseline, "actual_form": actual_form, "baseline_form": baseline_form,
        "task_url": reverse("plans:task", args=[target.task.plan_id, target.task_id]),
        "lower_is_better": target.lower_is_better,
    }, status=status)


@login_required
def detail(request, pk: int):
    return _detail(request, _target(request, pk))


@require_POST
@login_required
def enter_actual(request, pk: int):
    target = _target(request, pk)
    form = ActualForm(request.POST, start=actions.plan_start(target.task.plan), today=clock.today(), unit=target.unit)
    form.is_valid()  # text fields: always valid up to their length; the action checks the content
    data = {k: request.POST.get(k, "") for k in ("period", "value", "unit", "note")}
    done, error = _guard(request, actions.do_enter_actual, target, request.user, period=data["period"][:16],
                         value=data["value"][:60], unit=data["unit"][:50], note=data["note"], request=request)
    if error:
        form.add_error(None, error)
        return _detail(request, target, actual_form=form, status=400)
    messages.success(request, f"Đã ghi số liệu {queries.period_label(done.period)}: "
                              f"{rules.format_quantity(done.value, target.unit)}.")
    return redirect("targets:detail", pk=target.pk)


@require_POST
@login_required
def set_baseline(request, pk: int):
    target = _target(request, pk)
    form = BaselineForm(request.POST)
    form.is_valid()
    done, error = _guard(request, actions.do_set_baseline, target, request.user,
                         baseline=request.POST.get("baseline", "")[:60], request=request)
    if error:
        form.add_error(None, error)
        return _detail(request, target, baseline_form=form, status=400)
    messages.success(request, "Đã lưu giá trị xuất phát.")
    return redirect("targets:detail", pk=target.pk)


@role_required(*access.COORDINATORS)
def add_target(request, plan_id: int):
    plan = plan_for_user_or_404(request.user, plan_id)
    if plan.status == PlanStatus.DRAFT:
        raise Http404
    tasks = list(Task.objects.filter(plan=plan, cancelled_at__isnull=True).order_by("order").only("id", "ref", "text"))
    status = 200
    if request.method == "POST":
        form = TargetAddForm(request.POST, tasks=tasks)
        if form.is_valid():
            task = get_object_or_404(Task, plan=plan, pk=form.cleaned_data["task"])
            d = form.cleaned_data
            target, error = _guard(request, actions.do_add_target, task, request.user, op=d["op"], value=d["value"],
                                   unit=d["unit"], text=d["text"], baseline=d["baseline"], request=request)
            if target is not None:
                messages.success(request, f"Đã thêm chỉ tiêu cho nhiệm vụ {task.ref}.")
                return redirect("targets:detail", pk=target.pk)
            form.add_error(None, error)
        status = 400
    else:
        chosen = request.GET.get("nhiem-vu", "")
        form = TargetAddForm(initial={"task": parse_int(chosen)} if parse_int(chosen) else {}, tasks=tasks)
    return render(request, "targets/add.html", {"plan": plan, "form": form}, status=status)
