"""Typed fields of API bodies and queries: integers within the bounds of core/params.py, days as YYYY-MM-DD, moments
in ISO 8601."""

import datetime as dt
import re
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, Field

from dondoc.core.params import MAX_ID

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Version = Annotated[int, Field(ge=0, le=MAX_ID)]


def _iso_day(value):
    # pydantic also reads 0 or "1700000000" as a date (seconds since 1970): a day is written YYYY-MM-DD.
    if isinstance(value, str) and not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        raise ValueError("phải là ngày dạng YYYY-MM-DD")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise ValueError("phải là ngày dạng YYYY-MM-DD")
    return value


Day = Annotated[dt.date, BeforeValidator(_iso_day)]


def _iso_moment(value):
    # As for a day: pydantic would read a number as seconds since 1970; a moment is written in ISO 8601.
    if not isinstance(value, (str, dt.datetime)) or (isinstance(value, str) and not re.match(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value)):
        raise ValueError("phải là thời điểm theo ISO 8601, ví dụ 2024-10-05T08:30:00+07:00")
    return value


def _local(value: dt.datetime) -> dt.datetime:
    # A moment written without its offset is read in the province's time (Asia/Ho_Chi_Minh).
    from dondoc.tracking.status import LOCAL_TZ

    value = value.replace(tzinfo=LOCAL_TZ) if value.tzinfo is None else value
    try:  # in UTC: PostgreSQL refuses offsets past ±15:59, which ISO 8601 allows up to ±23:59
        return value.astimezone(dt.timezone.utc)
    except OverflowError:
        raise ValueError("nằm ngoài khoảng thời gian cho phép")


Moment = Annotated[dt.datetime, BeforeValidator(_iso_moment), AfterValidator(_local)]


def json_object(request) -> dict:
    """The JSON body as sent, which must be an object: a list or a scalar is refused (400) rather than read as an
    empty object whose fields the schema's defaults would fill in."""
    import json

    from ninja.errors import HttpError

    try:
        raw = json.loads(request.body or b"{}")
    except ValueError:
        raw = None
    if not isinstance(raw, dict):
        raise HttpError(400, "Dữ liệu không hợp lệ: cần một đối tượng JSON.")
    return raw
