"""A page read (GET, HEAD) reads the status version once, whatever number of memoised results it shows (the work
list, the menu's overdue count, the figures): spans.version_read. Writes are left out: a request that changes a status
and then shows a figure must read the version after its change."""

from __future__ import annotations

from . import spans

SAFE = ("GET", "HEAD")


class StatusVersionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in SAFE:
            return self.get_response(request)
        with spans.version_read():
            return self.get_response(request)
