import pytest

pytestmark = pytest.mark.nodb


def test_uploaded_workbooks_are_parsed_through_defusedxml():
    """openpyxl only guards against XML entity attacks when defusedxml is installed (it is a dependency)."""
    from openpyxl.xml import DEFUSEDXML

    assert DEFUSEDXML is True
