"""The document header read as printed: number, type, issuer, place, date and title, from letterhead lines,
letterhead tables (Word) and the one-line rows an OCR or a text layer makes of the letterhead's two columns;
working copies whose number or day is blank. Each text below is written for the test."""
import io

import pytest


def _doc(text, **kw):
    from dondoc.parsing import parse
    return parse(text.encode('utf-8'), filename='plan.txt', **kw)['document']


PLAIN = """ỦY BAN NHÂN DÂN
TỈNH LÂM ĐỒNG

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM

Độc lập - Tự do - Hạnh phúc

Số: /KH-UBND

Lâm Đồng, ngày tháng 12 năm 2025

KẾ HOẠCH

Triển khai công tác chuyển đổi số năm 2026

Căn cứ Quyết định số 749/QĐ-TTg ngày 03/6/2020 của Thủ tướng Chính phủ;

I. MỤC ĐÍCH, YÊU CẦU

1. Sở Khoa học và Công nghệ chủ trì triển khai nền tảng số dùng chung.
"""


def test_working_copy_with_blank_number_and_day():
    doc = _doc(PLAIN)
    assert doc['number'] == '/KH-UBND'          # the symbol as printed; the number is written in at signing
    assert doc['date'] == '2025-12'             # ISO 8601 reduced precision: the day is blank
    assert doc['place'] == 'Lâm Đồng'
    assert doc['issuer'] == 'Ủy ban nhân dân tỉnh Lâm Đồng'
    assert doc['type'] == 'KẾ HOẠCH'
    assert doc['title'] == 'Triển khai công tác chuyển đổi số năm 2026'   # its first word kept
    assert [b['number'] for b in doc['based_on']] == ['749/QĐ-TTg']


def test_only_the_year_printed():
    doc = _doc(PLAIN.replace('ngày tháng 12 năm 2025', 'ngày … tháng … năm 2026'))
    assert doc['date'] == '2026'


def test_title_over_two_lines_and_authority_line():
    text = """BỘ VĂN HÓA, THỂ THAO VÀ DU LỊCH

Số: 4012/QĐ-BVHTTDL

Hà Nội, ngày 20 tháng 10 năm 2025

QUYẾT ĐỊNH

VỀ VIỆC BAN HÀNH KẾ HOẠCH THỰC HIỆN CHIẾN LƯỢC PHÁT TRIỂN

CÁC NGÀNH CÔNG NGHIỆP VĂN HÓA

BỘ TRƯỞNG BỘ VĂN HÓA, THỂ THAO VÀ DU LỊCH

Căn cứ Nghị định số 43/2025/NĐ-CP ngày 28/02/2025 của Chính phủ;

QUYẾT ĐỊNH:

Điều 1. Ban hành kèm theo Quyết định này Kế hoạch.
"""
    doc = _doc(text)
    assert doc['title'] == 'VỀ VIỆC BAN HÀNH KẾ HOẠCH THỰC HIỆN CHIẾN LƯỢC PHÁT TRIỂN CÁC NGÀNH CÔNG NGHIỆP VĂN HÓA'
    assert doc['issuer'] == 'Bộ Văn hóa, Thể thao và Du lịch'
    assert (doc['number'], doc['date'], doc['type']) == ('4012/QĐ-BVHTTDL', '2025-10-20', 'QUYẾT ĐỊNH')


def test_ocr_row_with_both_columns_and_misread_digits():
    # a scan read across the two columns of the letterhead; the day "02" read as "Ó2", "KẾ" as "KÉ"
    text = """BỘ CÔNG AN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 5# /KH-BCA-C04 Hà Nội, ngàyÓ2 tháng 10 năm 2025
KÉ HOẠCH
Tổ chức Hội nghị triển khai Chương trình mục tiêu quốc gia
Thực hiện Nghị quyết số 163/2024/QH15 của Quốc hội, Bộ Công an ban hành Kế hoạch như sau:
I. MỤC ĐÍCH, YÊU CẦU
1. Tổ chức quán triệt nội dung Chương trình.
"""
    doc = _doc(text)
    assert doc['issuer'] == 'Bộ Công an'
    assert doc['number'] == '/KH-BCA-C04'       # the handwritten number is not readable
    assert (doc['place'], doc['date']) == ('Hà Nội', '2025-10-02')
    assert doc['type'] == 'KẾ HOẠCH'
    assert doc['title'] == 'Tổ chức Hội nghị triển khai Chương trình mục tiêu quốc gia'


@pytest.mark.parametrize('lines, issuer', [
    (['ỦY BAN MTTQ VIỆT NAM', 'XÃ LƯƠNG SƠN', 'BAN THƯỜNG TRỰC'], 'Ban Thường trực Ủy ban Mặt trận Tổ quốc Việt Nam xã Lương Sơn'),
    (['UBND TỈNH QUẢNG NINH', 'SỞ NỘI VỤ'], 'Sở Nội vụ tỉnh Quảng Ninh'),
    (['BỘ LAO ĐỘNG - THƯƠNG BINH', 'VÀ XÃ HỘI'], 'Bộ Lao động - Thương binh và Xã hội'),
    (['THỦ TƯỚNG CHÍNH PHỦ'], 'Thủ tướng Chính phủ'),
    (['ỦY BAN NHÂN DÂN', 'THÀNH PHỐ HẢI PHÒNG'], 'Ủy ban nhân dân thành phố Hải Phòng'),
])
def test_issuer_from_the_letterhead_lines(lines, issuer):
    from dondoc.parsing.document import _issuer
    assert _issuer(lines) == issuer


def test_letterhead_and_signature_tables_in_word():
    import docx
    from dondoc.parsing import parse
    d = docx.Document()
    t = d.add_table(rows=2, cols=2)
    t.cell(0, 0).text = 'ỦY BAN NHÂN DÂN\nTỈNH NINH BÌNH'
    t.cell(0, 1).text = 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc'
    t.cell(1, 0).text = 'Số: 215/KH-UBND'
    t.cell(1, 1).text = 'Ninh Bình, ngày 09 tháng 5 năm 2025'
    for line in ('KẾ HOẠCH', 'Phát triển du lịch cộng đồng năm 2025', 'I. NHIỆM VỤ',
                 '1. Sở Du lịch chủ trì xây dựng sản phẩm du lịch cộng đồng.'):
        d.add_paragraph(line)
    s = d.add_table(rows=1, cols=2)
    s.cell(0, 0).text = 'Nơi nhận:\n- Bộ Văn hóa, Thể thao và Du lịch;\n- Lưu: VT.'
    s.cell(0, 1).text = 'TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nĐinh Văn Hùng'
    buf = io.BytesIO()
    d.save(buf)
    r = parse(buf.getvalue(), filename='kh.docx', include_text=True)
    doc = r['document']
    assert (doc['number'], doc['date'], doc['place']) == ('215/KH-UBND', '2025-05-09', 'Ninh Bình')
    assert doc['issuer'] == 'Ủy ban nhân dân tỉnh Ninh Bình'
    assert doc['title'] == 'Phát triển du lịch cộng đồng năm 2025'
    assert doc['recipients'] == ['Bộ Văn hóa, Thể thao và Du lịch', 'Lưu: VT.']
    assert doc['signer'] == {'name': 'Đinh Văn Hùng', 'position': 'PHÓ CHỦ TỊCH',
                             'on_behalf_of': 'TM. ỦY BAN NHÂN DÂN, KT. CHỦ TỊCH'}
    assert 'ỦY BAN NHÂN DÂN TỈNH NINH BÌNH CỘNG HÒA' not in r['text']      # cells are not run together
