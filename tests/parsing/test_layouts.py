"""Plans in the other layouts (labelled lines, inline prose, parts A/B/C with agency bullets).
The documents are in tests/fixtures/parsing/; every expectation below was written by reading them."""
import pytest

from tests.parsing.helpers import PARSING_FIXTURES


def _parse(name):
    from dondoc.parsing import parse
    return parse(PARSING_FIXTURES / name)


def _blocks(result):
    return {b['ref']: b for b in result['assignments']}


@pytest.fixture(scope='module')
def labelled():
    return _parse('labelled_lines.txt')


def test_labelled_lines_give_one_block_per_item(labelled):
    assert list(_blocks(labelled)) == ['1.1', '1.2', '2.1', '2.2', '2.3', 'III.1', 'III.2']


@pytest.mark.parametrize('ref, lead, coordinating', [
    ('1.1', ['Sở Khoa học và Công nghệ'], ['Văn phòng Ủy ban nhân dân tỉnh', 'Công an tỉnh']),
    ('1.2', ['Văn phòng Ủy ban nhân dân tỉnh'], ['Các sở, ban, ngành', 'Ủy ban nhân dân các huyện, thành phố']),
    ('2.1', ['Sở Khoa học và Công nghệ'], ['Viễn thông Bắc Kạn', 'Ủy ban nhân dân các huyện, thành phố']),
    ('2.2', ['Sở Nông nghiệp và Môi trường'], ['Công an tỉnh', 'Sở Tài chính']),
    ('2.3', ['Sở Nội vụ'], ['Trường Chính trị tỉnh']),
])
def test_labelled_lines_lead_and_coordinating(labelled, ref, lead, coordinating):
    b = _blocks(labelled)[ref]
    assert b['lead'] == lead
    assert b['tasks'][0]['coordinating'] == coordinating
    assert b['lead_kind'] == 'agency'


def test_labelled_lines_deadlines(labelled):
    b = _blocks(labelled)
    assert b['1.1']['tasks'][0]['deadline']['text'] == 'Quý II/2025'
    assert b['1.2']['tasks'][0]['deadline']['date'] == '2025-06-30'
    assert b['2.1']['tasks'][0]['deadline']['text'] == 'Năm 2025'
    assert b['2.2']['tasks'][0]['deadline']['recurrence'] == 'quarterly'
    assert b['2.3']['tasks'][0]['deadline']['text'] == 'Tháng 10/2025'
    assert b['III.1']['tasks'][1]['deadline']['date'] == '2025-12-15'


def test_labelled_lines_task_text_is_the_item_not_its_labels(labelled):
    t = _blocks(labelled)['1.1']['tasks']
    assert [x['text'] for x in t] == ['Xây dựng Quy chế quản lý, vận hành Nền tảng tích hợp, chia sẻ dữ liệu cấp tỉnh']


def test_labelled_lines_document(labelled):
    d = labelled['document']
    assert d['number'] == '125/KH-UBND'
    assert d['issuer'] == 'Ủy ban nhân dân tỉnh Bắc Kạn'
    assert d['date'] == '2025-03-12'
    assert d['title'] == 'Triển khai chuyển đổi số, phát triển Chính quyền số tỉnh Bắc Kạn năm 2025'
    assert [x['number'] for x in d['based_on']] == ['57-NQ/TW', '06/QĐ-TTg']
    assert d['signer'] == {'name': 'Nguyễn Đăng Bình', 'position': 'PHÓ CHỦ TỊCH', 'on_behalf_of': 'TM. ỦY BAN NHÂN DÂN, KT. CHỦ TỊCH'}
    assert d['recipients'][-1] == 'Lưu: VT, KGVX.'


def test_implementation_items_with_giao_and_group_subject(labelled):
    b = _blocks(labelled)
    assert b['III.1']['lead'] == ['Sở Khoa học và Công nghệ']
    assert b['III.1']['tasks'][0]['coordinating'] == ['Văn phòng Ủy ban nhân dân tỉnh']
    assert b['III.2']['lead'] == ['Các sở, ban, ngành', 'Ủy ban nhân dân các huyện, thành phố']
    assert b['III.2']['lead_kind'] == 'group'


@pytest.fixture(scope='module')
def inline():
    return _parse('inline_prose.txt')


