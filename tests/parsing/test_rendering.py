"""Web renderings of plans (the thuvienphapluat.vn family): site text removed, tables flattened one cell per
line and markdown pipe tables rebuilt, the letterhead and signature read as printed.

The fixtures are written for these tests (tests/fixtures/parsing/rendering_*.txt); the expected values
below are read from them. Corpus documents copied into tests/parsing/fixtures/corpus are checked where
they show the same layouts in real plans."""
import pytest

from tests.parsing.helpers import PARSING_FIXTURES, ROOT

CORPUS = ROOT / 'tests' / 'parsing' / 'fixtures' / 'corpus'
FLAT = PARSING_FIXTURES / 'rendering_flattened.txt'
MARKDOWN = PARSING_FIXTURES / 'rendering_markdown.txt'


def _lines(path):
    """The paragraphs of the normalised text, and what extraction returned."""
    from dondoc.parsing.extract import extract
    from dondoc.parsing.normalize import normalize
    ex = extract(path)
    return [p.text for p in normalize(ex.lines, wrapped=ex.wrapped, pages=ex.pages, hints=ex.hints).paras], ex


def _text(path):
    from dondoc.parsing import parse
    return parse(path, include_text=True)


# ---------------------------------------------------------------- flattened tables (own fixture)
def test_site_banner_metadata_and_footer_are_removed():
    lines, ex = _lines(FLAT)
    text = '\n'.join(lines)
    for site in ('Bản dịch này thuộc quyền sở hữu', 'Đang tải văn bản', 'Số hiệu', 'Loại văn bản', 'Tình trạng',
                 'Văn bản liên quan', 'Văn bản này chưa cập nhật', 'Cảm ơn đã dùng', 'Kế hoạch 57/KH-UBND năm 2025'):
        assert site not in text, site
    assert any('web page' in w for w in ex.warnings)
    assert not any(x.strip() == '|' for x in ex.lines)      # no cell separator is left as text


def test_letterhead_table_becomes_the_printed_lines():
    r = _text(FLAT)
    assert r['text'].splitlines()[:6] == ['ỦY BAN NHÂN DÂN', 'TỈNH HÒA BÌNH', 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
                                          'Độc lập - Tự do - Hạnh phúc', 'Số: 57/KH-UBND',
                                          'Hòa Bình, ngày 14 tháng 3 năm 2025']
    doc = r['document']
    assert doc['number'] == '57/KH-UBND'
    assert doc['issuer'] == 'Ủy ban nhân dân tỉnh Hòa Bình'
    assert (doc['place'], doc['date']) == ('Hòa Bình', '2025-03-14')
    assert doc['title'] == 'PHÁT TRIỂN THƯ VIỆN SỐ TRÊN ĐỊA BÀN TỈNH HÒA BÌNH NĂM 2025'


def test_signature_table_gives_recipients_and_signer():
    doc = _text(FLAT)['document']
    assert doc['recipients'] == ['Bộ Văn hóa, Thể thao và Du lịch', 'Thường trực Tỉnh ủy',
                                 'Các sở, ban, ngành tỉnh, UBND các huyện, thành phố', 'Lưu: VT, KGVX.']
    assert doc['signer']['name'] == 'Trần Văn Bình'
    assert doc['signer']['position'] == 'PHÓ CHỦ TỊCH'


def test_task_table_rows_become_labelled_lines():
    lines, _ = _lines(FLAT)
    start = lines.index('I. SỐ HÓA TÀI LIỆU')
    assert lines[start:start + 15] == [
        'I. SỐ HÓA TÀI LIỆU',
        '1. Số hóa sách, báo địa chí và tài liệu quý hiếm của Thư viện tỉnh',
        '- Cơ quan chủ trì: Sở Văn hóa, Thể thao và Du lịch',
        '- Cơ quan phối hợp: Sở Khoa học và Công nghệ; UBND các huyện, thành phố',
        '- Thời gian hoàn thành: Quý III/2025',
        # the coordinating cell is empty: no label, and the next cell is not shifted into it
        '2. Xây dựng cơ sở dữ liệu thư mục dùng chung',
        '- Cơ quan chủ trì: Sở Văn hóa, Thể thao và Du lịch',
        '- Thời gian hoàn thành: Thường xuyên',
        '…',                                                   # the rendering left rows out here
        '5. Tập huấn kỹ năng số cho người làm công tác thư viện',
        '- Cơ quan chủ trì: Sở Nội vụ',
        '- Cơ quan phối hợp: Sở Văn hóa, Thể thao và Du lịch',
        '- Thời gian hoàn thành: Tháng 10/2025',
        # second piece of the table: its group row, then its header repeated without the STT cell
        'II. HẠ TẦNG',
        '1. Nâng cấp đường truyền cho thư viện cấp huyện',
    ]
    assert '- Cơ quan chủ trì: Sở Khoa học và Công nghệ' == lines[start + 15]
    assert not any(x.startswith(('Nội dung/nhiệm vụ', 'TT ')) for x in lines)


