"""A queryset compiled once and run again with new values.

Django builds and compiles the SQL of a queryset each time it runs. For the lookup every API request makes (the
token, its account, the account's agency, the lockout), building and compiling took longer than the database
took to answer (a profile of the benchmark's requests, bench/api_bench.py). A `Prepared` query is built from
probe values once per thread and database connection; each run puts the new values where the probes were and
turns the rows into model instances as Django's own iterator does (converters, select_related, annotations).

Only strings, integers and date-times can be probes, each appearing exactly once among the compiled parameters;
a query whose shape depends on the values (a list of any length, a filter added or not) is not one of these.
"""

from __future__ import annotations

import datetime as dt
import threading

from django.db import connections
from django.db.models.query import get_related_populators

_local = threading.local()


class Prepared:
    def __init__(self, build, **probes):
        """`build(**values)` returns the queryset; `probes` are values used once to compile it, each distinct from
        any value the query holds itself (an unlikely string or number, a date-time of 1901)."""
        for name, value in probes.items():
            if isinstance(value, bool) or not isinstance(value, (str, int, dt.datetime)):
                raise TypeError(f"probe {name}: only str, int and datetime values can be put in a compiled query")
        self.build, self.probes = build, probes

    def _compiled(self, using: str):
        key = (id(self), using, id(connections[using]))
        cache = _local.__dict__.setdefault("prepared", {})
        if key not in cache:
            connection = connections[using]
            queryset = self.build(**self.probes)
            compiler = queryset.query.get_compiler(using=using)
            sql, params = compiler.as_sql()
            params = list(params)
            positions = {}
            for name, probe in self.probes.items():
                adapted = _adapt(connection, probe)
                found = [i for i, p in enumerate(params) if p == adapted]
                if len(found) != 1:
                    raise ValueError(f"probe {name} appears {len(found)} times in the compiled query")
                positions[name] = found[0]
            cache[key] = (queryset.model, compiler, sql, params, positions)
        return cache[key]

    def _execute(self, using: str, values: dict):
        model, compiler, sql, params, positions = self._compiled(using)
        connection = connections[using]
        params = list(params)
        for name, value in values.items():
            params[positions[name]] = _adapt(connection, value)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return model, compiler, cursor.fetchall()

    def rows(self, using: str = "default", **values) -> list[tuple]:
        """The rows of a values_list() queryset, each value converted as Django converts it."""
        _, compiler, rows = self._execute(using, values)
        return [tuple(row) for row in compiler.results_iter([rows])]

    def run(self, using: str = "default", **values) -> list:
        model, compiler, rows = self._execute(using, values)
        # As django.db.models.query.ModelIterable turns rows into instances.
        select, klass_info, annotations = compiler.select, compiler.klass_info, compiler.annotation_col_map
        first, last = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        names = [f[0].target.attname for f in select[first:last]]
        populators = get_related_populators(klass_info, select, using)
        out = []
        for row in compiler.results_iter([rows]):
            obj = model.from_db(using, names, row[first:last])
            for populator in populators:
                populator.populate(row, obj)
            for attr, position in annotations.items():
                setattr(obj, attr, row[position])
            out.append(obj)
        return out


def _adapt(connection, value):
    # What a DateTimeField lookup sends (e.g. SQLite's text form of an aware date-time); strings go as they are.
    return connection.ops.adapt_datetimefield_value(value) if isinstance(value, dt.datetime) else value
