"""Text as printed: hard-wrapped lines joined into paragraphs, words glued or printed letter by letter by a
PDF text layer repaired by Vietnamese syllable structure, footnotes and page numbers out of the text.

tests/fixtures/parsing/text_dump.txt is a text dump written for these tests in the way a PDF text layer
prints a party committee's plan (no blank lines, ~80 columns, spaces lost after marked letters, one bullet
spaced letter by letter, a page number and a footnote inside a paragraph, a blank number and day, an
e-signature stamp). Expected values are read from it."""
import pytest

from tests.parsing.helpers import PARSING_FIXTURES, ROOT

CORPUS = ROOT / 'tests' / 'parsing' / 'fixtures' / 'corpus'
DUMP = PARSING_FIXTURES / 'text_dump.txt'


@pytest.fixture(scope='module')
def dump():
    from dondoc.parsing import parse
    return parse(DUMP, include_text=True)


def _paras(lines, **kw):
    from dondoc.parsing.normalize import normalize
    return [p.text for p in normalize(lines, **kw).paras]


def test_dump_paragraphs(dump):
    text = dump['text'].splitlines()
    assert text[:7] == ['ĐẢNG BỘ TỈNH LÀO CAI', 'ĐẢNG UỶ XÃ BẢN XÈO', 'Số -KH/ĐU', 'ĐẢNG CỘNG SẢN VIỆT NAM',
                        'Bản Xèo, ngày tháng 4 năm 2026', 'KẾ HOẠCH',
                        'tổ chức hội nghị học tập, quán triệt nghị quyết của Đảng uỷ xã năm 2026']
    assert 'I. MỤC ĐÍCH, YÊU CẦU' in text and 'II. NHIỆM VỤ CỤ THỂ' in text
    assert ('1. Nâng cao nhận thức của cán bộ, đảng viên về nội dung nghị quyết; bảo đảm 100% chi bộ tổ chức học '
            'tập đúng thời gian.') in text
    assert ('- Chủ trì xây dựng tài liệu hỏi đáp về nghị quyết, trình Thường trực Đảng uỷ duyệt trước ngày '
            '15/4/2026.') in text


def test_glued_and_spaced_words(dump):
    text = dump['text'].splitlines()
    assert '- Cơ quan chủ trì: Văn phòng Đảng uỷ.' in text                  # "chủtrì"
    assert '- Tham mưu, hướng dẫn công tác nhân sự cấp xã nhiệm kỳ 2025 - 2030.' in text
    assert 'vụĐảng' not in dump['text'] and 'bộtrực' not in dump['text']


def test_footnote_and_page_number_leave_the_paragraph(dump):
    text = dump['text'].splitlines()
    assert ('3. Các chi bộ trực thuộc tổ chức cho đảng viên đăng ký tham gia học tập trực tuyến trên nền tảng số '
            'của Tỉnh uỷ, bảo đảm đủ thành phần và cập nhật kết quả hằng tháng về Văn phòng Đảng uỷ.') in text
    assert text[-1] == '1 Theo Hướng dẫn số 03-HD/BTGTU ngày 02/02/2026 của Ban Tuyên giáo Tỉnh uỷ về học tập ' \
        'trực tuyến.'
    assert '2' not in text
    assert any('footnote' in w for w in dump['warnings'])


def test_working_copy_header(dump):
    doc = dump['document']
    assert doc['number'] == '-KH/ĐU'                  # printed blank: the symbol only
    assert doc['issuer'] == 'Đảng ủy xã Bản Xèo'      # under its superior "ĐẢNG BỘ TỈNH LÀO CAI"
    assert doc['date'] == '2026-04-21'                # "ngày tháng 4 năm 2026" + the signature's time stamp
    assert doc['signer']['on_behalf_of'] == 'T/M BAN THƯỜNG VỤ'
    assert doc['recipients'] == ['Các chi bộ trực thuộc', 'Lưu Văn phòng Đảng uỷ.']


