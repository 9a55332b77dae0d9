"""The urging letter (văn bản đôn đốc): a công văn of the coordinating agency to the agencies with overdue tasks,
in the format of Nghị định 30/2020, ready to sign; its sending recorded once under its number.

The letter lists each overdue task once: a task led by a group of 32 agencies is one line naming the group (or
the agencies, when only some of them are late), not 32 lines. It never addresses its own issuer.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django import forms
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse

from dondoc.audit import record
from dondoc.core import clock, errors
from dondoc.core.text import official_date, sort_key, vi_sorted
from dondoc.dashboard import figures
from dondoc.dashboard.models import UrgingLetter
from dondoc.orgs.models import Agency
from dondoc.plans.models import Assignment, Plan, Task
from dondoc.tracking.notifications import agency_people, notify
from dondoc.tracking.status import LOCAL_TZ

from . import access, documents, nd30


class UrgingError(errors.ActionError):
    """A letter that cannot be recorded as it is (HTTP 400)."""


class NumberTaken(UrgingError, errors.Conflict):
    """Another letter of the same issuer and year holds the number (HTTP 409)."""


def issuer_of(plan: Plan, user) -> Agency | None:
    """Who issues the letter: the plan's coordinating agency, else the coordinator's own agency."""
    return plan.coordinating_agency or getattr(user, "agency", None)


def overdue_by_agency(plan: Plan, day: dt.date, issuer: Agency | None = None) -> dict[Agency, list[figures.Row]]:
    """Each lead agency with overdue tasks on `day`, the issuer left out (a letter does not urge its own sender),
    with its rows the longest overdue first; agencies in Vietnamese alphabetical order."""
    _, rows = figures.overdue(day, limit=None, plan_id=plan.pk)
    names: dict[str, list[figures.Row]] = {}
    for row in rows:
        names.setdefault(row.agency, []).append(row)
    agencies = Agency.objects.filter(name__in=list(names)).order_by("sort_key")
    if issuer is not None:
        agencies = agencies.exclude(pk=issuer.pk)
    return {a: names[a.name] for a in agencies}


# --- What the letter lists ------------------------------------------------------------------------------------

@dataclass
class Item:
    """One overdue task as the letter lists it, with the addressees late on it (one due date: an agency granted an
    extension is late on another day, so it is another item)."""

    task_id: int
    ref: str
    text: str
    due: dt.date | None
    days_late: int
    agencies: list[Agency] = field(default_factory=list)


@dataclass
class Block:
    """The tasks overdue for the same addressees, under the names the plan gives them."""

    who: str
    agencies: int
    items: list[Item]


def _names(ids: set[int], groups: dict[str, set[int]], names: dict[int, str], *, excepting: bool) -> list[str]:
    """`ids` named as the plan names them: a group (its members given the task through it, the issuer aside) when
    they are all in `ids`; with `excepting`, also when more than half are, "(trừ ...)" naming the others. The
    agencies no group covers by their names, in alphabetical order."""
    left, out = set(ids), []
    for group, members in sorted(groups.items(), key=lambda kv: sort_key(kv[0])):
        inside = members & left
        if len(members) < 2 or not inside:
            continue
        if inside == members:
            out.append(group)
        elif excepting and len(inside) * 2 > len(members):
            out.append(f"{group} (trừ {'; '.join(vi_sorted(names[i] for i in members - inside))})")
        else:
            continue
        left -= inside
    return out + vi_sorted(names[i] for i in left)


@dataclass
class Listing:
    addressees: list[str]  # "Kính gửi": a group when all its members on the letter's tasks are addressed
    blocks: list[Block]

    @property
    def tasks(self) -> int:
        return len({i.task_id for b in self.blocks for i in b.items})


def listing(chosen: dict[Agency, list[figures.Row]], issuer: Agency | None = None) -> Listing:
    """The letter's list: each (task, due date) once, in blocks by who is late on it, named by the groups the plan
    gave the task to where it can (_names); the widest blocks first, then by name."""
    items: dict[tuple[int, dt.date | None], Item] = {}
    for agency, rows in chosen.items():
        for row in rows:
            item = items.setdefault((row.task_id, row.due), Item(row.task_id, row.ref, row.text, row.due, row.days_late))
            item.agencies.append(agency)
            item.days_late = max(item.days_late, row.days_late)
    task_ids = {i.task_id for i in items.values()}
    via: dict[int, dict[str, set[int]]] = {}
    everywhere: dict[str, set[int]] = {}
    names = {a.pk: a.name for a in chosen}
    for task_id, agency_id, agency, group in (
            Assignment.objects.filter(task_id__in=task_ids, role="lead", ended_at__isnull=True, via_group__isnull=False)
            .exclude(agency_id=getattr(issuer, "pk", None))
            .values_list("task_id", "agency_id", "agency__name", "via_group__name")):
        via.setdefault(task_id, {}).setdefault(group, set()).add(agency_id)
        everywhere.setdefault(group, set()).add(agency_id)
        names.setdefault(agency_id, agency)
    grouped: dict[tuple[str, ...], Block] = {}
    for item in items.values():
        who = tuple(_names({a.pk for a in item.agencies}, via.get(item.task_id, {}), names, excepting=True))
        block = grouped.setdefault(who, Block("; ".join(who), 0, []))
        block.agencies = max(block.agencies, len(item.agencies))
        block.items.append(item)
    order = dict(Task.objects.filter(pk__in=task_ids).values_list("pk", "order"))
    for block in grouped.values():  # the longest overdue first, then as the plan prints them
        block.items.sort(key=lambda i: (i.due or dt.date.max, order.get(i.task_id, 0)))
    addressees = _names({a.pk for a in chosen}, everywhere, names, excepting=False)
    return Listing(addressees, sorted(grouped.values(), key=lambda b: (-b.agencies, sort_key(b.who))))


# --- The number -------------------------------------------------------------------------------------------------

_NUMBER = re.compile(r"^(?:số\s*:?)?\s*(\d*)\s*(?:/\s*(\S.*))?$", re.IGNORECASE)


def parse_number(given: str, symbol: str) -> tuple[int | None, str]:
    """(running number or None, symbol) of what the clerk typed: "125/SKHĐT-TH", "Số: 125/SKHĐT-TH", "125" (the
    default symbol), "     /SKHĐT-TH" or "" (no number yet: written in at signing). Anything else is refused."""
    found = _NUMBER.match(" ".join((given or "").split()))
    if not found or (found[1] and int(found[1]) == 0):
        raise UrgingError(f"Số, ký hiệu «{given.strip()}» không đúng: ghi số thứ tự rồi ký hiệu, ví dụ "
                          f"125/{symbol}.")
    return (int(found[1]) if found[1] else None), (found[2] or symbol).strip()


def default_symbol(issuer: Agency | None) -> str:
    return f"{documents.symbol(issuer)}-TH" if issuer is not None else "SKHĐT-TH"


@dataclass
class Letter:
    number: str  # what the clerk typed: "125/SKHĐT-TH", or "     /SKHĐT-TH" to be numbered at signing
    date: dt.date | None
    reply_by: dt.date
    authority: str
    position: str
    signer: str


class LetterForm(forms.Form):
    agencies = forms.MultipleChoiceField(label="Kính gửi", widget=forms.CheckboxSelectMultiple, error_messages={
        "required": "Hãy chọn ít nhất một cơ quan.",
        "invalid_choice": "Cơ quan đã chọn không có nhiệm vụ quá hạn để đôn đốc, hoặc là cơ quan ban hành văn bản."})
    number = forms.CharField(label="Số, ký hiệu (bắt buộc khi ghi nhận đã gửi)", max_length=100, required=False)
    date = forms.DateField(label="Ngày văn bản (để trống: điền khi ký)", required=False,
                           widget=forms.DateInput(attrs={"type": "date"}), error_messages={"invalid": "Ngày không hợp lệ."})
    reply_by = forms.DateField(label="Hạn báo cáo lại", widget=forms.DateInput(attrs={"type": "date"}),
                               error_messages={"required": "Hãy nhập hạn báo cáo lại.", "invalid": "Ngày không hợp lệ."})
    authority = forms.CharField(label="Thẩm quyền ký", max_length=100, initial="KT. GIÁM ĐỐC", required=False)
    position = forms.CharField(label="Chức vụ người ký", max_length=100, initial="PHÓ GIÁM ĐỐC",
                               error_messages={"required": "Hãy nhập chức vụ người ký."})
    signer = forms.CharField(label="Họ tên người ký", max_length=100, required=False)

    def __init__(self, *args, agencies: dict, issuer: Agency | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agencies"].choices = [(str(a.pk), f"{a.name} ({len(rows)} nhiệm vụ quá hạn)") for a, rows in agencies.items()]
        self.fields["agencies"].initial = [str(a.pk) for a in agencies]
        self.fields["reply_by"].initial = clock.today() + dt.timedelta(days=7)
        self.symbol = default_symbol(issuer)
        self.fields["number"].initial = f"     /{self.symbol}"

    def clean_number(self):
        given = self.cleaned_data["number"]
        try:
            parse_number(given, self.symbol)
        except UrgingError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return given.strip()

    def clean_reply_by(self):
        day = self.cleaned_data["reply_by"]
        if day < clock.today():
            raise forms.ValidationError("Hạn báo cáo lại không được trước ngày hôm nay.")
        return day

    def letter(self) -> Letter:
        d = self.cleaned_data
        return Letter(d["number"], d["date"], d["reply_by"], d["authority"].strip(), d["position"].strip(),
                      d["signer"].strip())


# --- The document -----------------------------------------------------------------------------------------------

def letter_docx(plan: Plan, chosen: dict[Agency, list[figures.Row]], letter: Letter, day: dt.date,
                issuer: Agency | None = None) -> bytes:
    """The letter from `issuer` (issuer_of: the plan's coordinating agency, else the coordinator's own)."""
    serial, symbol = parse_number(letter.number, default_symbol(issuer))
    parent = issuer.parent.name if issuer and issuer.parent else plan.issuer
    doc = nd30.new_document(nd30.Header(
        parent_body=_upper_body(parent), issuer=(issuer.name if issuer else "").upper(),
        number=nd30.number_line(serial, symbol), place=documents.place_of(plan), date=letter.date,
        year=(letter.date or day).year, summary_left=f"V/v đôn đốc thực hiện Kế hoạch số {plan.number}"))
    listed = listing(chosen, issuer)
    nd30.addressees(doc, listed.addressees)
    issued = f" ngày {official_date(plan.issued_on)}" if plan.issued_on else ""
    who = issuer.name if issuer else "Cơ quan theo dõi, tổng hợp"
    nd30.paragraph(doc, f"Thực hiện Kế hoạch số {plan.number}{issued} của {plan.issuer or 'Ủy ban nhân dân tỉnh'} "
                        f"{documents.about(plan.title)}; {who} được giao theo dõi, đôn đốc, tổng hợp kết quả thực hiện.")
    nd30.paragraph(doc, f"Qua theo dõi trên hệ thống, tính đến ngày {official_date(day)}, còn {listed.tasks} nhiệm vụ "
                        "đã quá thời hạn nhưng chưa hoàn thành, cụ thể:")
    for number, block in enumerate(listed.blocks, 1):
        lead_in = nd30.paragraph(doc, [(f"{number}. {block.who}", "b"), (f" ({len(block.items)} nhiệm vụ):", "")])
        lead_in.paragraph_format.keep_with_next = True  # never alone at the foot of a page
        for item in block.items:
            due = f"thời hạn {official_date(item.due)}, " if item.due else ""
            nd30.paragraph(doc, [(f"- {documents.upper_first(item.text.strip().rstrip(' .;'))} ", ""),
                                 (f"(mục {item.ref.split('#')[0]}; {due}quá hạn {item.days_late} ngày).", "i")])
    nd30.paragraph(doc, f"Để bảo đảm tiến độ thực hiện Kế hoạch, {who} đề nghị Thủ trưởng các cơ quan, đơn vị "
                        "khẩn trương chỉ đạo thực hiện các nhiệm vụ nêu trên; cập nhật tiến độ và báo cáo hoàn thành "
                        f"trên hệ thống dondoc, đồng thời báo cáo kết quả, khó khăn, vướng mắc (nếu có) về {who} "
                        f"trước ngày {official_date(letter.reply_by)} để tổng hợp, báo cáo Ủy ban nhân dân tỉnh.")
    nd30.paragraph(doc, "Đề nghị các cơ quan, đơn vị quan tâm, phối hợp thực hiện./.")
    nd30.closing(doc, nd30.Signature(letter.authority, letter.position, letter.signer),
                 ["Như trên", "UBND tỉnh (b/c)", "Lãnh đạo Sở"], archive="Lưu: VT, TH.")
    return nd30.to_bytes(doc)


def _upper_body(name: str) -> str:
    # "Ủy ban nhân dân tỉnh Tuyên Quang" → "UBND TỈNH TUYÊN QUANG", as the governing body is printed over an agency.
    name = name.replace("Ủy ban nhân dân", "UBND").replace("Uỷ ban nhân dân", "UBND")
    return name.upper()


# --- Recording it as sent -----------------------------------------------------------------------------------------

@transaction.atomic
def do_record_letter(plan: Plan, user, chosen: dict[Agency, list[figures.Row]], letter: Letter, data: bytes,
                     day: dt.date, issuer: Agency | None, request=None) -> tuple[UrgingLetter, bool]:
    """Keep the letter as sent under its number, tell the addressees' people, audit it: (the letter, recorded now).

    The number is required and is its issuer's for the year (Nghị định 30/2020, Điều 15). The same letter sent
    again (same number, plan and addressees: a second click, a page sent twice) records nothing and tells nobody
    again; another letter under a number already used is refused."""
    if user.role not in access.COORDINATORS:
        raise errors.Forbidden("Chỉ cơ quan theo dõi, tổng hợp ghi nhận văn bản đôn đốc.")
    if issuer is None:
        raise UrgingError("Chưa xác định được cơ quan ban hành văn bản: kế hoạch chưa có cơ quan theo dõi, tổng hợp "
                          "và tài khoản của bạn không thuộc cơ quan nào.")
    serial, symbol = parse_number(letter.number, default_symbol(issuer))
    if serial is None:
        raise UrgingError("Hãy nhập số văn bản (số do văn thư cấp khi phát hành, ví dụ "
                          f"125/{symbol}) trước khi ghi nhận đã gửi.")
    if not chosen:
        raise UrgingError("Hãy chọn ít nhất một cơ quan.")
    year = (letter.date or day).year
    number = nd30.number_line(serial, symbol).removeprefix("Số: ")
    found = _same_number(plan, issuer, year, serial, chosen, number)
    if found is not None:
        return found, False
    try:
        with transaction.atomic():  # a savepoint: a submission racing this one may take the number first
            sent = UrgingLetter.objects.create(
                plan=plan, number=number, issuer=issuer, year=year, serial=serial, as_of=day,
                reply_by=letter.reply_by, overdue_count=len({r.task_id for rows in chosen.values() for r in rows}),
                created_by=user)
    except IntegrityError:
        found = _same_number(plan, issuer, year, serial, chosen, number)
        if found is None:  # the other holder is gone again: nothing to stand on, ask for a retry
            raise NumberTaken(f"Số {number} vừa được ghi nhận cho văn bản khác; hãy tải lại trang.") from None
        return found, False
    sent.agencies.set(list(chosen))
    sent.file.save(f"van-ban-don-doc-{sent.pk}.docx", ContentFile(data), save=True)
    for agency, rows in chosen.items():
        notify(agency_people(agency.pk), "urged",
               f"Văn bản đôn đốc số {number} thực hiện Kế hoạch số {plan.number}: {len(rows)} nhiệm vụ quá hạn, "
               f"báo cáo trước ngày {official_date(letter.reply_by)}", reverse("tracking:my_work") + "?nhom=overdue")
    record("urging.sent", actor=user, obj=plan, request=request,
           changes={"letter": sent.pk, "number": number, "as_of": day.isoformat(),
                    "agencies": [a.code for a in chosen], "overdue": sent.overdue_count})
    return sent, True


def _same_number(plan, issuer, year, serial, chosen, number) -> UrgingLetter | None:
    """The letter already recorded under this number if it is this one; a different one under it is refused."""
    held = UrgingLetter.objects.filter(issuer=issuer, year=year, serial=serial).select_related("plan").first()
    if held is None:
        return None
    if held.plan_id == plan.pk and set(held.agencies.values_list("pk", flat=True)) == {a.pk for a in chosen}:
        return held
    recorded = official_date(held.created_at.astimezone(LOCAL_TZ).date())
    raise NumberTaken(f"Số {number} năm {year} của {issuer.name} đã dùng cho một văn bản đôn đốc khác (thực hiện "
                      f"Kế hoạch số {held.plan.number}, ghi nhận ngày {recorded}): hãy kiểm tra lại số văn bản.")
