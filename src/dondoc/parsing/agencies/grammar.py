"""Vietnamese agency names: where a name starts and where it ends, decided by its grammar.

A name is a head (Sở, Bộ, Ủy ban nhân dân / UBND, Công an, Bộ Chỉ huy Quân sự, Văn phòng, Thanh tra ...)
with its field and place ("Sở Kế hoạch và Đầu tư", "Công an tỉnh Nghệ An"), a class of bodies ("các sở,
ban, ngành", "UBND các xã, phường, đặc khu", "các Bộ: Quốc phòng, Công an"), a role over one of those
("Giám đốc các sở", "Chủ tịch UBND xã") or a unit code ("C04"). The vocabulary is general
(data/lexicon.json), never one plan's list; the agencies a tenant already knows can be passed in
(`known_names`) and extend a name the grammar would cut short ("Trung tâm Xúc tiến đầu tư").

Rules that decide the end of a name:
- a verb ("chủ trì", "phối hợp", "tham mưu" ...) or a function word ("để", "theo", "trong" ...) ends it;
- after a capitalised word of the field, one lower-case syllable belongs to the same word ("Đào tạo",
  "Tài chính"), so a verb that happens to be a syllable of the field does not cut it;
- "," / "và" / "-" followed by a capitalised word that starts no new body continue the field ("Sở Văn hóa,
  Thể thao và Du lịch"); followed by a head, a role or "các" they separate two names;
- place words continue it ("tỉnh", "các xã, phường", "cấp tỉnh, cấp xã", "khu vực II");
- a chain of bare class nouns is one name ("Các sở, ban, ngành, đoàn thể cấp tỉnh"); a class noun with a
  descriptor of its own stands alone ("tổ chức chính trị - xã hội").
"""
from .tenant import _KNOWN
from .tokens import _CODE, _is_abbrev, match

# ---- the grammar ----------------------------------------------------------------------------------

def _word(toks, i):
    return i < len(toks) and toks[i].word


def _verb_or_stop(toks, i):
    """A verb or function word starts at toks[i] (the words that end a name)."""
    if not _word(toks, i) or toks[i].cap:
        return False
    if match(toks, i, 'name_links'):
        return False
    return bool(match(toks, i, 'verbs') or match(toks, i, 'function_words'))


def _head(toks, i):
    """Tokens of an agency head at toks[i] ("Sở", "Ủy ban nhân dân", "UBND", "Bộ Chỉ huy Quân sự")."""
    if not _word(toks, i) or not toks[i].cap:
        return 0
    n = match(toks, i, 'agency_heads')
    if not n:
        return 0
    if (n == 1 or match(toks, i, 'verbs') >= n) and not _is_abbrev(toks[i]):
        # "Ban hành", "Báo cáo", "Sở, ban, ngành", "Thanh tra việc ...": such a head is followed by a name
        j = i + n
        if not _word(toks, j):
            return 0
        nxt = toks[j]
        if not (nxt.cap or _is_abbrev(nxt) or match(toks, j, 'place_words') or nxt.s.isdigit()):
            return 0
    return n


def _role(toks, i):
    n = match(toks, i, 'role_heads')
    if not n:
        return 0
    if toks[i].low == 'trưởng' and n == 1 and not toks[i].cap:
        return 0
    j = i + n
    # a role names the person over a body: something must follow
    if _word(toks, j) and (toks[j].low in ('các', 'những') or _head(toks, j) or match(toks, j, 'class_nouns')
                           or match(toks, j, 'place_words') or _role(toks, j) or toks[j].cap
                           or toks[j].low == 'phụ' and _word(toks, j + 1) and toks[j + 1].low == 'trách'):
        return n
    return 0


def _class(toks, i):
    return match(toks, i, 'class_nouns')


def _determiner(toks, i):
    if _word(toks, i) and toks[i].low in ('các', 'những'):
        return 1
    if match(toks, i, 'function_words') == 0 and _word(toks, i) and toks[i].low == 'tất' and \
            _word(toks, i + 2) and toks[i + 1].low == 'cả' and toks[i + 2].low == 'các':
        return 3
    return 0


