"""Which task of the plan above a task of an agency's own implementation plan serves (issue 19).

An agency carrying out a province's plan writes its own: the province's tasks, cut into pieces for its units,
reworded, with the agency's own deadlines. Each piece names what it is about in the same words as the task it
comes from ("dự toán vốn sự nghiệp 03 chương trình mục tiêu quốc gia", "Văn bản số 661/UBND-KT"), so the link is
proposed by the words the two share, weighed by how rare they are among the candidates (tf-idf over syllables and
syllable pairs, cosine similarity): a phrase every task uses ("tổ chức thực hiện", "theo chức năng, nhiệm vụ")
weighs nothing, a document number or a programme's name weighs most. The proposal is a proposal: a person fixes
it in review. Pure Python, no Django: the candidates are whatever the caller passes (an agency's assignments).
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass

# Below this a child task is left unlinked: the words it shares with its best candidate are the common ones.
MIN_SCORE = 0.25
# How much the rest of the item a task was cut from counts beside its own words.
CONTEXT = 0.5
# The runner-up also shown in review when it is this close to the best.
CLOSE = 0.8

# The words of administrative prose that say how, not what: they carry no link. (A syllable list: Vietnamese
# words are written syllable by syllable; pairs of syllables are also terms, so "ngân sách" outweighs "ngân".)
STOP = frozenset("""
và của các có cho được theo với trong để từ đến về là những này đó một hai ba khi đã đang sẽ cần phải
thực hiện tổ chức triển khai chủ trì phối hợp tham mưu đề xuất nhiệm vụ chức năng
tiếp tục tăng cường đẩy mạnh nâng cao hiệu quả tập trung chủ động kịp thời thường xuyên quy định
cơ quan đơn vị liên quan sở ban ngành ủy ủỷ nhân dân tỉnh huyện thành phố xã phòng văn lãnh đạo
hoàn thành trước ngày tháng năm hằng hàng quý trên địa bàn bảo đảm đảm cụ thể trình
""".split())
_WORD = re.compile(r"\w+", re.UNICODE)


def terms(text: str) -> Counter:
    """The terms of a text: its content syllables (lowercased, accents kept: "thu" is not "thủ") and the pairs of
    consecutive ones; numbers kept whole ("661", "2021", "03")."""
    words = [w for w in _WORD.findall(text.lower()) if w not in STOP]
    out = Counter(words)
    out.update(f"{a} {b}" for a, b in zip(words, words[1:]))
    return out


@dataclass(frozen=True)
class Proposal:
    parent: Hashable | None  # the candidate's key, None when nothing is close enough
    score: float  # cosine similarity of the best candidate, 0..1
    runner_up: Hashable | None = None  # shown beside it when nearly as good


class Index:
    """The candidates (an agency's assignments in the plan above), as tf-idf vectors with an inverted index: a
    child task is scored against those sharing a term with it, not against all of them."""

    def __init__(self, candidates: Iterable[tuple[Hashable, str]]):
        raw = [(key, terms(text)) for key, text in candidates]
        df = Counter(t for _, counts in raw for t in counts)
        n = len(raw)
        self.idf = {t: math.log((n + 1) / (d + 1)) + 1 for t, d in df.items()}
        self.keys = [key for key, _ in raw]
        self.postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for i, (_, counts) in enumerate(raw):
            vector = self._weigh(counts)
            for t, w in vector.items():
                self.postings[t].append((i, w))

    def _weigh(self, counts: Counter) -> dict[str, float]:
        # A term never seen among the candidates gets the weight of the rarest: it still counts in the child's norm.
        top = max(self.idf.values(), default=1.0)
        vector = {t: (1 + math.log(c)) * self.idf.get(t, top) for t, c in counts.items()}
        norm = math.sqrt(sum(w * w for w in vector.values())) or 1.0
        return {t: w / norm for t, w in vector.items()}

    def best(self, text: str, min_score: float = MIN_SCORE, context: str = "") -> Proposal:
        """The best candidate for `text`; `context` (the other pieces of the sentence or item it was cut from)
        counts for CONTEXT of it: "đánh giá kết quả thực hiện Đề án" says which Đề án only beside its sibling."""
        query = self._weigh(terms(text))
        if context:
            for t, w in self._weigh(terms(context)).items():
                query[t] = query.get(t, 0.0) + CONTEXT * w
            norm = math.sqrt(sum(w * w for w in query.values())) or 1.0
            query = {t: w / norm for t, w in query.items()}
        scores: dict[int, float] = defaultdict(float)
        for t, w in query.items():
            for i, pw in self.postings.get(t, ()):
                scores[i] += w * pw
        if not scores:
            return Proposal(None, 0.0)
        ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
        (first, s1), second = ranked[0], ranked[1] if len(ranked) > 1 else (None, 0.0)
        if s1 < min_score:
            return Proposal(None, round(s1, 3))
        runner = self.keys[second[0]] if second[0] is not None and second[1] >= CLOSE * s1 else None
        return Proposal(self.keys[first], round(s1, 3), runner)


def propose(children: Iterable[tuple], candidates: Iterable[tuple[Hashable, str]],
            min_score: float = MIN_SCORE) -> dict[Hashable, Proposal]:
    """{child key: Proposal} — each child task, (key, text) or (key, text, context), with the candidate it most
    likely serves."""
    index = Index(candidates)
    return {child[0]: index.best(child[1], min_score, child[2] if len(child) > 2 else "") for child in children}
