import datetime as dt

from django import forms

from dondoc.core.params import IntField

from .models import Recurrence


class UploadForm(forms.Form):
    file = forms.FileField(label="Tệp kế hoạch",
                           help_text="Văn bản .docx, .doc, .pdf (kể cả bản quét), .txt, hoặc bảng danh mục nhiệm vụ .xlsx.")


class PlanHeaderForm(forms.Form):
    """The plan's own facts as the reviewer corrects them (a title that lost its first word, a wrong date)."""

    number = forms.CharField(label="Số, ký hiệu", required=False, max_length=100)
    issued_on = forms.DateField(label="Ngày ban hành", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    issuer = forms.CharField(label="Cơ quan ban hành", required=False, max_length=255)
    place = forms.CharField(label="Địa danh", required=False, max_length=100)
    title = forms.CharField(label="Trích yếu", required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    coordinating_agency = IntField(label="Cơ quan theo dõi, tổng hợp", required=False)
    agency_report_date = forms.DateField(label="Hạn các cơ quan báo cáo", required=False,
                                         widget=forms.DateInput(attrs={"type": "date"}))
    coordinator_report_date = forms.DateField(label="Hạn cơ quan tổng hợp báo cáo", required=False,
                                              widget=forms.DateInput(attrs={"type": "date"}))


def _date_field(label: str, **kwargs) -> forms.DateField:
    return forms.DateField(label=label, required=False, widget=forms.DateInput(attrs={"type": "date"}),
                           error_messages={"invalid": "Ngày không hợp lệ (ngày/tháng/năm)."}, **kwargs)


class PlanAmendForm(forms.Form):
    """A published plan's header amended (plans/amend.py): the facts as they should read, the date of the amendment
    and its basis. The issue date is not among them; the action decides what is required and what is refused."""

    number = forms.CharField(label="Số, ký hiệu", required=False, max_length=100)
    issuer = forms.CharField(label="Cơ quan ban hành", required=False, max_length=255)
    place = forms.CharField(label="Địa danh", required=False, max_length=100)
    title = forms.CharField(label="Trích yếu", required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    coordinating_agency = IntField(label="Cơ quan theo dõi, tổng hợp", required=False)
    agency_report_date = _date_field("Hạn các cơ quan báo cáo")
    coordinator_report_date = _date_field("Hạn cơ quan tổng hợp báo cáo")
    amended_on = _date_field("Ngày sửa đổi")
    basis = forms.CharField(label="Căn cứ sửa đổi (văn bản)", required=False, max_length=500)
    reason = forms.CharField(label="Lý do sửa đổi", required=False, widget=forms.Textarea(attrs={"rows": 2}),
                             max_length=1000)

    HEADER = ("number", "issuer", "place", "title", "agency_report_date", "coordinator_report_date")

    @classmethod
    def for_plan(cls, plan, today):
        """The form as the page first shows it: the plan's facts as they read now, dated today."""
        return cls(initial={"number": plan.number, "issuer": plan.issuer, "place": plan.place, "title": plan.title,
                            "coordinating_agency": plan.coordinating_agency_id or "",
                            "agency_report_date": plan.agency_report_date.isoformat() if plan.agency_report_date else "",
                            "coordinator_report_date": (plan.coordinator_report_date.isoformat()
                                                        if plan.coordinator_report_date else ""),
                            "amended_on": today.isoformat()})

    def errors_text(self) -> str:
        return "; ".join(f"{self.fields[f].label}: {' '.join(e)}" for f, e in self.errors.items())


class TaskEditForm(forms.Form):
    """One draft task as the coordinator corrects it; `version` guards against silent overwrites."""

    version = IntField(widget=forms.HiddenInput)
    text = forms.CharField(label="Nội dung nhiệm vụ", widget=forms.Textarea(attrs={"rows": 3}))
    lead_names = forms.CharField(label="Cơ quan chủ trì", required=False, widget=forms.Textarea(attrs={"rows": 2}),
                                 help_text="Mỗi dòng một cơ quan hoặc nhóm cơ quan.")
    coordinating_names = forms.CharField(label="Cơ quan phối hợp", required=False, widget=forms.Textarea(attrs={"rows": 2}),
                                         help_text="Mỗi dòng một cơ quan.")
    deadline_date = forms.DateField(label="Thời hạn", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    deadline_text = forms.CharField(label="Thời hạn như văn bản ghi", required=False, max_length=255)
    recurrence = forms.ChoiceField(label="Định kỳ", required=False, choices=[("", "Không")] + list(Recurrence.choices))
    targets = forms.CharField(label="Chỉ tiêu", required=False, widget=forms.Textarea(attrs={"rows": 2}),
                              help_text="Mỗi dòng một chỉ tiêu, ví dụ: giải ngân trên 95% kế hoạch vốn.")
    expected_output = forms.CharField(label="Sản phẩm", required=False, max_length=500)

    @staticmethod
    def parse_targets(value: str) -> list[dict]:
        """Each line a target; its operator, value and unit read as the parser reads them, when it can."""
        from dondoc.parsing.targets import from_lines

        return from_lines(TaskEditForm.lines(value))

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError("Nội dung nhiệm vụ không được để trống.")
        return text

    def clean_deadline_date(self):
        value = self.cleaned_data.get("deadline_date")
        if value and not (dt.date(2000, 1, 1) <= value <= dt.date(2100, 12, 31)):
            raise forms.ValidationError("Thời hạn không hợp lệ.")
        return value

    @staticmethod
    def lines(value: str) -> list[str]:
        return [line.strip() for line in (value or "").splitlines() if line.strip()]
