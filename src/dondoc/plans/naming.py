"""The unmatched-names panel's three answers, each applied to every task of the draft that carries the name, in one
step (one review step, so "Hoàn tác" puts the tasks back, plans/draft.py): the name is this agency (do_map_name), an
agency the organisation data lacks (create it there: do_create_agency_for_name), or no agency at all (drop it:
do_drop_name)."""

from __future__ import annotations

import datetime as dt

from dondoc.audit import record
from dondoc.core import clock
from dondoc.core.text import fold
from dondoc.orgs.models import Agency, AgencyGroup, AgencyKind
from dondoc.orgs.names import name_key

from .access import DRAFT_ROLES, require_role
from .actions import PlanError, _require_existing
from .draft import _step
from .models import Plan, Task
from .resolve import Resolution, Resolver, office_of

CODE_LENGTH = Agency._meta.get_field("code").max_length
NAME_LENGTH = Agency._meta.get_field("name").max_length

# The kind a new agency's name suggests (the reviewer can change it): the first words of its name key.
_KIND_BY_WORDS = (
    (("uy ban nhan dan xa ", "uy ban nhan dan phuong ", "uy ban nhan dan thi tran ", "uy ban nhan dan dac khu "),
     AgencyKind.COMMUNE),
    (("uy ban nhan dan huyen ", "uy ban nhan dan thanh pho ", "uy ban nhan dan thi xa "), AgencyKind.DISTRICT),
    (("so ", "ban ", "thanh tra tinh", "van phong "), AgencyKind.DEPARTMENT),
    (("hoi ", "doan ", "lien doan ", "mat tran ", "lien minh "), AgencyKind.ASSOCIATION),
    (("cong an ", "bo chi huy ", "cuc ", "kho bac ", "ngan hang ", "bao hiem xa hoi "), AgencyKind.CENTRAL),
)


def proposal(name: str) -> tuple[str, str]:
    """What "Tạo cơ quan mới" proposes for a printed name: the body a role names ("Chủ tịch UBND xã Yên Lập" -> "UBND
    xã Yên Lập"), else the name itself, and the kind its first words suggest."""
    agency_name = office_of(name) or name
    key = name_key(agency_name) + " "
    kind = next((k for words, k in _KIND_BY_WORDS if key.startswith(words)), AgencyKind.OTHER)
    return agency_name, kind


def do_map_name(plan: Plan, name: str, agency: Agency, *, remember: bool = True, user=None, request=None) -> int:
    """The reviewer says a printed name is this agency: every task of the draft that carries it, as lead or as
    partner, gets the agency instead; the number of tasks changed is returned.

    The agency must exist on the plan's date (a dissolved one is refused, its successors named). With `remember`,
    a name that matched nothing becomes one of the agency's aliases, so later plans of this installation read it
    at once; a dissolved agency's own name is never made another agency's alias (older plans still mean it)."""
    name = (name or "").strip()
    with _step(plan, f"Giao tên “{name}” cho {agency.name}", user) as plan:
        on = plan.issued_on or clock.today()
        _require_existing(agency, on)
        remember = remember and Resolver(on)(name).kind == "unknown"
        return _give_name(plan, name, agency, remember=remember, user=user, request=request)


