"""Plan 78 drawn on A4 images with a Vietnamese font, saved as a PDF without a text layer, then OCR'd:
tasks and leads within 0.05 of the text version. Needs Tesseract with `vie` (installed in CI). Blank pages
are skipped before Tesseract; the corpus scan (25) is read from its copy in tests/parsing/fixtures."""
import os
import shutil
from pathlib import Path

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


def _page(lines=(), border=True, specks=0):
    """An A4 greyscale page at 100 dpi: scanner edges and bleed-through specks, and printed lines."""
    import random

    from PIL import Image, ImageDraw, ImageFont
    w, h = 827, 1169
    page = Image.new('L', (w, h), 245)
    draw = ImageDraw.Draw(page)
    if border:
        draw.rectangle((0, 0, w - 1, 18), fill=40)            # the dark edge a scanner leaves
        draw.rectangle((0, 0, 14, h - 1), fill=40)
    rnd = random.Random(7)
    for _ in range(specks):
        x, y = rnd.randrange(80, w - 80), rnd.randrange(80, h - 80)
        draw.point((x, y), fill=rnd.randrange(60, 200))
    if lines:
        font = ImageFont.truetype(FONT, 16) if os.path.exists(FONT) else None
        for k, text in enumerate(lines):
            draw.text((90, 120 + 30 * k), text, fill=0, font=font)
    return page


def test_blank_back_pages_are_recognised_from_the_image():
    from dondoc.parsing.ocr import is_blank
    assert is_blank(_page())
    assert is_blank(_page(specks=300))                        # bleed-through, dust
    assert not is_blank(_page(['Nơi nhận:', '- Như trên;', '- Lưu: VT.']))   # a short last page
    assert not is_blank(_page(['KT. CHỦ TỊCH']))


def test_specks_at_line_ends_are_dropped_but_references_kept():
    from dondoc.parsing.ocr import _clean_page
    assert _clean_page('3. Công an các địa phương h\n-_~ Đại diện lãnh đạo\nthực hiện Kế hoạch này./.⁄£\ntại điểm b') \
        == '3. Công an các địa phương\n- Đại diện lãnh đạo\nthực hiện Kế hoạch này./.\ntại điểm b'


def test_superscript_enumerators_read_as_symbols_are_numbered_again():
    from dondoc.parsing.ocr import renumber
    text = ("1. C04: ® Chủ trì chuẩn bị nội dung Hội nghị; ®' Phối hợp với V01 đón tiếp đại biểu; f) Gửi giấy mời; "
            "'® Chủ trì thanh quyết toán.")
    assert renumber(text) == ('1. C04: (1) Chủ trì chuẩn bị nội dung Hội nghị; (2) Phối hợp với V01 đón tiếp đại '
                              'biểu; (3) Gửi giấy mời; (4) Chủ trì thanh quyết toán.')
    letters = 'Nhiệm vụ: a) Rà soát; b) Báo cáo; c) Tổng hợp.'
    assert renumber(letters) == letters                       # a true letter list is left alone
    assert renumber('Giá trị 5% ® đã đăng ký.') == 'Giá trị 5% ® đã đăng ký.'


CORPUS_SCAN = Path(__file__).resolve().parent / 'fixtures' / 'corpus' / 'bin' / '25_bca-589-kh-c04-hoi-nghi-ctmtqg-2025.pdf'


@needs_ocr
@pytest.mark.skipif(not CORPUS_SCAN.exists(), reason='corpus fixtures not copied')
def test_corpus_scan_with_blank_back_pages():
    # 25: 8 scanned pages, every other one the blank back of a sheet; a small digital stamp text layer
    from dondoc.parsing import parse
    r = parse(CORPUS_SCAN, include_text=True)
    assert '4 blank page(s) skipped' in r['warnings']
    doc = r['document']
    assert doc['issuer'] == 'Bộ Công an' and doc['date'] == '2025-10-02'
    assert doc['number'].endswith('/KH-BCA-C04')
    text = r['text'].splitlines()
    assert 'IV. PHÂN CÔNG NHIỆM VỤ' in text
    c04 = next(x for x in text if x.startswith('1. C04:'))
    assert '(1) Chủ trì, phối hợp với V01' in c04 and '(2) ' in c04
    # the last page, whose seal sits over the text, is read again as one block when layout analysis loses it
    assert 'VI. TÔ CHỨC THỰC HIỆN' in text or 'VI. TỔ CHỨC THỰC HIỆN' in text
    assert any(x.startswith('2. Giao C04 ') for x in text)
    assert '3. Công an các địa phương' in text          # a speck read as "h" after it is dropped
