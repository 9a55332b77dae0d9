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


# ---------------------------------------------------------------- real Word plans (corpus copies)
from tests.parsing.helpers import ROOT  # noqa: E402

CORPUS_BIN = ROOT / 'tests' / 'parsing' / 'fixtures' / 'corpus' / 'bin'


def _corpus(prefix):
    found = sorted(CORPUS_BIN.glob(prefix + '*')) if CORPUS_BIN.exists() else []
    if not found:
        pytest.skip('corpus fixtures not copied')
    from dondoc.parsing import parse
    return parse(found[0], include_text=True)


def test_corpus_automatic_numbering_and_working_copy_header():
    # 21 (Lâm Đồng): area headings "1." .. "7." and items "a)" exist only in numbering.xml (numId 39, 2, 31)
    r = _corpus('21_')
    text = r['text'].splitlines()
    for line in ('1. Cải cách thể chế', '7. Công tác chỉ đạo, điều hành', 'a) Mục tiêu', 'b) Nhiệm vụ'):
        assert line in text, line
    doc = r['document']
    assert (doc['number'], doc['date']) == ('/KH-UBND', '2025-12')      # "Số: /KH-UBND", "ngày tháng 12 năm 2025"
    assert doc['issuer'] == 'Ủy ban nhân dân tỉnh Lâm Đồng'
    assert doc['title'] == 'Cải cách hành chính nhà nước năm 2026 tỉnh Lâm Đồng'


def test_corpus_schedule_table_cells_broken_over_lines():
    # 22: "Trách nhiệm thực hiện" cells print "Lãnh đạo" / "Sở Giáo dục và Đào tạo" on two lines
    text = _corpus('22_')['text'].splitlines()
    assert '- Cơ quan chủ trì: Lãnh đạo Sở Giáo dục và Đào tạo' in text
    assert '- Thời gian hoàn thành: Từ 20 giờ 15 phút - 20 giờ 45 phút ngày 13 tháng 3' in text


def test_corpus_footnote_and_year_only_date():
    # 26: one footnote (footnotes.xml), "ngày … tháng … năm 2026"
    r = _corpus('26_')
    assert r['text'].splitlines()[-1].startswith('[1] Theo Quyết định: Thống nhất áp dụng Quyết định số 01/2025/QĐ-UBND')
    assert r['document']['date'] == '2026'
    assert r['document']['signer']['name'] == 'Nguyễn Ngọc Phúc'


def test_corpus_bullets_in_heading_styles_stay_bullets():
    # 28: some dash bullets carry a heading style; the text is read as printed, styles decide nothing
    text = _corpus('28_')['text'].splitlines()
    assert any(x.startswith('- Bộ Chỉ huy quân sự tỉnh tham mưu triển khai thực hiện các nội dung') for x in text)
    k = text.index('10. Ủy ban nhân dân các xã, phường, đặc khu')
    assert text[k + 1].startswith('- Xây dựng Kế hoạch tổ chức triển khai thực hiện toàn diện')


@pytest.mark.skipif(not __import__('shutil').which('soffice'), reason='LibreOffice (soffice) is not installed')
def test_corpus_legacy_doc_through_libreoffice():
    # 23: Word 97-2003; letterhead and signature are tables
    r = _corpus('23_')
    doc = r['document']
    assert (doc['number'], doc['date'], doc['issuer']) == ('/KH-UBND', '2026-03', 'Ủy ban nhân dân tỉnh Lâm Đồng')
    assert doc['title'].startswith('Tăng cường công tác đấu tranh phòng, chống ma túy')
    assert doc['signer']['name'] == 'Nguyễn Minh'
