"""How sure a block is: the prior of the rule that made it, less the doubts a reader would have of its lead."""
from .. import agencies

# rule -> (words shown to the coordinator, prior confidence). The priors follow how often each rule gave the
# right block and lead on the corpus of real plans (tests/parsing/fixtures/corpus): tables and labels are
# almost always right, a sentence that opens with a name is wrong about one time in four.
BASIS = {
    'table': ('bảng nhiệm vụ: cột cơ quan chủ trì', 0.92),
    'label': ('dòng "Cơ quan chủ trì: …"', 0.88),
    'heading': ('tiêu đề mục là tên cơ quan', 0.88),
    'heading_inline': ('tiêu đề "Cơ quan: nội dung"', 0.85),
    'timed_bullet': ('gạch đầu dòng có thời gian riêng, dưới tiêu đề cơ quan', 0.85),
    'inline_lead': ('câu "… chủ trì …"', 0.85),
    'giao': ('câu "Giao … "', 0.8),
    'request': ('câu "Đề nghị / Yêu cầu / Khuyến khích …"', 0.75),
    'subject': ('câu mở đầu bằng tên cơ quan', 0.65),
    'bullet_label': ('gạch đầu dòng "Cơ quan: nội dung"', 0.55),
    'inherited': ('mục con của tiêu đề cơ quan', 0.55),
    'paragraph': ('đoạn văn không đánh số nêu tên cơ quan', 0.5),
}


def _doubts(lead, basis, origin, known):
    """What a reader would doubt in a block's lead: (penalty, reasons)."""
    penalty, why = 0.0, []
    for name in lead:
        toks = agencies.tokenize(name)
        words = [t for t in toks if t.word]
        if len(words) > 12:
            penalty += 0.15
            why.append('tên rất dài')      # a clause the grammar could not cut
        if len(words) == 1 and not agencies.is_code(name):
            penalty += 0.15
            why.append('tên một từ')
        if len(words) >= 2 and not words[-1].cap and not words[-2].cap and \
                agencies.match(toks, len(toks) - 2, 'verbs') >= 2:
            penalty += 0.2
            why.append('tên kết thúc bằng động từ')
    if len(lead) > 5:
        penalty += 0.1
        why.append('nhiều cơ quan chủ trì')
    if basis == 'subject' and any(agencies.is_group(n) for n in lead):
        penalty += 0.1
        why.append('chủ ngữ là một nhóm cơ quan')
    if basis in ('subject', 'request', 'giao', 'inline_lead') and origin in ('bullet', 'paragraph'):
        penalty += 0.1
        why.append('câu trong gạch đầu dòng hoặc đoạn văn')
    if known is not None:
        if all(known.end_at(agencies.tokenize(n), 0) for n in lead):
            penalty -= 0.05
        elif not any(known.end_at(agencies.tokenize(n), 0) for n in lead):
            penalty += 0.15
            why.append('không khớp cơ quan nào đã biết')
    return penalty, why