def starts_name(toks, i, list_ctx=False, bare_class=False):
    """A name can start at toks[i] (a head, role, determiner + class, a known name, a code).

    `bare_class`: a class noun without "các" starts one too (after a separator in a list of names:
    "Sở Thông tin và Truyền thông, cơ quan, đơn vị liên quan")."""
    if not _word(toks, i):
        return False
    if _head(toks, i) or _role(toks, i) or _CODE.match(toks[i].s):
        return True
    d = _determiner(toks, i)
    if d and (_class(toks, i + d) or _head(toks, i + d) or match(toks, i + d, 'place_words')):
        return True
    known = _KNOWN.get()
    if known and known.end_at(toks, i):
        return True
    if (list_ctx or bare_class) and _bare_class(toks, i):
        return True
    if list_ctx and toks[i].cap and not _verb_cap(toks, i):
        return True
    return False


def _bare_class(toks, i):
    """A class noun standing without "các" that is not the verb it may also be ("Tổ chức tập huấn");
    "tổ chức, cá nhân có liên quan" is a class all the same."""
    n = _class(toks, i)
    if not n:
        return 0
    if n > match(toks, i, 'verbs'):
        return n
    j = i + n
    if j < len(toks) and (toks[j].s == ',' and _class(toks, j + 1) or toks[j].word and match(toks, j, 'name_links')):
        return n
    return 0


def _verb_cap(toks, i):
    """A capitalised verb opening a clause ("Chủ trì", "Phối hợp", "Tham mưu")."""
    t = toks[i]
    if not t.word:
        return False
    return bool(match(toks, i, 'verbs') or match(toks, i, 'function_words')) and not match(toks, i, 'agency_heads')


_JOINERS = {'và', 'các', 'những', 'hoặc', 'cùng', 'với', 'của'}


