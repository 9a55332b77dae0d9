import pytest

pytestmark = pytest.mark.nodb


def test_uploaded_workbooks_are_parsed_through_defusedxml():
    """openpyxl only guards against XML entity attacks when defusedxml is installed (it is a dependency)."""
    from openpyxl.xml import DEFUSEDXML

    assert DEFUSEDXML is True


def _bomb(kind_member: str) -> bytes:
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr(kind_member, b"\0" * (60 * 1024 * 1024))  # 60 MB of zeros compress to ~60 KB
    return buf.getvalue()


def test_zip_bombs_are_refused_before_they_are_inflated():
    from dondoc.parsing import ParseError, parse

    for name, member in (("x.docx", "word/document.xml"), ("x.xlsx", "xl/workbook.xml")):
        data = _bomb(member)
        assert len(data) < 1024 * 1024
        with pytest.raises(ParseError, match="zip bomb"):
            parse(data, filename=name)


def test_task_sheet_reader_refuses_a_zip_bomb_with_its_usual_message():
    from dondoc.plans.excel import read_task_sheet

    result = read_task_sheet(_bomb("xl/workbook.xml"))
    assert not result.readable and "Excel" in str(result.errors[0])