def test_task_table_rows_are_blocks_under_their_group():
    r = _text(FLAT)
    rows = {b['tasks'][0]['text']: b for b in r['assignments'] if b['ref'].startswith('PL')}
    row = rows['Số hóa sách, báo địa chí và tài liệu quý hiếm của Thư viện tỉnh']
    assert row['lead'] == ['Sở Văn hóa, Thể thao và Du lịch']
    assert row['tasks'][0]['deadline']['text'] == 'Quý III/2025'
    assert rows['Nâng cấp đường truyền cho thư viện cấp huyện']['lead'] == ['Sở Khoa học và Công nghệ']
    assert {s['ref'] for s in r['sections']} >= {'PL.I', 'PL.II'}


def test_wrapped_paragraphs_and_bold_headings():
    from dondoc.parsing.extract import extract
    from dondoc.parsing.normalize import normalize
    ex = extract(FLAT)
    paras = {p.text: p for p in normalize(ex.lines, wrapped=ex.wrapped, pages=ex.pages, hints=ex.hints).paras}
    # headings split over two lines inside one bold span, and a short first line of a paragraph
    assert paras['I. MỤC ĐÍCH, YÊU CẦU'].bold
    assert paras['1. Sở Văn hóa, Thể thao và Du lịch'].bold
    assert paras['1. Sở Văn hóa, Thể thao và Du lịch'].emph_end == len('1. Sở Văn hóa, Thể thao và Du lịch')
    assert ('- Chủ trì, phối hợp với Sở Tài chính xây dựng dự toán kinh phí số hóa tài liệu, trình Ủy ban nhân dân '
            'tỉnh trước ngày 30/6/2025.') in paras
    # a bold lead before the text: the hint says where it ends
    lead = paras['2. Sở Khoa học và Công nghệ: Hướng dẫn các thư viện kết nối với nền tảng dùng chung của tỉnh.']
    assert lead.bold and lead.emph_end == len('2. Sở Khoa học và Công nghệ:')
    assert not paras['- Cơ quan chủ trì: Sở Nội vụ'].bold
    # the header never runs into the body
    assert 'KẾ HOẠCH' in paras and 'Thực hiện Quyết định số 206/QĐ-TTg ngày 11/02/2021 của Thủ tướng Chính phủ ' \
        'phê duyệt Chương trình chuyển đổi số ngành thư viện, Ủy ban nhân dân tỉnh ban hành Kế hoạch như sau:' in paras


# ---------------------------------------------------------------- markdown pipe tables (own fixture)
def test_markdown_letterhead_with_letters_printed_apart():
    r = _text(MARKDOWN)
    doc = r['document']
    assert doc['number'] == '88/QĐ-UBND'                    # "88/QĐ - U B ND" as printed
    assert doc['issuer'] == 'Ủy ban nhân dân tỉnh Phú Thọ'   # "ỦY B AN NHÂN D Â N T ỈNH P HÚ T HỌ"
    assert (doc['place'], doc['date']) == ('Phú Thọ', '2015-02-05')
    assert doc['title'] == 'VỀ VIỆC BAN HÀNH KẾ HOẠCH PHÁT TRIỂN THƯ VIỆN SỐ NĂM 2015'
    assert doc['type'] == 'QUYẾT ĐỊNH'
    assert 'Kế hoạch phát triển thư viện số' not in r['text'].splitlines()    # the site's page heading
    assert 'thuvienphapluat' not in r['text']


def test_markdown_signature_cell_printed_on_one_line():
    doc = _text(MARKDOWN)['document']
    assert doc['recipients'] == ['Như Điều 2', 'Bộ Văn hóa, Thể thao và Du lịch', 'Lưu: VT, VX.']
    assert doc['signer'] == {'name': 'Nguyễn Văn An', 'position': 'PHÓ CHỦ TỊCH', 'on_behalf_of': 'KT. CHỦ TỊCH'}