class _Scan:
    def __init__(self, toks, list_ctx=False):
        self.toks, self.list_ctx = toks, list_ctx
        self._standalone = self._role = self._phu_trach = False

    def name(self, i, bare_class=False):
        """(end index, kind) of the name starting at toks[i], or None."""
        toks = self.toks
        j, kind = i, 'agency'
        while True:           # "Đồng chí Chủ tịch Ủy ban MTTQ xã": roles may stack
            r = _role(toks, j)
            if not r:
                break
            j += r
            kind = 'role'
        d = _determiner(toks, j)
        if d:
            j += d
            if kind == 'agency':
                kind = 'group'
        known = _KNOWN.get()
        kend = known.end_at(toks, j) if known else None
        core_start = j
        h = _head(toks, j)
        if h:
            core = 'head'
            j += h
        elif _class(toks, j) and (d or kind == 'role' or (self.list_ctx or bare_class or toks[j].cap)
                                   and _bare_class(toks, j)):
            core = 'class'
            alone = not (d or kind == 'role' or self.list_ctx or bare_class)
            j += _class(toks, j)
            if kind == 'agency':
                kind = 'group'
            if alone:
                # "Cơ quan, đơn vị liên quan" opening a sentence is a name; a lone "Sở" or "Cơ quan" is not,
                # nor "Hội nghị …", "Trường hợp …": a one-syllable class noun alone needs a list or a link
                if j - core_start == 1 and not (j < len(toks) and (toks[j].s == ',' or match(toks, j, 'name_links')
                                                                   or match(toks, j, 'place_words'))):
                    return None
                self._standalone = match(toks, core_start, 'standalone_classes') > 0
                end = self._tail(j, core, i)
                self._standalone = False
                return (end, kind) if end > j else None
        elif kind == 'role' and _word(toks, j + 1) and toks[j].low == 'phụ' and toks[j + 1].low == 'trách':
            core = 'head'               # "Cán bộ phụ trách lĩnh vực giám sát …": the field follows
            self._phu_trach = True
        elif (d or kind == 'role') and match(toks, j, 'place_words'):
            core = 'class'             # "các tỉnh, thành phố", "Trưởng thôn"
            j += match(toks, j, 'place_words')
            if kind == 'agency':
                kind = 'group'
        elif j == i and _CODE.match(toks[j].s):
            return j + 1, 'code'
        elif kend:
            return self._tail(kend, 'head', i), kind
        elif j == i and self.list_ctx and _word(toks, j) and toks[j].cap and not _verb_cap(toks, j):
            core = 'head'               # a cell of the lead column: "Thuế Đồng Nai", "Tổng Công ty"
            j += 1
        else:
            return None
        self._standalone = core == 'class' and match(toks, core_start, 'standalone_classes') > 0
        self._role = kind == 'role'
        end = self._tail(j, core, i)
        self._standalone = self._role = self._phu_trach = False
        if kend and kend > end:
            end = kend
        return end, kind

    def _tail(self, j, core, start):
        end = self._tail_words(j, core, start)
        # a name never ends with a joining word or a separator, whatever path reached it
        while end > start + 1 and (not self.toks[end - 1].word and self.toks[end - 1].s != ')' or
                                   self.toks[end - 1].low in _JOINERS):
            end -= 1
        return end

    def _tail_words(self, j, core, start):
        toks, n = self.toks, len(self.toks)
        prev_cap = core == 'head' and j > start and toks[j - 1].cap
        compound = prev_cap
        # a capitalised field word has been read after the head (or inside it: "Cục Quản lý")
        descr = core == 'head' and toks[start].cap and any(toks[k].cap for k in range(start + 1, j))
        modifier = False            # a class noun got a descriptor of its own
        placename = False           # capitalised place names after a place word: "tỉnh Nghệ An"
        in_khu = False              # inside "các khu …", where "và" joins kinds of zones
        paren = False
        last_good = j
        while j < n:
            t = toks[j]
            if t.word:
                low = t.low
                if t.cap or _is_abbrev(t):
                    if j > start and _head(toks, j) and descr and _dept_head(toks, start) and \
                            toks[j].low in ('sở', 'bộ', 'ubnd', 'ủy', 'uỷ') and toks[j - 1].s != '/':
                        break       # "Sở Khoa học và Công nghệ Sở Công Thương": a separator was lost
                    after_place = j > start and (placename or _after_place(toks, j))
                    in_khu = in_khu or low == 'khu'
                    if core == 'class' and not after_place and _verb_cap(toks, j):
                        break
                    v = match(toks, j, 'verbs')
                    if descr and not after_place and v >= 2 and not _head(toks, j) and j + v < n and \
                            toks[j + v].word and not toks[j + v].cap and not match(toks, j + v, 'place_words'):
                        break       # "Tỉnh đoàn Thanh niên Chỉ đạo các …": a new sentence lost its full stop
                    j += 1
                    prev_cap = compound = True
                    descr = descr or not after_place
                    placename = after_place
                    modifier = modifier or core == 'class' and not after_place
                    last_good = j
                    continue
                if low.isdigit() and (prev_cap or descr or _after_place(toks, j)):
                    j += 1
                    last_good = j
                    continue
                p = match(toks, j, 'place_words')
                if p:
                    in_khu = in_khu or low == 'khu'
                    j += p
                    prev_cap = compound = False
                    placename = True
                    last_good = j
                    continue
                if low == 'từ' and placename and _range_after(toks, j):
                    j = last_good = _range_after(toks, j)   # "các tỉnh, thành phố từ Hà Tĩnh đến Khánh Hòa"
                    continue
                if low in ('các', 'những'):
                    if match(toks, j + 1, 'place_words') or core == 'head' and toks[j + 1:j + 2] and \
                            toks[j + 1].low == 'khu':
                        j += 1
                        continue
                    break           # a determiner opens another phrase
                if self._phu_trach and low == 'phụ' and j + 1 < n and toks[j + 1].low == 'trách':
                    j += 2          # "Cán bộ phụ trách lĩnh vực …", "Phó Chủ tịch phụ trách …"
                    descr = True
                    continue
                lk = match(toks, j, 'name_links')
                if lk:
                    j += lk
                    if toks[j - 1].low == 'thuộc' and j < n and starts_name(toks, j):
                        sub = self.name(j)
                        if sub:
                            j = sub[0]
                    last_good = j
                    prev_cap = compound = False
                    continue
                if low in ('thuộc', 'của') and j + 1 < n:
                    # "các cơ quan trực thuộc Bộ …", "các sở, ban, ngành của Thành phố": a nested name or place
                    sub = self.name(j + 1) if starts_name(toks, j + 1) else None
                    if sub:
                        j = last_good = sub[0]
                        continue
                    p = match(toks, j + 1, 'place_words')
                    if p:
                        j = last_good = j + 1 + p
                        placename = True
                        continue
                if low == 'và' and in_khu and j + 1 < n and toks[j + 1].word and not toks[j + 1].cap \
                        and toks[j + 1].low not in _JOINERS and not _verb_or_stop(toks, j + 1) \
                        and not starts_name(toks, j + 1):
                    j += 2          # "Ban Quản lý các Khu chế xuất và công nghiệp Thành phố"
                    last_good = j
                    continue
                if low in ('và', 'cùng', 'hoặc'):
                    step = self._continues_after_sep(j, core, descr, modifier, placename)
                    if not step:
                        break
                    j += 1 + step
                    last_good = j
                    prev_cap = compound = toks[j - 1].cap
                    continue
                if compound and not _multiword_verb(toks, j) and not match(toks, j, 'function_words'):
                    j += 1                  # the second syllable of a capitalised word: "Đào tạo", "Y tế"
                    compound = prev_cap = False
                    last_good = j
                    continue
                if in_khu and match(toks, j, 'verbs') and j + match(toks, j, 'verbs') < n and \
                        toks[j + match(toks, j, 'verbs')].cap and not match(toks, j, 'predicates'):
                    j += match(toks, j, 'verbs')    # "Khu Nông nghiệp ứng dụng Công nghệ cao": a zone's name
                    continue
                if _verb_or_stop(toks, j):
                    v = match(toks, j, 'verbs')
                    if not (descr and v >= 2 and j >= 2 and toks[j - 1].word and toks[j - 2].cap and
                            not toks[j - 1].cap and (j + v >= n or toks[j + v].s == ':')) \
                            or match(toks, j, 'predicates'):
                        break
                    j += v              # "Trung tâm Xúc tiến đầu tư:": a verb with no object ends the field
                    last_good = j
                    compound = prev_cap = False
                    continue
                if descr or core == 'class' or core == 'head':
                    j += 1                  # lower-case words of the field: "vận tải", "viễn thông"
                    compound = prev_cap = False
                    modifier = modifier or core == 'class'
                    descr = descr or core == 'head'
                    last_good = j
                    continue
                break
            s = t.s
            if s == ',':
                step = self._continues_after_sep(j, core, descr, modifier, placename)
                if not step:
                    break
                j += 1 + step
                last_good = j
                prev_cap = compound = toks[j - 1].cap
                continue
            if s in '-–' and j + 1 < n and toks[j + 1].word:
                nxt = toks[j + 1]
                if nxt.low == 'chi' and j + 2 < n and toks[j + 2].low == 'nhánh':
                    j += 3              # "Ngân hàng Nhà nước Việt Nam - Chi nhánh Khu vực II"
                    last_good = j
                    prev_cap = compound = False
                    continue
                if (nxt.cap and not _head(toks, j + 1) and not match(toks, j + 1, 'class_nouns')) or \
                        (not nxt.cap and not _verb_or_stop(toks, j + 1) and (descr or core == 'class')):
                    j += 1
                    continue
                break
            if s == '/' and j + 1 < n and _head(toks, j + 1):
                j += 1
                continue
            if s == '(':
                close = _members_paren(toks, j)
                if close:
                    j = last_good = close
                    paren = True
                    continue
                break
            if s == ':' and (core == 'class' or placename and j > 0 and match(toks, j - 1, 'place_words')) \
                    and not paren and _colon_members(toks, j):
                j = last_good = _colon_members(toks, j)
                continue
            break
        return last_good

    def _continues_after_sep(self, j, core, descr, modifier, placename=False):
        """After "," / "và" at toks[j]: tokens of the same name that follow (0: the name ends here)."""
        toks = self.toks
        k = j + 1
        if k >= len(toks) or not toks[k].word:
            return 0
        sep = toks[j].s
        if sep == ',' and toks[k].low == 'chống' and toks[j - 1].low == 'phòng':
            return 1             # "Phòng, chống thiên tai": one word of the field
        if _role(toks, k) or _determiner(toks, k) or _head(toks, k):
            return 0
        nxt = toks[k]
        if nxt.cap and descr and (core == 'head' or core == 'class' and modifier) and not _verb_cap(toks, k) \
                and not match(toks, k, 'class_nouns') or nxt.cap and descr and sep != ',' and not _head(toks, k):
            return 1             # "Cơ quan Lao động - Thương binh và Xã hội": the field goes on
        p = match(toks, k, 'place_words')
        if p and not nxt.cap:
            # "xã, phường", "cấp tỉnh, cấp xã"; "và khu công nghiệp" after "các khu ..."; "các sở, ban, ngành và
            # địa phương" (a class that is also a place word, at the end of a bare chain)
            if sep == ',' or nxt.low == 'khu' or core == 'class' and not modifier and _class(toks, k) and \
                    not (k + p < len(toks) and toks[k + p].word and match(toks, k + p, 'name_links')):
                return p
            return 0
        c = _class(toks, k)
        if c and not nxt.cap or c and core == 'class':
            if core != 'class' or modifier or self._standalone:
                return 0
            if sep != ',' and (k + c < len(toks) and toks[k + c].word and
                               (match(toks, k + c, 'name_links') or match(toks, k + c, 'place_words'))):
                return 0            # "các bộ, ngành và tổ chức liên quan": "và" joins two groups
            # a bare class noun continues the chain unless it carries a descriptor of its own
            return 0 if self._class_item_has_modifier(k) else c
        if nxt.cap and (descr and (core == 'head' or core == 'class' and modifier) or placename):
            return 1             # "Văn hóa, Thể thao và Du lịch", "Kế hoạch và Đầu tư", "Nghệ An, Quảng Ngãi"
        return 0

    def _class_item_has_modifier(self, k):
        toks = self.toks
        if match(toks, k, 'standalone_classes'):
            return True         # "tổ chức chính trị - xã hội" is named apart from "các sở, ban, ngành"
        j = k + _class(toks, k)
        if j < len(toks) and toks[j].word and toks[j].low in ('thuộc', 'của') and j + 1 < len(toks) and \
                (match(toks, j + 1, 'place_words') or starts_name(toks, j + 1)):
            return False
        if j < len(toks) and toks[j].word and not toks[j].cap and not match(toks, j, 'place_words') \
                and not match(toks, j, 'name_links') and not _verb_or_stop(toks, j) \
                and toks[j].low not in ('và', 'các'):
            return True
        if j < len(toks) and toks[j].s in '-–':
            return True
        return False


