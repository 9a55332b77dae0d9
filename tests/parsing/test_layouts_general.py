"""Every common layout of an assignment, on documents of our own (tests/fixtures/parsing/layouts_*.txt) and on
real plans of the corpus (tests/parsing/fixtures/corpus). Expectations are written from reading the documents:
who the text names as lead and partner, and what is printed as time."""
import pytest

from tests.parsing.helpers import PARSING_FIXTURES


def _parse(name):
    from dondoc.parsing import parse
    return parse(PARSING_FIXTURES / name)


def by_lead(result):
    out = {}
    for b in result['assignments']:
        out.setdefault(tuple(b['lead']), []).append(b)
    return out


def leads(result):
    return [b['lead'] for b in result['assignments']]


def block_with(result, *lead):
    found = [b for b in result['assignments'] if b['lead'] == list(lead)]
    assert found, f'no block led by {lead}: {leads(result)}'
    return found[0]


def all_text(block):
    return ' '.join([block.get('heading') or ''] + [t['text'] for t in block['tasks']])


@pytest.fixture(scope='module')
def province():
    return _parse('layouts_province.txt')


@pytest.fixture(scope='module')
def decision():
    return _parse('layouts_decision.txt')


# ---- what is not a task stays out

def test_purpose_requirements_and_actorless_content_assign_nothing(province):
    texts = ' '.join(all_text(b) for b in province['assignments'])
    assert 'nâng cao nhận thức về chuyển đổi số' not in texts        # I. MỤC ĐÍCH names agencies, assigns nothing
    assert 'Hoàn thiện cơ sở dữ liệu đất đai của tỉnh' not in texts  # II. content without an actor


def test_generic_subjects_and_closing_sentences_are_no_tasks(province):
    texts = ' '.join(all_text(b) for b in province['assignments'])
    assert 'căn cứ chức năng, nhiệm vụ tổ chức thực hiện Kế hoạch này' not in texts
    assert 'nếu có khó khăn, vướng mắc' not in texts


def test_the_decision_s_own_articles_and_its_enforcement_clause(decision):
    refs = [b['ref'] for b in decision['assignments']]
    assert not any('Điều 3' in r for r in refs)
    texts = ' '.join(all_text(b) for b in decision['assignments'])
    assert 'chịu trách nhiệm thi hành' not in texts
    assert 'Giảm diện tích cây trồng bị nhiễm bệnh' not in texts     # I. MỤC TIÊU of the attached plan


# ---- agency heading + items; colon headings; inline heading

def test_agency_heading_with_colon_over_its_bullets(province):
    b = block_with(province, 'Sở Tài chính')
    assert len(b['tasks']) == 2
    assert b['tasks'][0]['text'].startswith('Tham mưu Ủy ban nhân dân tỉnh bố trí kinh phí')
    assert b['tasks'][1]['text'].startswith('Hướng dẫn các cơ quan, đơn vị thanh toán')
    assert b['tasks'][0]['deadline']['text'] == 'năm 2026'


def test_heading_that_is_a_chu_tri_phoi_hop_sentence_over_bullets(province):
    b = block_with(province, 'Sở Y tế')
    assert b['heading'].startswith('Sở Y tế chủ trì, phối hợp với')
    assert [t['coordinating'] for t in b['tasks']] == \
        [['Sở Giáo dục và Đào tạo', 'Ủy ban nhân dân các xã, phường']] * 2
    assert b['tasks'][1]['deadline']['recurrence'] == 'quarterly'


def test_request_heading_with_inline_task(province):
    b = block_with(province, 'Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh', 'các tổ chức chính trị - xã hội')
    assert b['tasks'][0]['text'].startswith('Tuyên truyền, vận động Nhân dân')


def test_lead_in_parenthesis_after_the_task(province):
    b = block_with(province, 'Thanh tra tỉnh')
    assert b['tasks'][0]['coordinating'] == ['Sở Nội vụ']


# ---- a time label after every bullet

def test_each_timed_bullet_under_an_agency_heading_is_a_block(province):
    blocks = by_lead(province)[('Sở Nông nghiệp và Môi trường',)]
    assert len(blocks) == 3
    assert [b['tasks'][0]['deadline']['text'] for b in blocks] == \
        ['Quý II/2026', 'Trước ngày 30/9/2026', 'Tháng 10 - 11/2026']
    assert blocks[1]['tasks'][0]['deadline']['date'] == '2026-09-30'


# ---- a class heading whose items name their own agencies

def test_class_heading_gives_its_lead_to_items_without_one(province):
    common = block_with(province, 'Các sở, ban, ngành, địa phương')
    assert common['tasks'][0]['text'].startswith('Rà soát thủ tục hành chính')
    assert block_with(province, 'Sở Xây dựng')['tasks'][0]['text'].startswith('Cập nhật dữ liệu quy hoạch')
    assert block_with(province, 'Công an tỉnh')['tasks'][0]['text'].startswith('Xác thực thông tin')