def test_inline_prose_blocks(inline):
    b = _blocks(inline)
    # item 5 uses "cơ quan chủ trì" as a noun: it assigns nothing; part III's sentence gives Công an xã
    # the aggregation and the report ("Công an xã là cơ quan thường trực, tổng hợp kết quả, báo cáo ...")
    assert list(b) == ['1', '2', '3', '4', 'III-1']
    assert b['III-1']['lead'] == ['Công an xã']
    assert b['III-1']['tasks'][0]['deadline']['date'] == '2025-12-10'
    assert b['1']['lead'] == ['Công an xã']
    assert b['1']['tasks'][0]['coordinating'] == ['Ủy ban Mặt trận Tổ quốc Việt Nam xã', 'các đoàn thể']
    assert b['2']['lead'] == ['Công an xã']
    assert b['2']['tasks'][0]['coordinating'] == ['Ban Chỉ huy Quân sự xã']
    assert b['2']['tasks'][0]['deadline']['date'] == '2026-01-20'
    assert b['3']['lead'] == ['Trạm Y tế xã']
    assert b['3']['tasks'][0]['coordinating'] == ['Trường Trung học cơ sở Tân Phú']
    assert b['3']['tasks'][0]['deadline']['recurrence'] == 'annual'
    assert b['3']['tasks'][1]['targets'][0]['value'] == 100
    assert b['4']['lead'] == ['Công an xã']
    assert b['4']['tasks'][0]['deadline']['text'] == 'trong Quý II/2025'


def test_inline_prose_lead_in_is_not_task_text(inline):
    assert _blocks(inline)['2']['tasks'][0]['text'].startswith('chủ trì, phối hợp với Ban Chỉ huy')


def test_inline_prose_commune_issuer(inline):
    assert inline['document']['issuer'] == 'Ủy ban nhân dân xã Tân Phú'
    assert inline['document']['signer']['name'] == 'Hoàng Văn Tâm'


@pytest.fixture(scope='module')
def ministry():
    return _parse('ministry_parts.txt')


def test_ministry_parts_and_bullets(ministry):
    b = _blocks(ministry)
    assert list(b) == ['1', '2', 'II-1', 'II-2', 'C-1']
    assert b['1']['lead'] == ['Cục Quản lý đê điều và Phòng, chống thiên tai']
    assert [t['deadline'] and (t['deadline']['date'] or t['deadline']['recurrence']) for t in b['1']['tasks']] == \
        ['2025-06-30', 'monthly']
    assert b['2']['lead'] == ['Vụ Kế hoạch - Tài chính']
    # "…; phối hợp với Cục …": the lead only works with someone; coordinating agencies come from
    # "chủ trì, phối hợp với …" or a label (the convention of the corpus gold), see C-1
    assert b['2']['tasks'][1]['coordinating'] == []
    assert b['II-1']['lead'] == ['Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương']
    assert b['II-1']['lead_kind'] == 'group'
    assert b['II-1']['tasks'][0]['deadline']['text'] == 'trong Quý III/2025'
    assert b['II-2']['lead'] == ['Bộ Công an']
    assert b['C-1']['lead'] == ['Văn phòng Bộ']
    assert b['C-1']['tasks'][0]['coordinating'] == ['Vụ Kế hoạch - Tài chính']


def test_purpose_and_objectives_parts_assign_nothing(ministry, labelled):
    assert all(not b['ref'].startswith('A') for b in ministry['assignments'])
    assert 'I' not in [s['ref'] for s in labelled['sections']]


@pytest.fixture(scope='module')
def variants():
    return _parse('variants.txt')


def test_heading_variants(variants):
    b = _blocks(variants)
    assert list(b) == ['1', '2', '3', '4', '5-1']
    # "(cơ quan thường trực)" after the name, "Giao X:" over bullets, inline "(cơ quan chủ trì: ...)"
    assert b['1']['lead'] == ['Sở Nông nghiệp và Môi trường']
    assert b['1']['tasks'][0]['deadline']['date'] == '2025-12-31'
    assert b['1']['tasks'][0]['targets'][0]['op'] == '>=' and b['1']['tasks'][0]['targets'][0]['value'] == 20
    assert b['2']['lead'] == ['Liên minh Hợp tác xã tỉnh']
    assert len(b['2']['tasks']) == 2 and b['2']['tasks'][0]['deadline']['recurrence'] == 'quarterly'
    assert b['3']['lead'] == ['Sở Tài chính']
    assert b['3']['tasks'][0]['deadline']['text'] == 'tháng 9/2025'
    assert b['4']['lead'] == ['Ủy ban nhân dân các huyện, thành phố'] and b['4']['lead_kind'] == 'group'
    assert b['4']['tasks'][1]['deadline']['date'] == '2025-11-30'
    assert b['5-1']['lead'] == ['Sở Công Thương'] and len(b['5-1']['tasks']) == 2
    assert [s['ref'] for s in variants['sections']] == ['II', '5']


def test_labelled_layout_as_docx_with_word_numbering(labelled):
    from dondoc.parsing import parse
    from tests.parsing.builders import text_to_docx
    r = parse(text_to_docx((PARSING_FIXTURES / 'labelled_lines.txt').read_text(encoding='utf-8')), filename='k.docx')
    assert [(b['ref'], b['lead']) for b in r['assignments']] == [(b['ref'], b['lead']) for b in labelled['assignments']]
    assert [t['deadline'] for b in r['assignments'] for t in b['tasks']] == \
        [t['deadline'] for b in labelled['assignments'] for t in b['tasks']]
