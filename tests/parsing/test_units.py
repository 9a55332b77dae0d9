"""Small hand-written cases for each step: normalisation, outline, agencies, tasks, deadlines, targets, refs."""
import pytest


def test_normalize_markdown_nfc_spacing_and_page_breaks():
    import unicodedata

    from dondoc.parsing.normalize import normalize
    lines = ['# KẾ HOẠCH', '', 'I. NỘI DUNG', '',
             '1.1. ' + unicodedata.normalize('NFD', 'Sở Y tế'), '',
             '**Tham mưu** ban hành kế hoạch trước ngày 10 tháng 0 6 năm 2 025 và triển khai thực hiện đồng bộ, '
             'hiệu quả các nhiệm vụ trên địa bàn',
             '', 'Đảng bộ tỉnh lần thứ XVII.', '', '12', '']
    n = normalize(lines)
    texts = [p.text for p in n.paras]
    assert texts[0] == 'KẾ HOẠCH'
    assert texts[2] == 'Sở Y tế'.join(['1.1. ', ''])
    assert texts[3].startswith('Tham mưu ban hành kế hoạch trước ngày 10 tháng 06 năm 2025')
    assert texts[3].endswith('trên địa bàn Đảng bộ tỉnh lần thứ XVII.')      # page-break join, capital next
    assert '12' not in texts                                                   # page number dropped
    assert all(n.text[p.start:p.end] == p.text for p in n.paras)
    assert any('page-break join' in w for w in n.warnings)


def test_normalize_wrapped_lines_and_running_headers():
    from dondoc.parsing.normalize import normalize
    body = ['Tăng cường công tác kiểm tra, giám sát việc thực hiện các nhiệm vụ được giao tại',
            'các cơ quan, đơn vị trên địa bàn tỉnh.']
    lines, pages = [], []
    for k in range(4):
        pages.append(len(lines))
        lines += ['UBND TỈNH TUYÊN QUANG - KẾ HOẠCH 78', f'1.{k + 1}. Sở Tài chính', ''] + \
            [body[0].replace('kiểm tra', f'kiểm tra lần {k}'), body[1].replace('tỉnh', ['Na Hang', 'Lâm Bình', 'Sơn Dương', 'Yên Sơn'][k])] + \
            ['', f'Trang {k + 1}', '']
    n = normalize(lines, wrapped=True, pages=pages)
    texts = [p.text for p in n.paras]
    assert not any('UBND TỈNH TUYÊN QUANG' in t or t.startswith('Trang') for t in texts)
    assert texts[0] == '1.1. Sở Tài chính'
    assert texts[1].startswith('Tăng cường công tác kiểm tra lần 0') and texts[1].endswith('trên địa bàn Na Hang.')
    assert len(texts) == 8


@pytest.mark.parametrize('line, kind, label', [
    ('II. NỘI DUNG', 'roman', 'II'), ('2.1.3. Ủy ban', 'dec', '2.1.3'), ('3.2 Sở Y tế', 'dec', '3.2'),
    ('b) Tổ chức', 'letter', 'b'), ('- Ủy ban', 'dash', '-'), ('+ Hỗ trợ', 'plus', '+'),
    ('B. NHIỆM VỤ VÀ GIẢI PHÁP', 'part', 'B'), ('PHỤ LỤC', 'part', 'PL'), ('III TỔ CHỨC THỰC HIỆN', 'roman', 'III'),
])
def test_markers(line, kind, label):
    from dondoc.parsing.outline import parse_marker
    m = parse_marker(line)
    assert (m.kind, m.label) == (kind, label)


@pytest.mark.parametrize('line', ['2024 là năm', 'B. bình thường', '05/01/2024 ban hành', 'Sở Y tế'])
def test_not_markers(line):
    from dondoc.parsing.outline import parse_marker
    assert parse_marker(line) is None


@pytest.mark.parametrize('text, names', [
    ('Sở KH&ĐT, Sở TN&MT và UBND các huyện', ['Sở Kế hoạch và Đầu tư', 'Sở Tài nguyên và Môi trường',
                                               'Ủy ban nhân dân các huyện']),
    ('Sở Văn hoá, Thể thao và Du lịch', ['Sở Văn hóa, Thể thao và Du lịch']),
    ('Uỷ ban nhân dân huyện, thành phố', ['Ủy ban nhân dân huyện, thành phố']),
    ('Các sở, ban, ngành và UBND cấp xã', ['Các sở, ban, ngành', 'Ủy ban nhân dân cấp xã']),
])
def test_agency_names_are_canonical(text, names):
    from dondoc.parsing import agencies
    assert [agencies.canonical(n) for n in agencies.split_list(text)] == names