def test_items_that_each_open_with_their_own_subject(province):
    assert block_with(province, 'Các doanh nghiệp viễn thông')['tasks'][0]['text'].startswith('ưu tiên phủ sóng')
    assert block_with(province, 'Doanh nghiệp bưu chính')['tasks'][0]['text'].startswith('bảo đảm chuyển phát')


# ---- a lead-in sentence naming who does the items that follow

def test_items_under_a_lead_in_sentence(province):
    who = ['Giám đốc các sở', 'Thủ trưởng các ban, ngành', 'Chủ tịch Ủy ban nhân dân các xã, phường']
    part4 = [b for b in province['assignments'] if b['ref'].startswith('IV')]
    assert [b['lead'] for b in part4] == [who, who, ['Sở Khoa học và Công nghệ']]
    assert part4[0]['tasks'][0]['deadline']['date'] == '2026-02-15'
    assert part4[2]['tasks'][0]['deadline']['date'] == '2026-12-10'


# ---- labelled lines; documents in several parts; numbering printed twice or skipping

def test_labelled_items_in_a_plan_attached_to_a_decision(decision):
    b = [x for x in decision['assignments'] if x['ref'] == 'II.1'][0]       # the plan's "II. NHIỆM VỤ", item 1
    assert b['lead'] == ['Sở Nông nghiệp và Môi trường']
    assert b['tasks'][0]['coordinating'] == ['Ủy ban nhân dân các xã, phường', 'Trạm Khuyến nông tỉnh']
    assert b['tasks'][0]['deadline']['recurrence'] == 'monthly'
    t = block_with(decision, 'Trung tâm Khuyến nông tỉnh')['tasks'][0]
    assert t['text'] == 'Xây dựng mô hình canh tác an toàn' and t['deadline']['text'] == 'Quý III/2026'


def test_articles_and_a_part_numbered_twice(decision):
    b = [x for x in decision['assignments'] if x['ref'] == '2'][0]      # Điều 2, item 2
    assert b['lead'] == ['Sở Tài chính'] and b['tasks'][0]['deadline']['date'] == '2026-12-31'
    refs = [x['ref'] for x in decision['assignments']]
    assert len(refs) == len(set(refs))                                 # "II." printed twice: refs stay unique
    assert block_with(decision, 'Hội Nông dân tỉnh')['basis'].startswith('câu "Đề nghị')


def test_confidence_and_basis_on_every_block(province, decision):
    for b in province['assignments'] + decision['assignments']:
        assert 0 < b['confidence'] <= 1 and b['basis']
    by = {b['basis'] for b in province['assignments']}
    assert 'tiêu đề mục là tên cơ quan' in by and 'gạch đầu dòng có thời gian riêng, dưới tiêu đề cơ quan' in by


# ---- the same layouts in real plans (corpus documents copied into the repo)

def test_corpus_agency_by_agency_with_chu_tri_bullets(corpus_doc):
    r = corpus_doc('01')           # III: "1. Công an tỉnh" + bullets "- Chủ trì, phối hợp với …"
    b = block_with(r, 'Công an tỉnh')
    partners = [c for t in b['tasks'] for c in t['coordinating']]
    assert 'Bộ Chỉ huy Quân sự tỉnh' in partners
    giao = [x for x in r['assignments'] if x['basis'].startswith('câu "Giao')]
    assert giao and giao[0]['lead'] == ['Công an tỉnh']      # IV.2 "Giao Công an tỉnh chủ trì, phối hợp với …"
    assert giao[0]['tasks'][0]['coordinating'] == ['Văn phòng Ủy ban nhân dân tỉnh']
    request = [x for x in r['assignments'] if x['basis'].startswith('câu "Đề nghị')][0]   # III.6, 12 bodies
    assert {'Tòa án nhân dân tỉnh', 'Viện kiểm sát nhân dân tỉnh', 'Thuế tỉnh'} <= set(request['lead'])


def test_corpus_timed_bullets_and_bodies_fanned_out(corpus_doc):
    r = corpus_doc('06')           # IV.1.2 Sở Tài chính: a time label after every bullet; IV.1.3 "+ Sở X:" lines
    finance = [b for b in r['assignments'] if b['lead'] == ['Sở Tài chính'] and b['ref'].startswith('1.2')]
    assert len(finance) == 6 and all(b['tasks'][0]['deadline'] for b in finance)
    assert finance[-1]['tasks'][0]['deadline']['date'] == '2026-05-31'
    for lead in ('Sở Xây dựng', 'Sở Công Thương', 'Sở Khoa học và Công nghệ'):
        assert block_with(r, lead)['tasks'][0]['text'].startswith('hướng dẫn các cơ quan')


def test_corpus_heading_chu_tri_phoi_hop_over_bullets(corpus_doc):
    r = corpus_doc('08')           # V.2 "Sở Giáo dục và Đào tạo chủ trì, phối hợp với Sở Nông nghiệp và …:"
    b = block_with(r, 'Sở Giáo dục và Đào tạo')
    assert 'Sở Nông nghiệp và Môi trường' in b['tasks'][0]['coordinating']