def test_markdown_task_table():
    lines, _ = _lines(MARKDOWN)
    k = lines.index('1. Số hóa tài liệu địa chí')
    assert lines[k:k + 6] == ['1. Số hóa tài liệu địa chí', '- Cơ quan chủ trì: Thư viện tỉnh',
                              '- Thời gian hoàn thành: Quý II/2015', '2. Tập huấn cán bộ thư viện cấp huyện',
                              '- Cơ quan chủ trì: Sở Văn hóa, Thể thao và Du lịch',
                              '- Thời gian hoàn thành: Tháng 9/2015']


# ---------------------------------------------------------------- the rules on small pieces
def test_rows_of_a_flattened_table():
    from dondoc.parsing.rendering import split_regions
    lines = ['|', 'STT', '|', 'Nội dung', '|', 'Cơ quan chủ trì', '|', 'Thời gian', '|',
             '|', 'I', '|', 'NHÓM MỘT', '|',              # a group row: two cells
             '|', '1', '|', 'Việc một', '|', 'Sở A', '|', '|',   # its last cell empty
             '|', '2', '|', 'Việc hai', '|', '|', 'Năm 2025', '|']  # its third cell empty
    (kind, table), = list(split_regions(lines))
    assert kind == 'table'
    assert [[' '.join(c) for c in r] for r in table.rows] == [
        ['STT', 'Nội dung', 'Cơ quan chủ trì', 'Thời gian'], ['I', 'NHÓM MỘT'],
        ['1', 'Việc một', 'Sở A', ''], ['2', 'Việc hai', '', 'Năm 2025']]


def test_text_after_a_table_without_blank_line_is_not_a_cell():
    from dondoc.parsing.rendering import split_regions
    body = ['Dòng thân văn bản số %d không thuộc bảng nào cả.' % k for k in range(45)]
    lines = ['|', 'Số: 12/KH-UBND', '|', 'Hà Nội, ngày 01 tháng 02 năm 2025', '|', '**KẾ HOẠCH**'] + body
    regions = list(split_regions(lines))
    assert regions[0][0] == 'table'
    assert [x for k, x in regions[1:]] == ['**KẾ HOẠCH**'] + body


def test_column_words_are_one_list():
    from dondoc.parsing.tables import COLUMNS, header_role
    assert header_role('Đơn vị thực hiện') == 'lead'
    assert header_role('Trách nhiệm thực hiện') == 'lead'
    assert header_role('Chủ trì thực hiện') == 'lead'
    assert header_role('Phối hợp thực hiện') == 'coord'
    assert header_role('Thời gian (Năm 2026)') == 'time'
    assert header_role('Tên nhiệm vụ') == 'content'
    assert header_role('Nội dung/nhiệm vụ') == 'content'
    assert header_role('Theo dõi, kiểm tra, đôn đốc') == 'monitor'
    assert header_role('Sở Tài chính') is None
    assert set(COLUMNS) >= {'lead', 'coord', 'time', 'content', 'no'}


def test_two_tasks_in_one_cell_and_a_title_row_merged_across():
    from dondoc.parsing.tables import table_lines
    rows = [['STT', 'Nội dung', 'Cơ quan chủ trì', 'Thời hạn'],
            ['I. TUYÊN TRUYỀN', '', '', ''],                       # a title row merged over the columns
            ['1', '- Rà soát tài liệu tuyên truyền;\n- Phát hành tờ gấp', 'Sở Tư pháp', 'Quý I/2025']]
    assert table_lines(rows) == ['I. TUYÊN TRUYỀN', '1. Rà soát tài liệu tuyên truyền; Phát hành tờ gấp',
                                 '- Cơ quan chủ trì: Sở Tư pháp', '- Thời gian hoàn thành: Quý I/2025']


def test_agencies_on_lines_of_a_word_cell():
    from dondoc.parsing.tables import table_lines
    rows = [['TT', 'Nội dung', 'Trách nhiệm\nthực hiện', 'Thời gian'],
            ['1', 'Giải đáp kiến nghị', 'Lãnh đạo\nSở Y tế', 'Tháng 3'],
            ['2', 'Tuyên truyền', 'Sở Nội vụ\nSở Tư pháp', 'Tháng 4']]
    lines = table_lines(rows)
    assert '- Cơ quan chủ trì: Lãnh đạo Sở Y tế' in lines       # a role word cannot end a name
    assert '- Cơ quan chủ trì: Sở Nội vụ; Sở Tư pháp' in lines   # two names on two lines


