"""Load organisation data (agencies, successions, groups) from a JSON file, idempotently by code."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from django.db import transaction

from dondoc.audit import record

from .models import Agency, AgencyGroup, Succession, agencies_changed

DEFAULT_FIXTURE = Path(__file__).resolve().parent / "fixtures" / "tuyenquang.json"


def _date(value):
    return dt.date.fromisoformat(value) if value else None


AGENCY_FIELDS = ("name", "short_name", "kind", "valid_from", "valid_to", "aliases")
DERIVED = ("search_text", "name_keys", "sort_key")
GROUP_FIELDS = ("name", "aliases", "description")


def _put(model, rows: dict[str, dict], fields: tuple[str, ...]) -> tuple[dict, bool]:
    """Create or update the rows of `model` keyed by code, in a few statements whatever their number (the fixture
    is loaded for every test and by every `make run`): {code: object}, and whether anything was written."""
    existing = {o.code: o for o in model.objects.filter(code__in=list(rows))}
    new, changed = [], []
    for code, values in rows.items():
        obj = existing.get(code) or model(code=code)
        before = [getattr(obj, f) for f in fields + DERIVED]
        for field, value in values.items():
            setattr(obj, field, value)
        obj.refresh_derived()  # what save() would do (NamedMixin)
        if obj.pk is None:
            new.append(obj)
        elif [getattr(obj, f) for f in fields + DERIVED] != before:
            changed.append(obj)
        existing[code] = obj
    model.objects.bulk_create(new)  # pks come back (PostgreSQL, SQLite ≥ 3.35)
    model.objects.bulk_update(changed, fields + DERIVED)
    return existing, bool(new or changed)


@transaction.atomic
def load_orgs(path: Path | str = DEFAULT_FIXTURE) -> dict:
    """Create or update every agency and group of the file; links not in the file are left as the admin set them."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    agencies = data.get("agencies", [])
    by_code, written = _put(Agency, {item["code"]: {
        "name": item["name"], "short_name": item.get("short_name") or "", "kind": item.get("kind") or "department",
        "valid_from": _date(item.get("valid_from")), "valid_to": _date(item.get("valid_to")),
        "aliases": "\n".join(item.get("aliases") or [])} for item in agencies}, AGENCY_FIELDS)
    named = ({i["parent"] for i in agencies if i.get("parent")}
             | {x for i in data.get("successions", []) for x in (i["from"], i["to"])}
             | {c for i in data.get("groups", []) for c in i.get("members") or []})
    others = {a.code: a for a in Agency.objects.filter(code__in=named - by_code.keys())}  # named, defined elsewhere
    known = {**others, **by_code}

    def agency(code):
        if code not in known:
            raise Agency.DoesNotExist(f"Không có cơ quan mã “{code}”.")
        return known[code]

    moved = []
    for item in agencies:
        obj, parent = by_code[item["code"]], (agency(item["parent"]) if item.get("parent") else None)
        if obj.parent_id != (parent.pk if parent else None):
            obj.parent = parent
            moved.append(obj)
    Agency.objects.bulk_update(moved, ["parent"])

    links = {(agency(i["from"]).pk, agency(i["to"]).pk): {"date": _date(i["date"]), "note": i.get("note") or "",
                                                          "fields": i.get("fields") or ""}
             for i in data.get("successions", [])}
    present = {(s.predecessor_id, s.successor_id): s
               for s in Succession.objects.filter(predecessor_id__in={p for p, _ in links})}
    fresh, relinked = [], []
    for (pred, succ), values in links.items():
        link = present.get((pred, succ))
        if link is None:
            fresh.append(Succession(predecessor_id=pred, successor_id=succ, **values))
        elif (link.date, link.note, link.fields) != (values["date"], values["note"], values["fields"]):
            link.date, link.note, link.fields = values["date"], values["note"], values["fields"]
            relinked.append(link)
    Succession.objects.bulk_create(fresh)
    Succession.objects.bulk_update(relinked, ["date", "note", "fields"])

    groups = data.get("groups", [])
    by_group, _ = _put(AgencyGroup, {item["code"]: {
        "name": item["name"], "aliases": "\n".join(item.get("aliases") or []),
        "description": item.get("description") or ""} for item in groups}, GROUP_FIELDS)
    Member = AgencyGroup.members.through
    wanted = {(by_group[i["code"]].pk, known[c].pk) for i in groups for c in i.get("members") or [] if c in known}
    held = set(Member.objects.filter(agencygroup_id__in=[g.pk for g in by_group.values()])
               .values_list("agencygroup_id", "agency_id"))
    Member.objects.bulk_create([Member(agencygroup_id=g, agency_id=a) for g, a in wanted - held])
    for g, a in held - wanted:  # a member the file no longer lists (group.members.set() did the same)
        Member.objects.filter(agencygroup_id=g, agency_id=a).delete()

    if written or moved:
        agencies_changed.send(sender=Agency)  # memoised pages print agencies' names (tracking/spans.py)
    counts = {"agencies": len(by_code), "successions": len(links), "groups": len(groups)}
    # Audited like an admin edit: names and successions are in every answer that shows an agency (and the API's
    # ETag follows the audit trail, api/etag.py).
    record("orgs.loaded", changes={"file": str(Path(path).resolve()), **counts})  # where from, in full
    return counts
