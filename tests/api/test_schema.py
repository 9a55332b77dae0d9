"""The OpenAPI schema says what the API answers: one component per name, documented errors, one paging rule."""

import importlib
import pkgutil

import pytest
from ninja import Schema

import dondoc.api

pytestmark = pytest.mark.nodb


def _schemas():
    for info in pkgutil.iter_modules(dondoc.api.__path__):
        module = importlib.import_module(f"dondoc.api.{info.name}")
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, Schema) and value.__module__ == module.__name__:
                yield value


def test_no_two_schemas_share_a_name_with_different_shapes():
    # The schema generator files components by class name: two shapes under one name document one and answer the
    # other (`/plans/{id}/tasks` did, through two AssignmentOut classes).
    by_name = {}
    for cls in _schemas():
        if getattr(cls, "__pydantic_generic_metadata__", {}).get("parameters"):
            continue  # Page[T]: generic, named per item type
        shape = cls.model_json_schema()
        shape.pop("title", None)
        by_name.setdefault(cls.__name__, []).append((f"{cls.__module__}.{cls.__qualname__}", shape))
    clashes = {name: [where for where, _ in found] for name, found in by_name.items()
               if any(shape != found[0][1] for _, shape in found[1:])}
    assert not clashes


def test_every_operation_documents_the_errors_it_can_answer():
    from dondoc.api.urls import api

    schema = api.get_openapi_schema()
    for path, methods in schema["paths"].items():
        for method, op in methods.items():
            for code in ("400", "401", "403", "404", "422"):
                assert code in {str(k) for k in op["responses"]}, f"{method.upper()} {path} does not document {code}"