# ---------------------------------------------------------------- corpus documents (real plans)
def _corpus(name):
    path = next((CORPUS / 'docs').glob(name + '*')) if (CORPUS / 'docs').exists() else None
    if path is None:
        pytest.skip('corpus fixtures not copied')
    return path


def test_corpus_appendix_table_rows():
    # 02 (Hà Nội): TT / Nội dung/nhiệm vụ / Cơ quan chủ trì / Cơ quan phối hợp / Thời gian thực hiện
    lines, _ = _lines(_corpus('02_'))
    k = lines.index('1. Tổ chức điều chỉnh, bổ sung quy hoạch hạ tầng viễn thông trong các khu công nghệ cao và khu '
                    'công nghiệp đến năm 2030')
    assert lines[k + 1:k + 4] == ['- Cơ quan chủ trì: Ban Quản lý các khu công nghệ cao và khu công nghiệp',
                                  '- Cơ quan phối hợp: Sở Khoa học và Công nghệ Sở Công Thương; UBND các phường, xã',
                                  '- Thời gian hoàn thành: Quý III Năm 2026']
    assert '- Thời gian hoàn thành: Hàng năm' in lines


def test_corpus_site_text_elision_and_unblanked_wrap():
    # 10 (Nghệ An): site banner and metadata glued to the letterhead, no blank lines at all, "…" elision
    r = _text(_corpus('10_'))
    text = r['text'].splitlines()
    assert r['document']['number'] == '980/KH-UBND'
    assert not any('THƯ VIỆN PHÁP LUẬT' in x or 'Văn bản liên quan' in x or 'Đăng nhập' in x for x in text)
    k = text.index('…')
    assert text[k + 1].startswith('2. Thành lập bộ máy quản lý Quỹ')
    assert 'VIII. DUY TRÌ HOẠT ĐỘNG PHÒNG THỦ DÂN SỰ THƯỜNG XUYÊN' in text
    assert 'Thực hiện Quyết định số 1899/QĐ-TTg ngày 04/9/2025 của Thủ tướng Chính phủ ban hành Kế hoạch triển khai ' \
        'thi hành Nghị định số 200/2025/NĐ-CP ngày 09/7/2025 của Chính phủ quy định chi tiết một số điều của Luật ' \
        'Phòng thủ dân sự (sau đây viết tắt là Nghị định).' in text


def test_corpus_parts_and_repeated_header_without_stt():
    # 11 (Đồng Nai): parts A/B/C; part B's header row has no STT cell, its rows have one
    lines, _ = _lines(_corpus('11_'))
    assert 'B. PHÁT TRIỂN KINH TẾ SỐ VÀ XÃ HỘI SỐ NGÀNH, LĨNH VỰC' in lines
    k = lines.index('1.1. Xây dựng và tổ chức triển khai Kế hoạch phát triển kinh tế số và xã hội số trong lĩnh vực '
                    'nông nghiệp, nông thôn')
    assert lines[k + 1] == '- Cơ quan chủ trì: Sở Nông nghiệp và Môi trường'
    assert not any(x in ('Nội dung', 'Đơn vị thực hiện') for x in lines)


def test_corpus_headings_split_over_two_lines():
    text = _text(_corpus('05_'))['text'].splitlines()
    assert '1. Sở Giáo dục và Đào tạo' in text and '4. Sở Tài chính' in text
    assert 'I. MỤC ĐÍCH, YÊU CẦU' in _text(_corpus('02_'))['text'].splitlines()


def test_corpus_markdown_letterhead_with_spacing_noise():
    # 17 (TP Hồ Chí Minh, 2014): "ỦY B AN NHÂN D Â N T HÀNH P HỐ ...", "Số: 3210/QĐ - U B ND"
    doc = _text(_corpus('17_'))['document']
    assert doc['number'] == '3210/QĐ-UBND'
    assert doc['issuer'] == 'Ủy ban nhân dân thành phố Hồ Chí Minh'
    assert (doc['place'], doc['date']) == ('Thành phố Hồ Chí Minh', '2014-06-28')