def do_create_agency_for_name(plan: Plan, name: str, *, agency_name: str, kind: str, parent: Agency | None = None,
                              user, request=None) -> tuple[Agency, int]:
    """The printed name is an agency the organisation data lacks: create it (it joins the organisation data, for
    every later plan) and give it every task of the draft that carries the name. Returns the agency and the number
    of tasks. Undoing the step puts the printed name back on the tasks; the agency stays.

    Its code is derived from its name; its validity is left open at both ends (the plan proves it exists on the plan's
    date, not since when), so it is active on the plan's date and on any earlier plan's. A printed name that matched
    nothing and would not find the new agency by itself becomes its alias. Refused for a name an agency (or a group)
    of the organisation data already bears: that is the agency to choose instead, and for a `parent` (the agency it
    is under, "Trực thuộc") not in existence on the plan's date.

    It joins no group of agencies: a group's members are set in the organisation data (its file, the administration
    pages), not derived from a parent or a kind, and a new member would get the work of every plan published later
    that names the group."""
    require_role(user, DRAFT_ROLES, "Chỉ cơ quan theo dõi, tổng hợp hoặc quản trị hệ thống được thêm cơ quan mới.")
    name = (name or "").strip()
    agency_name = " ".join((agency_name or "").split())
    with _step(plan, f"Tạo cơ quan {agency_name} cho tên “{name}”", user) as plan:
        on = plan.issued_on or clock.today()
        was = _unmatched(plan, name, on)
        if not name_key(agency_name):
            raise PlanError("Hãy nhập tên cơ quan mới.")
        if len(agency_name) > NAME_LENGTH:
            raise PlanError(f"Tên cơ quan dài quá {NAME_LENGTH} ký tự.")
        if kind not in AgencyKind.values:
            raise PlanError("Hãy chọn loại cơ quan.")
        if parent is not None:
            try:
                _require_existing(parent, on)
            except PlanError as exc:
                raise PlanError(f"Cơ quan cấp trên không hợp lệ: {exc}") from None
        _refuse_namesake(agency_name, on)
        agency = Agency.objects.create(name=agency_name, code=_new_code(agency_name), kind=kind, parent=parent)
        record("agency.created_from_plan", actor=user, obj=agency, request=request,
               changes={"name": agency.name, "code": agency.code, "kind": kind,
                        "parent": parent.code if parent else None, "plan": plan.pk, "printed_name": name})
        remember = was.kind == "unknown" and Resolver(on)(name).agency != agency
        return agency, _give_name(plan, name, agency, remember=remember, user=user, request=request)


def do_drop_name(plan: Plan, name: str, *, user, request=None) -> int:
    """The printed name is no agency (a phrase the parser took for one): it leaves the leads and partners of every
    task of the draft that carries it; a task left without a lead is flagged "cần xác định đơn vị". Returns the
    number of tasks changed."""
    require_role(user, DRAFT_ROLES, "Chỉ cơ quan theo dõi, tổng hợp hoặc quản trị hệ thống được sửa bản nháp.")
    name = (name or "").strip()
    with _step(plan, f"Bỏ tên “{name}” (không phải cơ quan)", user) as plan:
        _unmatched(plan, name, plan.issued_on or clock.today())
        resolver = Resolver(plan.issued_on)
        changed = []
        for task in plan.tasks.select_for_update().order_by("order"):
            if _carries(task, name):
                task.lead_names = [n for n in task.lead_names if n.strip() != name]
                task.coordinating_names = [n for n in task.coordinating_names if n.strip() != name]
                task.needs_lead = resolver.needs_lead(task.lead_names)
                task.version += 1
                changed.append(task)
        Task.objects.bulk_update(changed, ["lead_names", "coordinating_names", "needs_lead", "version"])
        record("plan.name_dropped", actor=user, obj=plan, request=request,
               changes={"name": name, "tasks": len(changed), "without_lead": sum(1 for t in changed if not t.lead_names)})
        return len(changed)


def _carries(task: Task, name: str) -> bool:
    return any(n.strip() == name for n in [*task.lead_names, *task.coordinating_names])


