"""The caller's own API tokens: listed, made (the token is shown once) and revoked by their owner (issue 17);
an administrator revokes anyone's in the admin, and `dondoc token` does the same on the command line."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status as HttpStatus

from dondoc.accounts import actions

from .errors import run
from .etag import varies_with
from .pagination import Page, Paging, paginate
from .params import json_object

router = Router(tags=["Token API"])


class ApiTokenOut(Schema):
    id: int
    name: str
    prefix: str = Field(description="Phần đầu của token, để nhận ra nó")
    created_at: dt.datetime
    last_used_at: dt.datetime | None


class ApiTokenIn(Schema):
    name: str = Field("", max_length=100, description="Tên để nhận ra token (ví dụ: Trung tâm điều hành IOC)")


class ApiTokenCreated(ApiTokenOut):
    token: str = Field(description="Token; chỉ trả về một lần, không xem lại được")


def _out(t) -> dict:
    return {"id": t.pk, "name": t.name, "prefix": t.prefix, "created_at": t.created_at, "last_used_at": t.last_used_at}


def _last_used(request):
    # Authentication touches a token's last use (once a minute) with no audit event; a use only ever moves a token's
    # time on, so the latest of them changes whenever one does.
    from django.db.models import F

    live = actions.active_tokens(request.user)
    return [live.order_by(F("last_used_at").desc(nulls_last=True)).values("last_used_at")[:1]]


@router.get("/me/api-tokens", response=Page[ApiTokenOut], summary="Token API đang dùng của tôi")
@varies_with(_last_used)
def list_api_tokens(request, paging: Query[Paging]):
    found = paginate(actions.active_tokens(request.user).order_by("-created_at", "-pk"), paging)
    return {"count": found["count"], "items": [_out(t) for t in found["items"]]}


@router.post("/me/api-tokens", response={201: ApiTokenCreated}, summary="Tạo token API (token chỉ hiện một lần)")
def create_api_token(request, body: ApiTokenIn):
    json_object(request)  # an object, not a list the schema's default name would fill in
    token, raw = run(actions.do_create_token, request.user, name=body.name, actor=request.user, request=request)
    return HttpStatus(201, {**_out(token), "token": raw})


@router.delete("/me/api-tokens/{int:token_id}", response={204: None}, summary="Thu hồi token API của tôi")
def revoke_api_token(request, token_id: int):
    token = actions.active_tokens(request.user).filter(pk=token_id).first()
    if token is None:
        raise HttpError(404, "Không tìm thấy.")
    run(actions.do_revoke_token, token, actor=request.user, request=request)
    return HttpStatus(204, None)
