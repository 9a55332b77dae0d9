"""The agency-name recogniser (parsing/agencies.py): where a name starts and ends.

Expected names are written from the grammar of Vietnamese administrative names, not from the parser's output;
the property tests check what must hold for any text: the verb that follows a name is never part of it, and
a name never starts with a conjunction or a function word.
"""
import pytest
from hypothesis import given, settings, strategies as st

from dondoc.parsing import agencies


def names(text, **kw):
    found, _ = agencies.names_at(text, 0, **kw)
    return [n.text for n in found]


@pytest.mark.parametrize('text, expected', [
    # head + field, the field's syllables that are also verbs included ("Đào tạo", "Xây dựng", "Đầu tư")
    ('Sở Giáo dục và Đào tạo chủ trì, phối hợp với Sở Y tế', ['Sở Giáo dục và Đào tạo']),
    ('Sở Xây dựng hướng dẫn các địa phương', ['Sở Xây dựng']),
    ('Sở Văn hóa, Thể thao và Du lịch tham mưu', ['Sở Văn hóa, Thể thao và Du lịch']),
    ('Bộ Lao động - Thương binh và Xã hội chịu trách nhiệm', ['Bộ Lao động - Thương binh và Xã hội']),
    ('Cục Quản lý đê điều và Phòng, chống thiên tai tổng hợp', ['Cục Quản lý đê điều và Phòng, chống thiên tai']),
    # places and levels
    ('Công an tỉnh Lâm Đồng có trách nhiệm', ['Công an tỉnh Lâm Đồng']),
    ('Ủy ban nhân dân các xã, phường, đặc khu triển khai', ['Ủy ban nhân dân các xã, phường, đặc khu']),
    ('Ban Chỉ huy Phòng thủ dân sự cấp tỉnh, cấp xã kiện toàn', ['Ban Chỉ huy Phòng thủ dân sự cấp tỉnh, cấp xã']),
    ('Chi cục Hải quan khu vực XI thực hiện', ['Chi cục Hải quan khu vực XI']),
    ('Các tỉnh Nghệ An, Quảng Ngãi, Cao Bằng khẩn trương', ['Các tỉnh Nghệ An, Quảng Ngãi, Cao Bằng']),
    ('Ngân hàng Nhà nước Việt Nam - Chi nhánh Khu vực II chủ trì', ['Ngân hàng Nhà nước Việt Nam - Chi nhánh Khu vực II']),
    # lists: "," / ";" / "và" separate bodies only where a new body starts
    ('Sở Tài chính, Sở Xây dựng và Ủy ban nhân dân các huyện triển khai',
     ['Sở Tài chính', 'Sở Xây dựng', 'Ủy ban nhân dân các huyện']),
    ('Giám đốc các sở; Thủ trưởng các ban, ngành, đoàn thể cấp tỉnh; Chủ tịch Ủy ban nhân dân các xã và các '
     'cơ quan liên quan triển khai',
     ['Giám đốc các sở', 'Thủ trưởng các ban, ngành, đoàn thể cấp tỉnh', 'Chủ tịch Ủy ban nhân dân các xã',
      'các cơ quan liên quan']),
    # classes: a chain of bare class nouns is one name, a class with a descriptor of its own stands apart
    ('Các sở, ban, ngành, đoàn thể cấp tỉnh thực hiện', ['Các sở, ban, ngành, đoàn thể cấp tỉnh']),
    ('Các sở, ban, ngành, tổ chức chính trị - xã hội, Ủy ban nhân dân các xã, phường chịu trách nhiệm',
     ['Các sở, ban, ngành', 'tổ chức chính trị - xã hội', 'Ủy ban nhân dân các xã, phường']),
    ('Các doanh nghiệp viễn thông, tổ chức, cá nhân có liên quan bảo đảm',
     ['Các doanh nghiệp viễn thông', 'tổ chức, cá nhân có liên quan']),
    ('Các cơ quan trực thuộc Bộ Văn hóa, Thể thao và Du lịch chủ trì',
     ['Các cơ quan trực thuộc Bộ Văn hóa, Thể thao và Du lịch']),
    ('Các Bộ: Quốc phòng, Công an chủ động', ['Các Bộ: Quốc phòng, Công an']),
    ('các doanh nghiệp viễn thông (VNPT, Viettel, MobiFone và doanh nghiệp khác) bảo đảm',
     ['các doanh nghiệp viễn thông (VNPT, Viettel, MobiFone và doanh nghiệp khác)']),
    # roles and codes
    ('Chủ tịch Ủy ban nhân dân các tỉnh, thành phố từ Hà Tĩnh đến Khánh Hòa chỉ đạo',
     ['Chủ tịch Ủy ban nhân dân các tỉnh, thành phố từ Hà Tĩnh đến Khánh Hòa']),
    ('Trưởng Ban Chỉ đạo phụ trách chung', ['Trưởng Ban Chỉ đạo']),
    ('C04 chủ trì, phối hợp với V01', ['C04']),
    # a separator lost between two departments
    ('Sở Khoa học và Công nghệ Sở Công Thương', ['Sở Khoa học và Công nghệ', 'Sở Công Thương']),
])
def test_where_names_start_and_end(text, expected):
    assert names(text) == expected


@pytest.mark.parametrize('text', ['Ban hành kế hoạch', 'Báo cáo kết quả', 'Hội nghị hiệp thương lần thứ ba',
                                  'Trường hợp có khó khăn', 'Tổ chức tập huấn', 'Thanh tra, kiểm tra việc thực hiện',
                                  'Sở', 'Phòng, chống thiên tai'])