@pytest.mark.parametrize('text, ok', [('Sở Tài chính', True), ('Ban hành kế hoạch', False), ('Về du lịch', False),
                                      ('Báo cáo kết quả', False), ('Bộ Công an, Bộ Quốc phòng', True),
                                      ('Các sở, ban, ngành liên quan', True), ('Sở Y tế chủ trì thực hiện', False)])
def test_agency_headings(text, ok):
    from dondoc.parsing.agencies import is_agency_list
    assert is_agency_list(text) is ok


def test_group_or_agency():
    from dondoc.parsing.agencies import is_group
    assert is_group('Ủy ban nhân dân huyện, thành phố') and is_group('Các sở, ngành') and is_group('cơ quan, đơn vị liên quan')
    assert not is_group('Ủy ban nhân dân tỉnh') and not is_group('Ban Quản lý các khu công nghiệp')
    assert not is_group('Hiệp hội Doanh nghiệp tỉnh')


def test_coordinating_partners_stop_at_the_verb():
    from dondoc.parsing.blocks import coordinating
    t = 'Chủ trì, phối hợp với Sở Xây dựng, Sở Giao thông vận tải và các địa phương kiểm tra công trình'
    assert coordinating(t) == ['Sở Xây dựng', 'Sở Giao thông vận tải', 'các địa phương']
    assert coordinating('phối hợp, tham mưu với cấp có thẩm quyền điều chỉnh') == []
    assert coordinating('tăng cường công tác phối hợp giữa các cấp') == []


def _split(s):
    from dondoc.parsing.tasks import split
    return [s[a:b] for a, b in split(s)]


def test_task_split_rules():
    assert _split('Rà soát hồ sơ; kiểm tra thực địa. Tổng hợp báo cáo.') == \
        ['Rà soát hồ sơ', 'kiểm tra thực địa', 'Tổng hợp báo cáo']
    # a noun-phrase piece continues the previous object list
    assert _split('Thực hiện Nghị quyết số 01/NQ-CP; Nghị quyết số 02/NQ-CP; tổ chức hội nghị.') == \
        ['Thực hiện Nghị quyết số 01/NQ-CP; Nghị quyết số 02/NQ-CP', 'tổ chức hội nghị']
    # no split inside parentheses, nor at commas; an ellipsis is kept
    assert _split('Điều chỉnh vốn (về giao vốn; về thanh toán), xây dựng kế hoạch...') == \
        ['Điều chỉnh vốn (về giao vốn; về thanh toán), xây dựng kế hoạch...']
    assert _split('Báo cáo Ủy ban nhân dân tỉnh trước ngày 15/12/2024./.') == \
        ['Báo cáo Ủy ban nhân dân tỉnh trước ngày 15/12/2024']
    assert _split('Theo chức năng có trách nhiệm thực hiện, trong đó:') == ['Theo chức năng có trách nhiệm thực hiện']


@pytest.mark.parametrize('text, expected', [
    ('báo cáo trước ngày 10/12/2024', ('trước ngày 10/12/2024', '2024-12-10', None)),
    ('hoàn thành trước ngày 05 tháng 9 năm 2025', (None, '2025-09-05', None)),
    ('thành lập cụm công nghiệp trong năm 2024', ('trong năm 2024', '2024-12-31', None)),
    ('hoàn thành trong Quý IV/2026', ('trong Quý IV/2026', None, None)),
    ('ban hành trong tháng 12/2025', ('trong tháng 12/2025', None, None)),
    ('sơ kết 6 tháng đầu năm 2025', ('6 tháng đầu năm 2025', None, None)),
    ('hằng tháng đánh giá tình hình thu', ('hằng tháng', None, 'monthly')),
    ('báo cáo hằng quý, 6 tháng và cả năm', (None, None, 'quarterly')),
    ('tổng kết hằng năm', (None, None, 'annual')),
    ('Xây dựng Kế hoạch phát triển kinh tế - xã hội năm 2025', ('năm 2025', None, None)),
])
def test_deadlines(text, expected):
    from dondoc.parsing.deadlines import find
    d = find(text, 2024)
    assert d is not None
    want_text, date, rec = expected
    if want_text:
        assert d['text'] == want_text
    assert (d['date'], d['recurrence']) == (date, rec)


