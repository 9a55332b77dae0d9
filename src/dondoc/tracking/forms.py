from django import forms

from dondoc.core.limits import LONG_TEXT
from dondoc.core.params import IntField


class UpdateForm(forms.Form):
    text = forms.CharField(label="Kết quả thực hiện", max_length=LONG_TEXT, widget=forms.Textarea(attrs={"rows": 3}))
    percent = IntField(label="Tỷ lệ hoàn thành (%)", required=False, min_value=0, max_value=100,
                       error_messages={"min_value": "Tỷ lệ hoàn thành phải từ 0 đến 100.",
                                       "max_value": "Tỷ lệ hoàn thành phải từ 0 đến 100.",
                                       "invalid": "Tỷ lệ hoàn thành phải là số từ 0 đến 100."})
    difficulties = forms.CharField(label="Khó khăn, vướng mắc", required=False, max_length=LONG_TEXT,
                                   widget=forms.Textarea(attrs={"rows": 2}))
    proposals = forms.CharField(label="Đề xuất, kiến nghị", required=False, max_length=LONG_TEXT,
                                widget=forms.Textarea(attrs={"rows": 2}))


class ClaimForm(forms.Form):
    completed_on = forms.DateField(label="Ngày hoàn thành", widget=forms.DateInput(attrs={"type": "date"}),
                                   error_messages={"invalid": "Ngày hoàn thành không hợp lệ."})
    output = forms.CharField(label="Sản phẩm (số, ký hiệu văn bản ...)", required=False, max_length=500)


class ReturnForm(forms.Form):
    reason = forms.CharField(label="Lý do trả lại", max_length=LONG_TEXT, widget=forms.Textarea(attrs={"rows": 2}))


class ExtensionForm(forms.Form):
    new_deadline = forms.DateField(label="Thời hạn đề nghị", widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label="Lý do", max_length=LONG_TEXT, widget=forms.Textarea(attrs={"rows": 2}))


class DirectionForm(forms.Form):
    text = forms.CharField(label="Ý kiến chỉ đạo", max_length=LONG_TEXT, widget=forms.Textarea(attrs={"rows": 2}))