def test_words_that_look_like_heads_are_no_names(text):
    assert names(text) == []


def test_known_names_extend_what_the_grammar_cuts():
    text = 'Trung tâm Xúc tiến đầu tư, thương mại và du lịch tỉnh tổ chức hội nghị'
    assert names(text) == ['Trung tâm Xúc tiến']           # "đầu tư" reads as a verb without more knowledge
    with agencies.known_names(['Trung tâm Xúc tiến đầu tư, thương mại và du lịch tỉnh']):
        assert names(text) == ['Trung tâm Xúc tiến đầu tư, thương mại và du lịch tỉnh']
    assert names(text) == ['Trung tâm Xúc tiến']           # the known names apply within the block only


def test_split_list_of_a_table_cell():
    assert agencies.split_list('Sở Tài chính; UBND cấp xã') == ['Sở Tài chính', 'UBND cấp xã']
    assert agencies.split_list('Lãnh đạo\nSở Công Thương') == ['Lãnh đạo Sở Công Thương']
    assert agencies.split_list('Doanh nghiệp, nhà cung cấp dịch vụ IoT, nhà đầu tư') == \
        ['Doanh nghiệp', 'nhà cung cấp dịch vụ IoT', 'nhà đầu tư']


def test_canonical_expands_abbreviations():
    assert agencies.canonical('UBND các xã, phường') == 'Ủy ban nhân dân các xã, phường'
    assert agencies.canonical('Sở KH&ĐT') == 'Sở Kế hoạch và Đầu tư'
    assert agencies.canonical('Uỷ ban nhân dân tỉnh') == 'Ủy ban nhân dân tỉnh'


# ---- properties ---------------------------------------------------------------------------------------

HEADS = ['Sở', 'Bộ', 'Ủy ban nhân dân', 'UBND', 'Công an', 'Ban', 'Văn phòng', 'Thanh tra', 'Trung tâm',
         'Hội', 'Liên đoàn Lao động', 'Bảo hiểm xã hội', 'Kho bạc Nhà nước', 'Đài', 'Báo', 'Cục', 'Chi cục']
FIELDS = ['Tài chính', 'Xây dựng', 'Giáo dục và Đào tạo', 'Y tế', 'Nội vụ', 'Công Thương', 'Văn hóa, Thể thao và Du lịch',
          'Kế hoạch và Đầu tư', 'Quản lý dự án', 'Phát thanh và Truyền hình', 'Nông dân', 'Tư pháp']
PLACES = ['', 'tỉnh', 'tỉnh Lâm Đồng', 'các xã, phường', 'cấp xã', 'thành phố', 'huyện Na Hang', 'khu vực II']
CLASSES = ['Các sở, ban, ngành', 'các cơ quan, đơn vị liên quan', 'Ủy ban nhân dân các huyện, thành phố',
           'các tổ chức chính trị - xã hội', 'Giám đốc các sở', 'Chủ tịch Ủy ban nhân dân cấp xã']
# verbs that open the predicate after a subject and are never a field word
PREDICATES = ['chủ trì', 'phối hợp với', 'tham mưu', 'chịu trách nhiệm', 'có trách nhiệm', 'triển khai',
              'thực hiện', 'hướng dẫn', 'đôn đốc', 'khẩn trương', 'tiếp tục', 'rà soát', 'theo dõi']
CONJUNCTIONS = {'và', 'hoặc', 'cùng', 'với', 'nhưng', 'để', 'theo', 'của', 'là', 'thì', 'mà'}
JUNK = ['và', 'hoặc', 'các', 'để', 'theo', ',', ';', ':', 'kế hoạch', 'năm 2025', 'nhiệm vụ', '(', ')', 'Kế hoạch',
        'số 12/KH-UBND', 'được giao', 'liên quan', 'trong', 'xã hội']


@st.composite
def agency_name(draw):
    if draw(st.booleans()):
        return draw(st.sampled_from(CLASSES))
    head = draw(st.sampled_from(HEADS))
    field = draw(st.sampled_from(FIELDS))
    place = draw(st.sampled_from(PLACES))
    return ' '.join(x for x in (head, field, place) if x)


@settings(max_examples=300, deadline=None)
@given(subjects=st.lists(agency_name(), min_size=1, max_size=4), predicate=st.sampled_from(PREDICATES),
       tail=st.sampled_from(['xây dựng kế hoạch năm 2026.', 'các cơ quan liên quan thực hiện.', 'Kế hoạch này.']))
def test_the_verb_after_a_name_is_never_part_of_it(subjects, predicate, tail):
    subject = ', '.join(subjects)
    text = f'{subject} {predicate} {tail}'
    found, end = agencies.names_at(text, 0)
    assert found, text
    assert end <= len(subject), (text, [n.text for n in found])
    for n in found:
        assert predicate.split()[0] not in n.text.split()[-2:], (text, n.text)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(JUNK), st.sampled_from(PREDICATES), agency_name()), min_size=1, max_size=9))
def test_no_name_ends_in_a_predicate_or_starts_with_a_conjunction(pieces):
    text = ' '.join(pieces)
    for pos in [0] + [i + 1 for i, c in enumerate(text) if c == ' ']:
        for n in agencies.names_at(text, pos, semicolons=True)[0]:
            words = n.text.split()
            assert words[0].lower() not in CONJUNCTIONS, (text, n.text)
            assert not any(n.text.endswith(' ' + p) for p in PREDICATES), (text, n.text)
            assert not n.text.endswith((',', ';', ':', ' và', ' các')), (text, n.text)
