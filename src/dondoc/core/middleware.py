"""Input no view should ever see: refused once, here, for every page and API call.

- NUL bytes (PostgreSQL cannot store them in text: DataError, a 500) and lone UTF-16 surrogates (no encoding can
  write them: a 500 on either database) in the query string, a form or a JSON body: 400 with a message.
- A number in the URL beyond what the database stores (`/ke-hoach/99999999999999999999/`) names nothing: 404.
"""

from __future__ import annotations

import json
import re

from django.http import Http404, JsonResponse
from django.shortcuts import render

from .params import MAX_ID

_BAD = re.compile("[\x00\ud800-\udfff]")
MESSAGE = ("Dữ liệu gửi lên chứa ký tự không hợp lệ (ký tự NUL hoặc ký tự đại diện UTF-16 đơn lẻ); hãy bỏ ký tự đó "
           "rồi gửi lại.")


def _bad_json(value) -> bool:
    if isinstance(value, str):
        return bool(_BAD.search(value))
    if isinstance(value, dict):
        return any(_bad_json(k) or _bad_json(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_bad_json(v) for v in value)
    return False


def _bad_pairs(data) -> bool:
    return any(_BAD.search(key) or any(_BAD.search(v) for v in values if isinstance(v, str))
               for key, values in data.lists())


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


class InputGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._bad(request):
            if _is_api(request):
                return JsonResponse({"detail": MESSAGE}, status=400)
            return render(request, "errors/400.html", {"message": MESSAGE}, status=400)
        return self.get_response(request)

    @staticmethod
    def _bad(request) -> bool:
        if _bad_pairs(request.GET):
            return True
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return False
        content_type = request.content_type or ""
        if content_type == "application/json" or content_type.endswith("+json"):
            try:
                return _bad_json(json.loads(request.body or b"null"))
            except (ValueError, UnicodeDecodeError):
                return False  # the view answers malformed JSON itself
        if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            return _bad_pairs(request.POST)
        return False

    def process_view(self, request, view_func, view_args, view_kwargs):
        if any(isinstance(v, int) and not 0 <= v <= MAX_ID for v in view_kwargs.values()):
            if _is_api(request):
                return JsonResponse({"detail": "Không tìm thấy."}, status=404)
            raise Http404
        return None
