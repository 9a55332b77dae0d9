"""The layers of docs/design.md hold: no app imports an app above it, no module imports another app's views.

The list of apps and the exceptions are read from docs/design.md, so the page and this check cannot disagree.
Imports inside functions count: they are how a cycle hides."""

from __future__ import annotations

import ast
import pathlib
import re

import pytest

pytestmark = pytest.mark.nodb

ROOT = pathlib.Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "dondoc"
DOC = ROOT / "docs" / "design.md"
UPPER = {"views", "urls", "forms", "admin", "templatetags", "context_processors", "management"}


def _layers() -> tuple[list[str], set[tuple[str, str]]]:
    text = DOC.read_text(encoding="utf-8")
    listed = text.split("<!-- layers:")[1].split("\n\n")[0]
    apps = re.findall(r"^\d+\. `(\w+)`", listed, flags=re.M)
    told = text.split("<!-- exceptions:")[1].split("\n\n")[0]
    exceptions = set(re.findall(r"^- `([\w.*]+)` → `([\w.]+)`:", told, flags=re.M))
    return apps, exceptions


def _imports(path: pathlib.Path):
    """(line, module) of every import of dondoc in the file, relative imports resolved."""
    package = ["dondoc", *path.relative_to(SRC).parent.parts]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *(node.module.split(".") if node.module else [])])
            # "from . import views" imports a module, "from .x import y" a name of one: either way, module.name.
            names = [f"{module}.{a.name}" for a in node.names]
        else:
            continue
        for name in names:
            if name.startswith("dondoc."):
                yield node.lineno, name


def _app(parts: tuple[str, ...]) -> str:
    return parts[0] if len(parts) > 1 else parts[0].removesuffix(".py")


def _is_upper(parts: tuple[str, ...]) -> bool:
    return len(parts) > 1 and (parts[1].removesuffix(".py") in UPPER)


def _excepted(app: str, name: str, exceptions) -> bool:
    return any(a in (app, "*") and (name == f"dondoc.{b}" or name.startswith(f"dondoc.{b}.")) for a, b in exceptions)


def violations() -> list[str]:
    apps, exceptions = _layers()
    rank = {app: i for i, app in enumerate(apps)}
    found = []
    for path in sorted(SRC.rglob("*.py")):
        parts = path.relative_to(SRC).parts
        if "migrations" in parts:
            continue
        app = _app(parts)
        if app not in rank:
            continue  # settings, urls, cli …: on top of everything
        for line, name in _imports(path):
            target_parts = tuple(name.split(".")[1:])
            target = target_parts[0]
            if target == app or target not in rank:
                continue
            if _is_upper(target_parts) and not _excepted(app, name, exceptions):
                found.append(f"{path.relative_to(SRC)}:{line} imports {name}, the upper part of another app")
                continue
            if rank[target] < rank[app]:
                continue
            if _is_upper(parts) and rank[target] > rank[app]:
                continue  # a page may read any app's lower part
            if _excepted(app, name, exceptions):
                continue
            found.append(f"{path.relative_to(SRC)}:{line} imports {name}: `{target}` is above `{app}`")
    return sorted(set(found))


def test_every_app_is_in_the_list():
    apps, _ = _layers()
    on_disk = {p.name for p in SRC.iterdir() if (p / "__init__.py").exists()} | {"config"}
    assert set(apps) == on_disk


def test_no_app_imports_an_app_above_it():
    assert violations() == []


def test_parsing_and_config_do_not_use_django():
    for path in [SRC / "config.py", *(SRC / "parsing").rglob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else [])
            assert not any(n == "django" or n.startswith("django.") for n in names), f"{path}:{node.lineno}"
