"""Every kind of event the code records reads in Vietnamese in the history (audit/labels.py is the one place)."""

import ast
import pathlib

import pytest
from django.contrib import admin

from dondoc.audit import labels
from dondoc.audit.admin import AuditedAdmin

SRC = pathlib.Path(labels.__file__).resolve().parents[1]

# What each f-string kind's placeholder can be, where the code builds the kind from a variable.
EXPANSIONS = {
    "claim.{state}": ("confirmed", "returned"),
    "extension.{ext.state}": ("approved", "rejected"),
    "{kind}.refused_locked": ("login", "otp", "password_check"),
    "{kind}.failed": ("login", "otp", "password_check"),
    "{kind}.locked_out": ("login", "otp", "password_check"),
}


def _kinds_in(node: ast.expr) -> list[str] | None:
    """The kinds a record() call's first argument can take; None for a shape this test does not read."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        a, b = _kinds_in(node.body), _kinds_in(node.orelse)
        return None if a is None or b is None else a + b
    if isinstance(node, ast.JoinedStr):
        shape = "".join(v.value if isinstance(v, ast.Constant) else "{" + ast.unparse(v.value) + "}" for v in node.values)
        if shape.startswith("{obj._meta.model_name}."):
            return []  # the admin's kinds: checked over the registered models below
        if shape not in EXPANSIONS:
            return None
        return [shape.replace(shape[shape.index("{"):shape.index("}") + 1], value) for value in EXPANSIONS[shape]]
    return None


def _recorded_kinds() -> tuple[set[str], list[str]]:
    kinds, unread = set(), []
    for path in SRC.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        # Only the audit trail's record(): imported from dondoc.audit (or from "." inside it).
        if not any(isinstance(n, ast.ImportFrom) and (n.module == "dondoc.audit" or (n.level == 1 and not n.module
                   and path.parent.name == "audit")) and any(a.name == "record" for a in n.names) for n in ast.walk(tree)):
            continue
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "record"
                    and node.args and not isinstance(node.args[0], ast.Starred)):
                found = _kinds_in(node.args[0])
                if found is None:
                    unread.append(f"{path.relative_to(SRC)}:{node.lineno}")
                else:
                    kinds.update(found)
    return kinds, unread


def test_every_recorded_kind_has_a_label():
    kinds, unread = _recorded_kinds()
    assert not unread, f"record() calls whose kind this test cannot read (add them to EXPANSIONS): {unread}"
    assert len(kinds) > 40  # the scan found the calls
    assert sorted(k for k in kinds if labels.label(k) == k) == []


@pytest.mark.django_db
def test_admin_changes_are_labelled_for_every_audited_model():
    audited = [m for m, a in admin.site._registry.items() if isinstance(a, AuditedAdmin)]
    assert audited
    for model in audited:
        for verb in ("created", "changed", "deleted"):
            text = labels.label(f"{model._meta.model_name}.{verb}")
            assert text == f"{labels.ADMIN_VERBS[verb]} {model._meta.verbose_name}"


def test_unknown_kind_reads_as_itself():
    assert labels.label("nothing.known") == "nothing.known"