def _range_after(toks, j):
    """End of "từ <Place> đến <Place>" starting at toks[j] ("từ"), or 0."""
    k = j + 1
    if k >= len(toks) or not toks[k].cap:
        return 0
    while k < len(toks) and toks[k].word and toks[k].cap:
        k += 1
    if k >= len(toks) or toks[k].low != 'đến' or k + 1 >= len(toks) or not toks[k + 1].cap:
        return 0
    k += 1
    while k < len(toks) and toks[k].word and toks[k].cap:
        k += 1
    return k


def _multiword_verb(toks, i):
    n = match(toks, i, 'verbs')
    return n >= 2


def _after_place(toks, j):
    return j > 0 and toks[j - 1].word and bool(match(toks, j - 1, 'place_words'))


def _dept_head(toks, start):
    return toks[start].low in ('sở', 'bộ', 'ubnd') or toks[start].low in ('ủy', 'uỷ')


def _members_paren(toks, j):
    """End (after ")") of a parenthesis listing members: "(VNPT, Viettel, MobiFone ...)", "(gồm các Sở: ...)"."""
    depth, k = 0, j
    caps = words = 0
    while k < len(toks) and k - j < 40:
        s = toks[k].s
        if s == '(':
            depth += 1
        elif s == ')':
            depth -= 1
            if depth == 0:
                break
        elif toks[k].word:
            words += 1
            caps += toks[k].cap
            if not toks[k].cap and match(toks, k, 'verbs') and toks[k].low not in ('gồm',):
                return None
        k += 1
    if k >= len(toks) or toks[k].s != ')' or not words:
        return None
    first = toks[j + 1] if j + 1 < len(toks) else None
    if first is not None and first.word and first.low in ('gồm', 'bao') or caps * 2 >= words:
        return k + 1
    items = [[]]
    for t in toks[j + 1:k]:
        if t.s == ',' or t.low == 'và':
            items.append([])
        elif t.word:
            items[-1].append(t)
    items = [x for x in items if x]
    if len(items) >= 2 and sum(1 for x in items if x[0].cap) * 2 > len(items):
        return k + 1          # "(VNPT, Viettel, MobiFone và doanh nghiệp khác)"
    return None


def _colon_members(toks, j):
    """"các Bộ: Quốc phòng, Công an": the end of the capitalised list after the colon, or 0."""
    k = j + 1
    if k >= len(toks) or not toks[k].cap or _verb_cap(toks, k) or _head(toks, k):
        return 0            # "các Bộ: Quốc phòng, …" lists fields; "các sở: Sở Tài chính …" is no such list
    end, after_cap = 0, False
    while k < len(toks):
        t = toks[k]
        if t.word:
            if match(toks, k, 'predicates') and not t.cap:
                break
            if t.cap or t.low == 'và' or after_cap and not _multiword_verb(toks, k) or not _verb_or_stop(toks, k):
                if not t.cap and t.low != 'và' and not after_cap and _verb_or_stop(toks, k):
                    break
                after_cap = t.cap
                k += 1
                if t.low != 'và':
                    end = k
                continue
            break
        if t.s in ',-–':
            after_cap = False
            k += 1
            continue
        break
    return end