def test_wrapped_paragraph_short_first_line_and_hyphen():
    lines = ['1. Sở Giáo dục', 'và Đào tạo', '',
             'a) Chủ trì, phối hợp với các sở,', 'ngành xây dựng kế hoạch phát triển kinh tế',
             '- xã hội của địa phương; tổng hợp, báo cáo Ủy ban nhân dân tỉnh theo quy định hiện', 'hành.', '',
             'b) Rà soát, đề xuất sửa đổi các cơ chế, chính sách thực hiện mục tiêu của Chương trình', 'này.', '']
    assert _paras(lines) == [
        '1. Sở Giáo dục và Đào tạo',
        'a) Chủ trì, phối hợp với các sở, ngành xây dựng kế hoạch phát triển kinh tế - xã hội của địa phương; '
        'tổng hợp, báo cáo Ủy ban nhân dân tỉnh theo quy định hiện hành.',
        'b) Rà soát, đề xuất sửa đổi các cơ chế, chính sách thực hiện mục tiêu của Chương trình này.']


def test_unblanked_wrap_breaks_at_items_labels_and_sentence_ends():
    lines = ['II. NỘI DUNG',
             '1. Kiện toàn và hoàn thiện cơ chế chỉ đạo, điều hành phòng thủ dân sự trên địa bàn',
             'toàn tỉnh.',
             '2. Tổ chức tuyên truyền, phổ biến pháp luật về phòng thủ dân sự đến cơ quan,',
             'tổ chức và cộng đồng dân cư.',
             '- Cơ quan chủ trì: Sở Tư pháp;',
             'Sở Văn hóa, Thể thao và Du lịch.',
             '- Thời gian thực hiện: Năm 2026.',
             'Các sở, ban, ngành căn cứ Kế hoạch tổ chức thực hiện nghiêm túc.']
    assert _paras(lines) == [
        'II. NỘI DUNG',
        '1. Kiện toàn và hoàn thiện cơ chế chỉ đạo, điều hành phòng thủ dân sự trên địa bàn toàn tỉnh.',
        '2. Tổ chức tuyên truyền, phổ biến pháp luật về phòng thủ dân sự đến cơ quan, tổ chức và cộng đồng dân cư.',
        '- Cơ quan chủ trì: Sở Tư pháp; Sở Văn hóa, Thể thao và Du lịch.',
        '- Thời gian thực hiện: Năm 2026.',
        'Các sở, ban, ngành căn cứ Kế hoạch tổ chức thực hiện nghiêm túc.']


def test_bold_heading_over_two_lines_and_emphasis_hints():
    from dondoc.parsing.normalize import normalize
    lines = ['**I. MỤC', 'ĐÍCH, YÊU CẦU**', '', '**7. Sở Công Thương:** Chủ trì, phối hợp với các', 'sở xây dựng',
             'kế hoạch.', '', '*Cơ quan chủ trì:* Sở Y tế', '', 'Định kỳ trước **ngày 30 tháng 11 hàng', 'năm **báo cáo.',
             '']
    paras = normalize(lines).paras
    assert [p.text for p in paras] == ['I. MỤC ĐÍCH, YÊU CẦU', '7. Sở Công Thương: Chủ trì, phối hợp với các sở xây '
                                       'dựng kế hoạch.', 'Cơ quan chủ trì: Sở Y tế',
                                       'Định kỳ trước ngày 30 tháng 11 hàng năm báo cáo.']
    heading, lead, label, inside = paras
    assert heading.bold and heading.emph_end == len(heading.text)
    assert lead.bold and lead.emph_end == len('7. Sở Công Thương:')
    assert label.italic and not label.bold and label.emph_end == len('Cơ quan chủ trì:')
    assert not inside.bold and inside.emph_end == 0      # emphasis inside a sentence is not a hint


def test_bold_span_closed_before_a_blank_line():
    # "**1." / "Công an thành phố**" is one heading; the lettered item after the blank line is not part of it
    lines = ['**IV. PHÂN CÔNG', 'NHIỆM VỤ**', '', '**1.', 'Công an thành phố**', '', 'a) Tham mưu tổ chức thực hiện',
             'và giám sát việc thực hiện Chương trình trên địa bàn thành phố; tổng hợp tình', 'hình thực hiện.', '']
    assert _paras(lines) == ['IV. PHÂN CÔNG NHIỆM VỤ', '1. Công an thành phố',
                             'a) Tham mưu tổ chức thực hiện và giám sát việc thực hiện Chương trình trên địa bàn thành '
                             'phố; tổng hợp tình hình thực hiện.']


