"""The urging letter (văn bản đôn đốc): a công văn of the coordinating agency to the agencies with overdue tasks,
in the format of Nghị định 30/2020, listing each agency's overdue tasks, ready to sign; its sending recorded."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django import forms
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse

from dondoc.audit import record
from dondoc.dashboard import figures
from dondoc.dashboard.models import UrgingLetter
from dondoc.orgs.models import Agency
from dondoc.plans.models import Plan
from dondoc.tracking.notifications import agency_people, notify

from . import documents, nd30


def overdue_by_agency(plan: Plan, day: dt.date) -> dict[Agency, list[figures.Row]]:
    """Each lead agency with overdue tasks on `day`, with them, the longest overdue first (agencies in Vietnamese
    alphabetical order)."""
    _, rows = figures.overdue(day, limit=None, plan_id=plan.pk)
    names = {}
    for row in rows:
        names.setdefault(row.agency, []).append(row)
    agencies = {a.name: a for a in Agency.objects.filter(name__in=list(names)).order_by("sort_key")}
    return {agencies[name]: names[name] for name in agencies}


@dataclass
class Letter:
    number: str  # "Số" symbol part, e.g. "/SKHĐT-TH"; printed blank-numbered unless a number is given
    date: dt.date | None
    reply_by: dt.date
    authority: str
    position: str
    signer: str


class LetterForm(forms.Form):
    agencies = forms.MultipleChoiceField(label="Kính gửi", widget=forms.CheckboxSelectMultiple,
                                         error_messages={"required": "Hãy chọn ít nhất một cơ quan."})
    number = forms.CharField(label="Số, ký hiệu", max_length=100, initial="     /SKHĐT-TH", required=False)
    date = forms.DateField(label="Ngày văn bản (để trống: điền khi ký)", required=False,
                           widget=forms.DateInput(attrs={"type": "date"}))
    reply_by = forms.DateField(label="Hạn báo cáo lại", widget=forms.DateInput(attrs={"type": "date"}),
                               error_messages={"required": "Hãy nhập hạn báo cáo lại.", "invalid": "Ngày không hợp lệ."})
    authority = forms.CharField(label="Thẩm quyền ký", max_length=100, initial="KT. GIÁM ĐỐC", required=False)
    position = forms.CharField(label="Chức vụ người ký", max_length=100, initial="PHÓ GIÁM ĐỐC")
    signer = forms.CharField(label="Họ tên người ký", max_length=100, required=False)

    def __init__(self, *args, agencies: dict, plan: Plan, issuer: Agency | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agencies"].choices = [(str(a.pk), f"{a.name} ({len(rows)} nhiệm vụ quá hạn)") for a, rows in agencies.items()]
        self.fields["agencies"].initial = [str(a.pk) for a in agencies]
        from dondoc.core import clock

        self.fields["reply_by"].initial = clock.today() + dt.timedelta(days=7)
        if plan.coordinating_agency or issuer:
            self.fields["number"].initial = f"     /{documents.symbol(plan.coordinating_agency or issuer)}-TH"

    def clean_reply_by(self):
        from dondoc.core import clock

        day = self.cleaned_data["reply_by"]
        if day < clock.today():
            raise forms.ValidationError("Hạn báo cáo lại không được trước ngày hôm nay.")
        return day

    def letter(self) -> Letter:
        d = self.cleaned_data
        return Letter(d["number"].strip(), d["date"], d["reply_by"], d["authority"].strip(), d["position"].strip(),
                      d["signer"].strip())


def letter_docx(plan: Plan, chosen: dict[Agency, list[figures.Row]], letter: Letter, day: dt.date,
                issuer: Agency | None = None) -> bytes:
    """The letter from the plan's coordinating agency (else `issuer`, the coordinator's own agency)."""
    coordinator = plan.coordinating_agency or issuer
    parent = coordinator.parent.name if coordinator and coordinator.parent else plan.issuer
    given = letter.number.strip()
    if given.lower().startswith("số"):
        number = given
    elif given.startswith("/") or not given:  # the number itself is written in at signing
        number = nd30.number_line(None, given.lstrip("/") or "SKHĐT-TH")
    else:
        number = f"Số: {given}"
    doc = nd30.new_document(nd30.Header(
        parent_body=_upper_body(parent), issuer=(coordinator.name if coordinator else "").upper(), number=number,
        place=documents.place_of(plan), date=letter.date, year=(letter.date or day).year,
        summary_left=f"V/v đôn đốc thực hiện Kế hoạch số {plan.number}"))
    nd30.addressees(doc, [a.name for a in chosen])
    issued = f" ngày {plan.issued_on:%d/%m/%Y}" if plan.issued_on else ""
    who = coordinator.name if coordinator else "Cơ quan theo dõi, tổng hợp"
    total = sum(len(rows) for rows in chosen.values())
    nd30.paragraph(doc, f"Thực hiện Kế hoạch số {plan.number}{issued} của {plan.issuer or 'Ủy ban nhân dân tỉnh'} "
                        f"{documents.about(plan.title)}; {who} được giao theo dõi, đôn đốc, tổng hợp kết quả thực hiện.")
    nd30.paragraph(doc, f"Qua theo dõi trên hệ thống, tính đến ngày {day:%d/%m/%Y}, các cơ quan, đơn vị dưới đây còn "
                        f"{total} nhiệm vụ đã quá thời hạn nhưng chưa hoàn thành, cụ thể:")
    for i, (agency, rows) in enumerate(chosen.items(), 1):
        nd30.heading(doc, f"{i}. {agency.name} ({len(rows)} nhiệm vụ)", level=2)
        for row in rows:
            nd30.paragraph(doc, [(f"- {row.ref}: ", "b"), (f"{row.text.rstrip('.;')} ", ""),
                                 (f"(thời hạn {row.due:%d/%m/%Y}, quá hạn {row.days_late} ngày).", "i")])
    nd30.paragraph(doc, f"Để bảo đảm tiến độ thực hiện Kế hoạch, {who} đề nghị Thủ trưởng các cơ quan, đơn vị "
                        "khẩn trương chỉ đạo thực hiện các nhiệm vụ nêu trên; cập nhật tiến độ và báo cáo hoàn thành "
                        f"trên hệ thống dondoc, đồng thời báo cáo kết quả, khó khăn, vướng mắc (nếu có) về {who} "
                        f"trước ngày {letter.reply_by:%d/%m/%Y} để tổng hợp, báo cáo Ủy ban nhân dân tỉnh.")
    nd30.paragraph(doc, "Đề nghị các cơ quan, đơn vị quan tâm, phối hợp thực hiện./.")
    nd30.closing(doc, nd30.Signature(letter.authority, letter.position, letter.signer),
                 ["Như trên", "UBND tỉnh (b/c)", "Lãnh đạo Sở"], archive="Lưu: VT, TH.")
    return nd30.to_bytes(doc)


def _upper_body(name: str) -> str:
    # "Ủy ban nhân dân tỉnh Tuyên Quang" → "UBND TỈNH TUYÊN QUANG", as the governing body is printed over an agency.
    name = name.replace("Ủy ban nhân dân", "UBND").replace("Uỷ ban nhân dân", "UBND")
    return name.upper()


@transaction.atomic
def do_record_letter(plan: Plan, user, chosen: dict[Agency, list], letter: Letter, data: bytes, day: dt.date,
                     request=None) -> UrgingLetter:
    """Keep the letter as sent, tell the agencies' people, audit it."""
    sent = UrgingLetter.objects.create(plan=plan, number=letter.number, as_of=day, reply_by=letter.reply_by,
                                       overdue_count=sum(len(r) for r in chosen.values()), created_by=user)
    sent.agencies.set(list(chosen))
    sent.file.save(f"van-ban-don-doc-{sent.pk}.docx", ContentFile(data), save=True)
    for agency, rows in chosen.items():
        notify(agency_people(agency.pk), "urged",
                f"Văn bản đôn đốc thực hiện Kế hoạch số {plan.number}: {len(rows)} nhiệm vụ quá hạn, "
                f"báo cáo trước ngày {letter.reply_by:%d/%m/%Y}", reverse("tracking:my_work") + "?nhom=overdue")
    record("urging.sent", actor=user, obj=plan, request=request,
           changes={"letter": sent.pk, "number": letter.number, "as_of": day.isoformat(),
                    "agencies": [a.code for a in chosen], "overdue": sent.overdue_count})
    return sent
