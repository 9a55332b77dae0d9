"""Forms of the target pages. They only carry text: the actions check numbers, units and periods, so the page
and the API refuse the same input with the same Vietnamese messages."""

from __future__ import annotations

import datetime as dt

from django import forms

from dondoc.reports import periods

from . import rules
from .models import Op

# The kinds offered for an actual, in this order (monthly last: targets are rarely reported monthly).
PERIOD_KINDS = (periods.QUARTERLY, periods.SEMIANNUAL, periods.NINE_MONTHS, periods.ANNUAL, periods.MONTHLY)


def period_choices(start: dt.date, today: dt.date) -> list:
    """Periods that have begun by `today` and end on or after `start`, latest first, grouped by kind."""
    groups = []
    for kind in PERIOD_KINDS:
        items = []
        for year in range(today.year + 1, start.year - 1, -1):
            for p in reversed(periods.periods(kind, year)):
                if p.start <= today and p.end >= start:
                    items.append((p.id, f"{p.label} ({p.start:%d/%m/%Y} – {p.end:%d/%m/%Y})"))
        if items:
            groups.append((periods.label_of(kind), items))
    return groups


def default_period(start: dt.date, today: dt.date) -> str:
    """The last quarter whose cut-off has passed, or the current one if the plan started after it ended."""
    current = periods.period_containing(periods.QUARTERLY, today)
    previous = periods.period_containing(periods.QUARTERLY, current.start - dt.timedelta(days=1))
    return previous.id if previous.end >= start else current.id


class ActualForm(forms.Form):
    # A text field shown as a list: the action says why a period is refused, the list only guides the choice.
    period = forms.CharField(label="Kỳ báo cáo", required=False,
                             widget=forms.Select(attrs={"class": "form-select"}))
    value = forms.CharField(label="Giá trị thực hiện", max_length=60, required=False,
                            help_text="Dấu phẩy trước phần thập phân, dấu chấm giữa hàng nghìn: 95,5 — 1.200.")
    unit = forms.CharField(label="Đơn vị tính", max_length=50, required=False)
    note = forms.CharField(label="Ghi chú (nguồn số liệu, giải thích)", required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, start: dt.date, today: dt.date, unit: str = "", **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("period", default_period(start, today))
        kwargs["initial"].setdefault("unit", rules.unit_label(unit))
        super().__init__(*args, **kwargs)
        self.fields["period"].widget.choices = period_choices(start, today)


class BaselineForm(forms.Form):
    baseline = forms.CharField(label="Giá trị xuất phát", max_length=60, required=False,
                               help_text="Giá trị khi bắt đầu kế hoạch; để trống nếu chưa có.")


class TargetAddForm(forms.Form):
    task = forms.TypedChoiceField(label="Nhiệm vụ", coerce=int,
                                  error_messages={"invalid_choice": "Hãy chọn một nhiệm vụ của kế hoạch.",
                                                  "required": "Hãy chọn nhiệm vụ."})
    text = forms.CharField(label="Nội dung chỉ tiêu", required=False, widget=forms.Textarea(attrs={"rows": 2}),
                           help_text="Như văn bản ghi, ví dụ: giải ngân trên 95% kế hoạch vốn được giao.")
    op = forms.ChoiceField(label="Phép so sánh", choices=Op.choices,
                           error_messages={"invalid_choice": "Phép so sánh của chỉ tiêu phải là một trong: >, >=, =, <=, <."})
    value = forms.CharField(label="Giá trị chỉ tiêu", max_length=60, required=False)
    unit = forms.CharField(label="Đơn vị tính", max_length=60, required=False,
                           help_text="%, hạng (thứ hạng: càng nhỏ càng tốt), số lượng, hoặc đơn vị như km, căn hộ.")
    baseline = forms.CharField(label="Giá trị xuất phát (không bắt buộc)", max_length=60, required=False)

    def __init__(self, *args, tasks=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["task"].choices = [("", "— chọn nhiệm vụ —")] + [
            (t.pk, f"{t.ref} — {t.text[:90]}{'…' if len(t.text) > 90 else ''}") for t in tasks]
