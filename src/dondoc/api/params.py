"""Integer fields of API bodies and queries: the bounds of core/params.py (ASCII digits, within bigint)."""

from typing import Annotated

from pydantic import Field

from dondoc.core.params import MAX_ID

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Version = Annotated[int, Field(ge=0, le=MAX_ID)]