def _give_name(plan: Plan, name: str, agency: Agency, *, remember: bool, user, request) -> int:
    """Every task of the locked draft that carries `name` gets `agency` instead, its "cần xác định đơn vị" flag read
    again; with `remember`, the name becomes one of the agency's aliases unless it is already one of its names."""
    resolver = Resolver(plan.issued_on)
    changed = []
    for task in plan.tasks.select_for_update().order_by("order"):
        if not _carries(task, name):
            continue
        leads = _replaced(task.lead_names, name, agency.name)
        task.coordinating_names = [n for n in _replaced(task.coordinating_names, name, agency.name) if n not in leads]
        task.lead_names = leads
        task.needs_lead = resolver.needs_lead(leads)
        task.version += 1
        changed.append(task)
    if not changed:
        raise PlanError(f"Không có nhiệm vụ nào của bản nháp mang tên “{name}”.")
    Task.objects.bulk_update(changed, ["lead_names", "coordinating_names", "needs_lead", "version"])
    remembered = remember and name.casefold() not in {n.casefold() for n in agency.all_names()}
    if remembered:
        agency.aliases = "\n".join([*agency.alias_list(), name])
        agency.save()
        record("agency.alias_added", actor=user, obj=agency, request=request, changes={"alias": name, "plan": plan.pk})
    record("plan.name_mapped", actor=user, obj=plan, request=request,
           changes={"name": name, "agency": agency.code, "tasks": len(changed), "remembered": remembered})
    return len(changed)


def _replaced(names: list[str], name: str, by: str) -> list[str]:
    out: list[str] = []
    for n in names:
        n = by if n.strip() == name else n
        if n not in out:  # "Sở Tài chính" mapped where it was already named: once
            out.append(n)
    return out


def _unmatched(plan: Plan, name: str, on: dt.date) -> Resolution:
    """The name's resolution, refused unless a task of the draft carries it and it gives no agency on the plan's date
    (the names the panel lists)."""
    if not name:
        raise PlanError("Thiếu tên cơ quan cần xử lý.")
    if not any(_carries(task, name) for task in plan.tasks.only("lead_names", "coordinating_names")):
        raise PlanError(f"Không có nhiệm vụ nào của bản nháp mang tên “{name}”.")
    res = Resolver(on)(name)
    if res.kind not in ("unknown", "dissolved"):
        found = res.agency.name if res.agency is not None else res.group.name
        raise PlanError(f"“{name}” đã ứng với {found} trong dữ liệu tổ chức; sửa từng nhiệm vụ nếu cần đổi.")
    return res


def _refuse_namesake(agency_name: str, on: dt.date) -> None:
    key = f"|{name_key(agency_name)}|"
    same = Agency.objects.filter(name_keys__contains=key).order_by("sort_key").first()
    if same is not None:
        if same.is_active_on(on):
            raise PlanError(f"Đã có cơ quan “{same.name}” trùng tên với “{agency_name}”: hãy tìm và chọn cơ quan đó "
                            "thay vì tạo mới.")
        heirs = ", ".join(a.name for a in same.successors_on(on))
        raise PlanError(f"Đã có cơ quan “{same.name}” trùng tên với “{agency_name}”, không hoạt động vào ngày "
                        f"{on:%d/%m/%Y} của kế hoạch" + (f": hãy chọn cơ quan kế thừa: {heirs}." if heirs else
                        "; nếu đây là cơ quan mới cùng tên, quản trị hệ thống thêm cơ quan đó trong trang quản trị."))
    group = AgencyGroup.objects.filter(name_keys__contains=key).first()
    if group is not None:
        raise PlanError(f"“{agency_name}” là tên nhóm cơ quan “{group.name}”, không tạo được cơ quan cùng tên.")


def _new_code(agency_name: str) -> str:
    """A unique slug from the name without accents (`Ban Quản lý dự án tỉnh` -> `ban-quan-ly-du-an-tinh`), cut at a
    word to fit, numbered after a namesake's code (`-2`, `-3`)."""
    base = "-".join(fold(agency_name).split()) or "co-quan"
    for n in range(1, 1000):
        suffix = f"-{n}" if n > 1 else ""
        limit, code = CODE_LENGTH - len(suffix), base
        if len(code) > limit:  # cut after the last whole word that fits (one letter more shows whether it is whole)
            code = code[:limit + 1].rsplit("-", 1)[0] if "-" in code[:limit + 1] else code[:limit]
        code += suffix
        if not Agency.objects.filter(code=code).exists():
            return code
    raise PlanError("Không tạo được mã cho cơ quan mới; hãy đặt tên khác.")
