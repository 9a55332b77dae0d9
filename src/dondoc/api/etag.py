"""ETag and If-None-Match on every GET of the API: a client that sends back the ETag it was given gets
`304 Not Modified`, without a body, for the price of one database query after authentication.

The ETag is a SHA-256 over everything an answer depends on, so that it changes whenever the answer could:

- the **data version**, read in one statement (`data_version`) *before* the view reads anything (a write committed
  meanwhile can only make the body newer than its tag, never older):
  - the newest audit event (id and time): every action records one in its transaction (docs/design.md, Actions),
    admin edits too (`AuditedAdmin`), and so does `load_orgs`; the time tells a restored database's events from the
    ones it replaced;
  - the status version (`tracking/spans.bump()`): the status cache's rebuilds and refreshes, and what memoised
    figures print (plans' numbers and titles, agencies' names, late reports);
  - on PostgreSQL, the transactions still in progress. Ids come from a sequence when a row is inserted, not when it
    commits: a transaction holding event 100 may commit after another's event 101 was read as the newest, and the
    newest id alone would then miss it. Any such transaction is in progress when the version is read, and no longer
    once it has committed, so the version differs. (SQLite has one writer at a time: ids follow commits.)
  - what an operation shows that is written without an audit event, declared next to it with `@varies_with`
    (a job's progress, written by the worker; a token's "last used", touched by authentication);
- today (`core.clock.today()`): statuses turn overdue at midnight, and "today" is the default day of every figure;
- the full path with its query string;
- who asks: user id, role, agency, and the credential itself (token or session);
- the language of the answer, and the release (the version and a digest of the code), so a deploy invalidates.

Authentication runs first (ninja authenticates inside the view): a revoked token gets 401, never 304.
Only 200 answers carry an ETag; refusals (4xx) and file downloads (`audit.attachment`: recorded each time, never
cached) do not. Every GET answer says `Cache-Control: private, no-cache`: a client keeps it, must revalidate it,
and no shared proxy stores it.
"""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path

from django.db import connection
from django.http import HttpResponseNotModified
from django.utils.cache import patch_vary_headers
from django.utils.http import parse_etags
from ninja.operation import AsyncOperation, Operation

from dondoc.core import clock

CACHE_CONTROL = "private, no-cache"


def varies_with(queries):
    """Declare what an operation's answer shows that is written without an audit event: `queries(request, **path)`
    returns querysets of one row and one column each, read as scalar subqueries of the one version statement."""
    def mark(view):
        view.etag_varies_with = queries
        return view
    return mark


@functools.cache
def release() -> str:
    """The version and a digest of the installed code (read once per process): a deploy changes every ETag."""
    import dondoc

    root = Path(dondoc.__file__).resolve().parent
    digest = hashlib.sha256(dondoc.__version__.encode())
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and "static" not in path.relative_to(root).parts:
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _subquery(queryset) -> tuple[str, tuple]:
    sql, params = queryset.query.sql_with_params()
    return f"({sql})", tuple(params)


@functools.cache
def _base_parts(vendor: str) -> tuple:
    """The version's fixed subqueries, compiled once per process (building them cost more than running them)."""
    from dondoc.audit.models import Event
    from dondoc.tracking.models import StatusVersion

    newest = Event.objects.order_by("-id")
    parts = [_subquery(newest.values("id")[:1]), _subquery(newest.values("at")[:1]),
             _subquery(StatusVersion.objects.filter(pk=1).values("n"))]
    if vendor == "postgresql":
        parts.append(("(SELECT string_agg(x::text, ',' ORDER BY x) FROM pg_snapshot_xip(pg_current_snapshot()) x)", ()))
    return tuple(parts)


def data_version(extra=()) -> list:
    """The data version as one row, in one statement: a SELECT of scalar subqueries (each an index lookup)."""
    parts = [*_base_parts(connection.vendor), *(_subquery(q) for q in extra)]
    sql = "SELECT " + ", ".join(p for p, _ in parts)
    with connection.cursor() as cursor:
        cursor.execute(sql, [v for _, params in parts for v in params])
        return list(cursor.fetchone())


def _credential(request) -> str:
    header = request.headers.get("Authorization", "")
    if header:
        return "bearer:" + hashlib.sha256(header.encode()).hexdigest()
    session = getattr(request, "session", None)
    return "session:" + hashlib.sha256((getattr(session, "session_key", None) or "").encode()).hexdigest()


def etag_for(request, operation: Operation) -> str:
    user = request.auth
    varies = getattr(operation.view_func, "etag_varies_with", None)
    path = request.resolver_match.kwargs if request.resolver_match else {}
    extra = varies(request, **path) if varies else ()
    version = data_version(extra)
    known = getattr(request, "dondoc_status_version", None)
    if known is not None:  # read before the view: memoised results may be keyed by it (spans.version_read)
        known.append(version[2] or 0)
    material = [release(), version, clock.today(), request.get_full_path(), user.pk, user.role,
                user.agency_id, _credential(request), getattr(request, "LANGUAGE_CODE", "")]
    return 'W/"%s"' % hashlib.sha256(json.dumps(material, default=str).encode()).hexdigest()[:40]


def _matches(request, tag: str) -> bool:
    sent = request.headers.get("If-None-Match")
    if not sent or sent.strip() == "*":  # "*" asks whether the object exists: only the view knows (a 404, a 200)
        return False
    weak = lambda value: value.removeprefix("W/")  # noqa: E731 (If-None-Match compares weakly, RFC 9110 13.1.2)
    return weak(tag) in {weak(t) for t in parse_etags(sent)}


class ConditionalGet(Operation):
    """A GET operation that answers If-None-Match. The check sits in `_run_checks`, after authentication and before
    the parameters are read and the view runs: the one point of ninja's operation where the user is known and no
    query of the view has run yet. `DondocAPI` gives every GET operation this class when its routers are bound."""

    def _run_checks(self, request):
        error = super()._run_checks(request)
        if error is not None or request.method != "GET":
            return error
        tag = request.dondoc_etag = etag_for(request, self)
        if _matches(request, tag):
            response = HttpResponseNotModified()
            response["ETag"] = tag
            return response
        return None

    def run(self, request, **kw):
        from dondoc.tracking import spans

        with spans.version_read() as request.dondoc_status_version:
            response = super().run(request, **kw)
        tag = getattr(request, "dondoc_etag", None)
        downloaded = response.has_header("Content-Disposition") or "no-store" in response.get("Cache-Control", "")
        if tag and response.status_code == 200 and not downloaded:
            response["ETag"] = tag
        if not response.has_header("Cache-Control"):
            response["Cache-Control"] = CACHE_CONTROL
        patch_vary_headers(response, ("Authorization", "Cookie"))
        return response


def make_conditional(operation: Operation) -> None:
    if "GET" in operation.methods and not isinstance(operation, ConditionalGet):
        assert not isinstance(operation, AsyncOperation), "the API's operations are synchronous"
        operation.__class__ = ConditionalGet
