"""Plan 78 as a .docx with real Word automatic numbering scores like the text version."""
import pytest

from tests.parsing.builders import text_to_docx
from tests.parsing.helpers import PLAN78_SOURCE, gold
from tests.parsing.plan_score import score


@pytest.fixture(scope='module')
def docx_bytes():
    return text_to_docx(PLAN78_SOURCE.read_text(encoding='utf-8'))


def test_the_docx_has_no_printed_numbers(docx_bytes):
    import io

    import docx
    paras = [p.text for p in docx.Document(io.BytesIO(docx_bytes)).paragraphs]
    assert 'Sở Kế hoạch và Đầu tư' in paras          # "1.2." only in numbering.xml
    assert not any(p.startswith(('1.2.', 'II.')) for p in paras)


def test_it_scores_within_005_of_the_text_version(docx_bytes, plan78_text_result):
    from dondoc.parsing import parse
    result = parse(docx_bytes, filename='ke-hoach-78.docx')
    g = gold()
    f_docx, _, counts = score(result, g)
    f_text, _, _ = score(plan78_text_result, g)
    for field in ('tasks', 'leads', 'blocks'):
        assert f_docx[field] >= f_text[field] - 0.05, (field, counts)


def test_numbering_is_rendered_as_printed(docx_bytes):
    from dondoc.parsing import parse
    refs = [b['ref'] for b in parse(docx_bytes, filename='x.docx')['assignments']]
    assert refs[:3] == ['1.1', '1.2', '1.3']
    assert '2.1.1' in refs and '4.1.7' in refs and refs[-1] == 'III.2'
