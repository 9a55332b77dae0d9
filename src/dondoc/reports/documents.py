"""What the generated reports share: the issuing agency's header, its number symbol, its signature block,
Vietnamese dates and numbers. Pure helpers over model instances; no queries beyond the agency's parent."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from dondoc.core.text import lower_first, official_date

from . import nd30

# The body above an agency in the header (PL I, tên cơ quan chủ quản): "Ủy ban nhân dân" shortens to "UBND".
_UBND = re.compile(r"(?:Ủy|Uỷ) ban nhân dân\b", re.IGNORECASE)
_COUNCILS = {"UBND", "HĐND"}
_SMALL_WORDS = {"và", "của", "các", "-", "–"}
# Who signs for an agency whose head is away (KT. = ký thay): the head's title by the agency's first words.
_HEAD_TITLES = (
    (re.compile(r"^Sở\b"), "GIÁM ĐỐC"),
    (re.compile(r"^Văn phòng\b"), "CHÁNH VĂN PHÒNG"),
    (re.compile(r"^Thanh tra\b"), "CHÁNH THANH TRA"),
    (re.compile(r"^Ban\b"), "TRƯỞNG BAN"),
    (re.compile(r"^Công an\b"), "GIÁM ĐỐC"),
    (re.compile(r"^Bộ Chỉ huy\b"), "CHỈ HUY TRƯỞNG"),
    (re.compile(r"^(?:Ủy|Uỷ) ban nhân dân\b|^UBND\b", re.IGNORECASE), "CHỦ TỊCH"),
)
_DEPUTY = {"GIÁM ĐỐC": "PHÓ GIÁM ĐỐC", "CHÁNH VĂN PHÒNG": "PHÓ CHÁNH VĂN PHÒNG", "CHÁNH THANH TRA": "PHÓ CHÁNH THANH TRA",
           "TRƯỞNG BAN": "PHÓ TRƯỞNG BAN", "CHỈ HUY TRƯỞNG": "PHÓ CHỈ HUY TRƯỞNG", "CHỦ TỊCH": "PHÓ CHỦ TỊCH"}


def percent(rate: float) -> str:
    """0.8512 -> "85,1%" (Vietnamese decimal comma)."""
    text = f"{rate * 100:.1f}".replace(".", ",")
    return f"{text.removesuffix(',0')}%"


short_date = official_date  # the documents' name for Nghị định 30's way of writing a date


def parent_body(agency) -> str:
    """"UBND TỈNH TUYÊN QUANG" above "SỞ KẾ HOẠCH VÀ ĐẦU TƯ"; "" for an agency with no parent."""
    parent = getattr(agency, "parent", None) if agency is not None else None
    if parent is None:
        return ""
    return _UBND.sub("UBND", parent.name).upper()


def symbol(agency) -> str:
    """The agency's letters in a document number (Số: .../BC-SKHĐT): initials of its name, small words left out."""
    if agency is None:
        return "UBND"
    name = _UBND.sub("UBND", agency.name).replace("&", " ")
    letters = []
    for word in name.split():
        if word.lower() in _SMALL_WORDS:
            continue
        if word.isupper() and len(word) > 1:  # KH, ĐT, UBND
            letters.append(word)
            if word in _COUNCILS:  # "Văn phòng UBND tỉnh Tuyên Quang" -> VPUBND: the place is not in the symbol
                break
        else:
            letters.append(word[0].upper())
    return unicodedata.normalize("NFC", "".join(letters))[:12] or "UBND"


_PLACE_OF_ISSUER = re.compile(r"\b(?:tỉnh|thành phố|huyện|quận|thị xã|xã|phường|thị trấn)\s+(.+)$", re.IGNORECASE)


def place_of(plan) -> str:
    """The địa danh before a document's date: the plan's own, else the name of the place its issuer governs
    ("Ủy ban nhân dân tỉnh Tuyên Quang" -> "Tuyên Quang"), else nothing (the clerk writes it)."""
    if (plan.place or "").strip():
        return plan.place.strip()
    found = _PLACE_OF_ISSUER.search((plan.issuer or "").strip())
    return found.group(1).strip() if found else ""


def header(agency, *, place: str, date: dt.date | None, year: int | None = None, kind: str = "BC") -> nd30.Header:
    """The header of a document the agency issues, its number left blank for the clerk (văn thư) to fill."""
    name = agency.name if agency is not None else "Ủy ban nhân dân tỉnh"
    return nd30.Header(parent_body=parent_body(agency), issuer=_wrap_issuer(name), number=nd30.number_line(None, f"{kind}-{symbol(agency)}"),
                       place=place or "", date=date, year=year)


def _wrap_issuer(name: str) -> str:
    """An issuer of more than ~30 capitals goes on two lines, split at a word near the middle."""
    if len(name) <= 30:
        return name
    words = name.split()
    best, best_gap = 1, len(name)
    for i in range(1, len(words)):
        left = len(" ".join(words[:i]))
        gap = abs(left - (len(name) - left))
        if gap < best_gap:
            best, best_gap = i, gap
    return " ".join(words[:best]) + "\n" + " ".join(words[best:])


def head_title(agency) -> str:
    name = agency.name if agency is not None else ""
    for pattern, title in _HEAD_TITLES:
        if pattern.search(name):
            return title
    return "THỦ TRƯỞNG CƠ QUAN"


def signature(agency, *, name: str = "", deputy: bool = True, authority: str | None = None,
              position: str | None = None) -> nd30.Signature:
    """KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC (a deputy signs for the head, the usual case for a report), or the head's own
    title; a committee signs TM. ỦY BAN NHÂN DÂN."""
    title = head_title(agency)
    if authority is not None or position is not None:
        return nd30.Signature(authority or "", position or "", name)
    if title == "CHỦ TỊCH":
        return nd30.Signature("TM. ỦY BAN NHÂN DÂN", f"KT. CHỦ TỊCH\n{_DEPUTY[title]}" if deputy else title, name)
    if deputy and title in _DEPUTY:
        return nd30.Signature(f"KT. {title}", _DEPUTY[title], name)
    return nd30.Signature("", title, name)


def short_name(agency) -> str:
    if agency is None:
        return ""
    return agency.short_name or agency.name


def higher_body(agency, fallback: str = "UBND tỉnh") -> str:
    """How Nơi nhận names the body the report goes to: the agency's parent, short ("UBND tỉnh")."""
    parent = getattr(agency, "parent", None) if agency is not None else None
    if parent is None:
        return fallback
    return parent.short_name or parent.name


def plan_short(plan) -> str:
    kind = (plan.doc_type or "Kế hoạch").strip().capitalize()
    return f"{kind} số {plan.number}" if plan.number else kind


def about(title: str) -> str:
    """A plan's title inside a document's opening sentence: "Sửa chữa ..." -> "về sửa chữa ..." ("" without one)."""
    title = lower_first(title).rstrip(".")
    return f"về {title}" if title else ""


def upper_first(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text
