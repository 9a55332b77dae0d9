"""Plan 78 drawn on A4 images with a Vietnamese font, saved as a PDF without a text layer, then OCR'd:
tasks and leads within 0.05 of the text version. Needs Tesseract with `vie` (installed in CI)."""
import os
import shutil

import pytest

from tests.parsing.builders import FONT, images_to_pdf, text_to_page_images
from tests.parsing.helpers import PLAN78_SOURCE, gold
from tests.parsing.plan_score import score


def _ocr_ready():
    from dondoc.parsing.ocr import tesseract_available
    return tesseract_available() and shutil.which('pdftoppm') and os.path.exists(FONT)


needs_ocr = pytest.mark.skipif(not _ocr_ready(), reason='Tesseract with "vie", pdftoppm (poppler-utils) or the DejaVu '
                                                         'font (fonts-dejavu-core) is not installed')


@pytest.fixture(scope='module')
def scanned_pdf():
    pages = text_to_page_images(PLAN78_SOURCE.read_text(encoding='utf-8'))
    return images_to_pdf(pages)


@pytest.mark.skipif(not os.path.exists(FONT), reason='the DejaVu font (fonts-dejavu-core) is not installed')
def test_the_scan_has_no_text_layer(scanned_pdf):
    import io

    from pypdf import PdfReader
    reader = PdfReader(io.BytesIO(scanned_pdf))
    assert len(reader.pages) > 5
    assert not any((p.extract_text() or '').strip() for p in reader.pages)


@needs_ocr
def test_the_scanned_pdf_scores_within_005_of_the_text_version(scanned_pdf, plan78_text_result):
    from dondoc.parsing import parse
    messages = []
    result = parse(scanned_pdf, filename='scan.pdf', progress=messages.append)
    assert messages and messages[-1].startswith('OCR page')
    g = gold()
    f_scan, _, counts = score(result, g)
    f_text, _, _ = score(plan78_text_result, g)
    for field in ('tasks', 'leads'):
        assert f_scan[field] >= f_text[field] - 0.05, (field, counts)
    assert any('OCR' in w for w in result['warnings'])


@needs_ocr
def test_a_photographed_page_png_is_read():
    import io

    from dondoc.parsing import parse
    from tests.parsing.helpers import PARSING_FIXTURES
    text = (PARSING_FIXTURES / 'inline_prose.txt').read_text(encoding='utf-8')
    page = text_to_page_images(text, dpi=200)[0]
    buf = io.BytesIO()
    page.save(buf, format='PNG')
    r = parse(buf.getvalue(), filename='trang1.png')
    assert r['document']['number'] == '42/KH-UBND'
    assert [b['lead'] for b in r['assignments']][:3] == [['Công an xã'], ['Công an xã'], ['Trạm Y tế xã']]