@pytest.mark.parametrize('text', [
    'Tiếp tục thực hiện Đề án giai đoạn 2021-2025, định hướng đến năm 2030',
    'triển khai Luật Đất đai năm 2024', 'thường xuyên kiểm tra, đôn đốc', 'định kỳ, đột xuất báo cáo',
    'điều chỉnh kế hoạch đầu tư công năm 2024', 'khắc phục hạn chế năm 2023',
    'xây dựng kế hoạch giải ngân theo từng tháng, quý',
])
def test_not_deadlines(text):
    from dondoc.parsing.deadlines import find
    assert find(text, 2024) is None


def test_targets():
    from dondoc.parsing.targets import find
    got = [(t['op'], t['value'], t['unit']) for t in find(
        'giải ngân trên 95% kế hoạch vốn; tỷ lệ hộ nghèo giảm >3%; đứng thứ 35 cả nước; tối thiểu 80% hồ sơ; '
        'hoàn thành 02 chỉ tiêu; chậm đóng từ 03 tháng trở lên; thực hiện 03 Chương trình; nằm trong nhóm 20 tỉnh')]
    assert got == [('>', 95, '%'), ('>', 3, '%'), ('>=', 80, '%'), ('=', 35, 'rank'), ('<=', 20, 'rank'),
                   ('=', 2, 'count')]


def test_refs_as_printed():
    from dondoc.parsing.refs import find_refs
    text = ('Nghị quyết số 01/NQ-CP ngày 05/01/2024, Kế hoạch số 450-KH/TU, Luật số 111/2024/QH15, '
            'Quyết định số 42/2014/QĐ-TTg, Kế hoạch số 239/KHUBND, giai đoạn 2021-2025, Quý IV/2026')
    assert find_refs(text) == ['01/NQ-CP', '450-KH/TU', '111/2024/QH15', '42/2014/QĐ-TTg', '239/KHUBND']


@pytest.mark.parametrize('text, names', [
    ('Sở Y tế là cơ quan chủ trì, phối hợp với Sở Tài chính xây dựng Đề án', ['Sở Y tế']),
    ('Tăng cường kiểm tra, giao Công an tỉnh chủ trì thực hiện', ['Công an tỉnh']),
    ('(Giao Sở KH&ĐT chủ trì, phối hợp với các sở, ngành thực hiện)', ['Sở Kế hoạch và Đầu tư']),
    ('UBND các huyện, thành phố chủ trì triển khai', ['Ủy ban nhân dân các huyện, thành phố']),
])
def test_inline_leads(text, names):
    from dondoc.parsing.blocks import inline_lead
    assert inline_lead(text)[0] == names


@pytest.mark.parametrize('text', ['Hội Nông dân là cơ quan chủ trì Chương trình "Nông dân với pháp luật"',
                                  'Các cơ quan chủ trì cần bảo đảm tiến độ', 'ban hành quy chế chủ trì cuộc họp'])
def test_chu_tri_as_a_noun_assigns_nothing(text):
    from dondoc.parsing.blocks import inline_lead
    assert inline_lead(text) is None


@pytest.mark.parametrize('heading, names', [
    ('Sở Kế hoạch và Đầu tư (nay là Sở Tài chính)', ['Sở Kế hoạch và Đầu tư']),
    ('Đối với Công an tỉnh:', ['Công an tỉnh']), ('Trách nhiệm của Sở Y tế', ['Sở Y tế']),
    ('Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh và các tổ chức chính trị - xã hội',
     ['Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh', 'các tổ chức chính trị - xã hội']),
])
def test_heading_names(heading, names):
    from dondoc.parsing.blocks import _heading_names
    assert _heading_names(heading) == names


def test_inline_lead_after_a_comma():
    from dondoc.parsing.blocks import inline_lead
    assert inline_lead('Tổ chức kiểm tra an toàn thực phẩm dịp Tết, Sở Y tế chủ trì thực hiện.')[0] == ['Sở Y tế']
