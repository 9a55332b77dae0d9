"""Fixtures for the report tests: the tracking fixtures (a small published plan, Sở Y tế leading 1.1#1 with Sở Tài
chính as partner, and `people`), the dashboard's hand-counted `figures_plan`, and helpers to open real files."""

import datetime as dt
import io

import pytest

from tests.dashboard.conftest import figures_plan, figures_structure  # noqa: F401  (fixtures)
from tests.tracking.conftest import lead, partner, people, plan, today  # noqa: F401  (fixtures)


@pytest.fixture
def day(settings):
    """Move the demo clock: day(2024, 12, 11)."""
    def move(*args):
        settings.DEMO_TODAY = dt.date(*args)
        return settings.DEMO_TODAY
    return move


def open_docx(content: bytes):
    import docx

    return docx.Document(io.BytesIO(content))


def open_xlsx(content: bytes):
    from openpyxl import load_workbook

    return load_workbook(io.BytesIO(content))
