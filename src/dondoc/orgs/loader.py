"""Load organisation data (agencies, successions, groups) from a JSON file, idempotently by code."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from django.db import transaction

from dondoc.audit import record

from .models import Agency, AgencyGroup, Succession

DEFAULT_FIXTURE = Path(__file__).resolve().parent / "fixtures" / "tuyenquang.json"


def _date(value):
    return dt.date.fromisoformat(value) if value else None


@transaction.atomic
def load_orgs(path: Path | str = DEFAULT_FIXTURE) -> dict:
    """Create or update every agency and group of the file; links not in the file are left as the admin set them."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    by_code: dict[str, Agency] = {}
    for item in data.get("agencies", []):
        agency, _ = Agency.objects.update_or_create(
            code=item["code"],
            defaults={
                "name": item["name"],
                "short_name": item.get("short_name") or "",
                "kind": item.get("kind") or "department",
                "valid_from": _date(item.get("valid_from")),
                "valid_to": _date(item.get("valid_to")),
                "aliases": "\n".join(item.get("aliases") or []),
            },
        )
        by_code[agency.code] = agency
    for item in data.get("agencies", []):
        parent = item.get("parent")
        agency = by_code[item["code"]]
        parent_obj = by_code.get(parent) or (Agency.objects.get(code=parent) if parent else None)
        if agency.parent_id != (parent_obj.pk if parent_obj else None):
            agency.parent = parent_obj
            agency.save(update_fields=["parent"])
    for item in data.get("successions", []):
        Succession.objects.update_or_create(
            predecessor=Agency.objects.get(code=item["from"]),
            successor=Agency.objects.get(code=item["to"]),
            defaults={"date": _date(item["date"]), "note": item.get("note") or ""},
        )
    for item in data.get("groups", []):
        group, _ = AgencyGroup.objects.update_or_create(
            code=item["code"],
            defaults={"name": item["name"], "aliases": "\n".join(item.get("aliases") or []),
                      "description": item.get("description") or ""},
        )
        group.members.set(Agency.objects.filter(code__in=item.get("members") or []))
    counts = {"agencies": len(by_code), "successions": len(data.get("successions", [])), "groups": len(data.get("groups", []))}
    # Audited like an admin edit: names and successions are in every answer that shows an agency (and the API's
    # ETag follows the audit trail, api/etag.py).
    record("orgs.loaded", changes={"file": str(Path(path).resolve()), **counts})  # where from, in full
    return counts