def test_one_paragraph_per_line_keeps_page_break_rule():
    # lines that are paragraphs (Word, Plan 78): only a long line cut without closing punctuation continues
    long = 'Các sở, ban, ngành tập trung lãnh đạo, chỉ đạo, điều hành thực hiện đạt kết quả cao nhất các mục tiêu ' \
           'của Nghị quyết Đại hội đại biểu'
    lines = ['I. NỘI DUNG', '', long, '', 'Đảng bộ tỉnh lần thứ XVII.', '', '1. Sở Tài chính', '',
             'Tham mưu bố trí kinh phí']
    assert _paras(lines) == ['I. NỘI DUNG', long + ' Đảng bộ tỉnh lần thứ XVII.', '1. Sở Tài chính',
                             'Tham mưu bố trí kinh phí']


# ---------------------------------------------------------------- syllables
def test_syllable_structure():
    from dondoc.parsing.syllables import is_syllable
    for w in ('quốc', 'Đảng', 'ĐẢNG', 'nghiêng', 'khuyến', 'giữa', 'người', 'uỷ', 'xoong', 'y'):
        assert is_syllable(w), w
    for w in ('tướ', 'nh', 'sốquốc', 'Internet', 'UBND', 'Krông', 'chuỷế', 'Data'):
        assert not is_syllable(w), w


def test_glued_words_split_only_into_syllables():
    from dondoc.parsing.syllables import split_glued
    assert split_glued('Tỉnh uỷvềthực hiện chuyển đổi sốquốc gia') == 'Tỉnh uỷ về thực hiện chuyển đổi số quốc gia'
    assert split_glued('Ban Thường vụĐảng uỷ, nhiệm kỳ2026, Chỉ thịsố46-CT/TW') == \
        'Ban Thường vụ Đảng uỷ, nhiệm kỳ 2026, Chỉ thị số 46-CT/TW'
    untouched = 'Internet Mobile-Money Data Đắk Lắk Krông Búk UBND HĐND C04 V01 5G IoT QĐ-TTg Hà^(NC) 239/KHUBND'
    assert split_glued(untouched) == untouched


def test_letters_printed_apart_rejoin_into_syllables():
    from dondoc.parsing.syllables import join_spaced
    assert join_spaced('ỦY B AN NHÂN D Â N T HÀNH P HỐ HỒ C H Í M I NH') == 'ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH'
    assert join_spaced('- Ban hành hoặc r à s o á t sửa đổi') == '- Ban hành hoặc rà soát sửa đổi'
    assert join_spaced('- T h ủ tướ ng C h í nh ph ủ ;') == '- Thủ tướng Chính phủ;'
    assert join_spaced('nhiệm kỳ 2 0 2 6 - 2 0 3 1 .') == 'nhiệm kỳ 2026 - 2031 .'
    # lone letters that are words, labels and codes stay
    for text in ('khám chữa bệnh và y tế dự phòng và tham gia ý kiến ở đó', 'điểm b khoản 1 và mục a',
                 'Lưu: VT, CT, PCT, UBND'):
        assert join_spaced(text) == text


# ---------------------------------------------------------------- corpus documents
def _corpus(name):
    found = sorted((CORPUS / 'docs').glob(name + '*')) if (CORPUS / 'docs').exists() else []
    if not found:
        pytest.skip('corpus fixtures not copied')
    from dondoc.parsing import parse
    return parse(found[0], include_text=True)


def test_corpus_pdf_dump_glue_footnote_and_stamp():
    # 13 (Công Hải party committee): glued words, a footnote wedged in 4.1, "ngày tháng 02 năm 2026" + stamp
    r = _corpus('13_')
    text = r['text']
    assert 'chủtrì' not in text and 'Cơ quan chủ trì' in text
    para = next(x for x in text.splitlines() if x.startswith('4.1. Các cơ quan khối Đảng'))
    assert 'cập nhật dữ liệu thường xuyên về Kho dữ liệu dùng chung' in para and 'Theo Kế hoạch 02-KH/TU' not in para
    assert r['document']['date'] == '2026-02-13'
    assert r['document']['number'] == '-KH/ĐU'


def test_corpus_letter_spaced_bullet():
    # 14: the third bullet of III.5 is printed one letter at a time over five lines
    text = _corpus('14_')['text'].splitlines()
    assert ('- Tham mưu, hướng dẫn công tác nhân sự đại biểu Hội đồng nhân dân cấp xã nhiệm kỳ 2026 - 2031.'
            in text)