def test_corpus_colon_headings_and_a_part_printed_twice(corpus_doc):
    r = corpus_doc('09')           # "1. Sở Công Thương:" …; "12. Đề nghị Công ty Điện lực Đắk Lắk: Khẩn trương …"
    assert block_with(r, 'Sở Công Thương')['tasks'][0]['text'].startswith('Chủ trì điều phối')
    assert block_with(r, 'Công ty Điện lực Đắk Lắk')['tasks'][0]['text'].startswith('Khẩn trương kiểm tra')


def test_corpus_flattened_appendix_table(corpus_doc):
    r = corpus_doc('10')           # Phụ lục: TT | Nội dung | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian | Sản phẩm
    row = [b for b in r['assignments'] if b['tasks'][0]['text'].startswith('Tổ chức lại Ban Chỉ huy Phòng thủ')][0]
    assert row['lead'] == ['Bộ CHQS tỉnh', 'Ủy ban nhân dân cấp xã']
    assert row['tasks'][0]['deadline']['date'] == '2025-11-30'
    assert row['basis'] == 'bảng nhiệm vụ: cột cơ quan chủ trì'


def test_corpus_labelled_blocks(corpus_doc):
    r = corpus_doc('13')           # "4.3. … - Cơ quan chủ trì: Ban Xây dựng Đảng. - Cơ quan phối hợp: Văn phòng Đảng uỷ."
    b = [x for x in r['assignments'] if x['lead'] == ['Ban Xây dựng Đảng'] and
         x['tasks'][0]['text'].startswith('Triển khai sử dụng hiệu quả ứng dụng Sổ tay')][0]
    assert b['tasks'][0]['coordinating'] == ['Văn phòng Đảng ủy']
    assert b['tasks'][0]['deadline']['text'] == 'Thường xuyên'


def test_corpus_lead_in_names_the_addressee(corpus_doc):
    r = corpus_doc('18')           # "Thủ tướng Chính phủ yêu cầu Chủ tịch Ủy ban nhân dân các tỉnh, …:" then 1–5
    chairs = ['Chủ tịch Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương']
    assert [b['lead'] for b in r['assignments']][:2] == [chairs, chairs]
    assert r['assignments'][2]['lead'] == ['Cơ quan Lao động - Thương binh và Xã hội ở địa phương']


def test_corpus_abbreviated_list_after_a_colon(corpus_doc):
    r = corpus_doc('19')           # "5. Các Bộ: Quốc phòng, Công an chủ động chỉ đạo …"
    assert ['Các Bộ: Quốc phòng, Công an'] in leads(r)


def test_corpus_articles_ministry_by_ministry(corpus_doc):
    r = corpus_doc('16')           # Điều 8 "1. Trách nhiệm của các Bộ, ngành Trung ương: a) Bộ Xây dựng: …"
    assert ['Bộ Xây dựng'] in leads(r) and ['Bộ Kế hoạch và Đầu tư'] in leads(r)
    assert not any('thi hành Quyết định' in all_text(b) for b in r['assignments'])


def test_corpus_bullets_naming_their_own_agencies(corpus_doc):
    r = corpus_doc('28')           # III.9: a directive, then eight bullets "- Sở Y tế tham mưu …"
    for lead in (['Công an tỉnh'], ['Sở Y tế'], ['Sở Tư pháp'], ['Liên đoàn Lao động tỉnh']):
        assert lead in leads(r)


def test_corpus_annex_of_blank_forms_assigns_nothing(corpus_doc):
    r = corpus_doc('24')           # forms Mẫu 01/HNCT … with "Họ và tên người chủ trì hội nghị"
    assert not any('người chủ trì hội nghị' in all_text(b) for b in r['assignments'])
    assert ['Ban Công tác mặt trận thôn'] in leads(r)


def test_corpus_word_tables_with_group_rows(corpus_doc):
    r = corpus_doc('21')           # Phụ lục (Word table): groups I–VII, columns Chủ trì / Phối hợp thực hiện
    rows = [b for b in r['assignments'] if b['ref'].startswith('PL.')]
    assert len(rows) >= 50 and all(b['basis'] == 'bảng nhiệm vụ: cột cơ quan chủ trì' for b in rows)
    assert {b['ref'].split('.')[1] for b in rows} >= {'I', 'II', 'VII'}


def test_unnumbered_agency_headings_bold_or_with_a_colon():
    r = _parse('layouts_unnumbered.txt')      # "**Phòng Nông nghiệp và Môi trường:**", "**Công an huyện**", "…:"
    assert leads(r) == [['Phòng Nông nghiệp và Môi trường'], ['Công an huyện'], ['Ủy ban nhân dân các xã, thị trấn'],
                        ['Phòng Nông nghiệp và Môi trường']]
    first = r['assignments'][0]
    assert len(first['tasks']) == 2 and first['tasks'][0]['deadline']['date'] == '2025-03-31'
    assert r['assignments'][2]['tasks'][1]['deadline']['text'] == 'trong Quý II/2025'
