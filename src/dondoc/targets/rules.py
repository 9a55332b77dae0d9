"""Targets (chỉ tiêu): reading numbers and units as Vietnamese officials type them, and the status colour.

Pure: no Django import, dates and Decimals in, values out. docs/targets.md says the same in prose.

Numbers (`parse_number`)
    Vietnamese writes a comma for decimals and a dot between thousands: "95,5" is 95.5, "1.200" is 1200,
    "1.234.567,25" is 1234567.25. A space (also a no-break space) may group thousands: "1 200". A dot that
    does not separate groups of exactly three digits ("95.5", "1.20") is refused rather than guessed, because
    "1.500" and "1.50" would otherwise differ by a factor of a thousand. A JSON number from the API is not
    text and is taken as it is. Refused: empty text, letters, "NaN", "Infinity", exponents ("1e5"), more
    than one sign, more than 4 decimal places, more than 15 digits before the comma.

Units (`check_unit`, `check_value`)
    An actual is given in its target's unit, compared without accents, case or extra spaces ("km" = "Km",
    "căn hộ" = "Căn Hộ" = "can ho"). Aliases: "phần trăm" for "%", "hạng"/"thứ hạng"/"xếp hạng" for
    "rank", "số lượng" for "count". Values:
      - no unit accepts a negative value (a change that went the wrong way, e.g. poverty that rose, is
        entered as 0 with the real figure in the note);
      - a percentage lies between 0 and 100, except for a target set at 100 % or more ("thu ngân sách đạt
        trên 100% dự toán"), whose actual may reach 1000 %;
      - a rank is a whole number from 1; a count is a whole number.

Colour (`assess`, `colour`)
    Higher is better for >, >=, = (and "=" means "reach": the target is met at the value or above).
    Lower is better for <, <= and for every rank target ("đứng thứ 35", "nhóm 20 tỉnh dẫn đầu"); for a rank,
    the strict operators (> and <) mean strictly better than the value, the others the value or better.
    With the latest actual (the latest period; in a period, the latest entry), in this order:
      1. grey   — no actual yet, or the target's period (plan start → task deadline) has not started;
      2. green  — the actual already meets the target;
      3. red    — the deadline has passed and the target is not met (the deadline day itself counts as in
                  time);
      4. grey   — no deadline (a recurring task), or no time has elapsed when the actual was measured: the
                  pace cannot be judged;
      5. the pace: the elapsed share s = (measured − start) / (deadline − start), where "measured" is the
         end of the actual's period (or today if earlier). From the baseline b (0 by default for "higher is
         better"), the progress so far is g = actual − b (b − actual when lower is better) and the progress
         the whole target needs is n = value − b (b − value).
         green  — linear progress projects meeting the target: g ≥ n·s (g > n·s for > and <);
         orange — g ≥ 75 % of n·s (ORANGE_SHARE);
         red    — below that, or the actual has moved away from a target its baseline already met.
         A "lower is better" target without a baseline cannot be paced: orange until its deadline.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from dondoc.core.errors import ActionError

OPS = (">", ">=", "=", "<=", "<")
OP_LABELS = {">": "trên", ">=": "ít nhất", "=": "đạt", "<=": "không quá", "<": "dưới"}
OP_SYMBOLS = {">": ">", ">=": "≥", "=": "=", "<=": "≤", "<": "<"}
PERCENT, RANK, COUNT = "%", "rank", "count"
UNIT_LABELS = {PERCENT: "%", RANK: "hạng", COUNT: "số lượng"}

# Orange from this share of the pro-rata expectation; below it, red. Provinces use 70–80 %: the middle.
ORANGE_SHARE = Fraction(3, 4)
PERCENT_MAX = Decimal(100)
PERCENT_MAX_OVER_PLAN = Decimal(1000)
MAX_DECIMALS = 4
MAX_INTEGER_DIGITS = 15


class TargetInputError(ActionError):
    """Refused input (a number, a unit, an operator), with a message in Vietnamese."""


# --- Numbers ----------------------------------------------------------------------------------------------

_SPACES = re.compile(r"[\u00a0\u202f\u2007]")
_GROUPED_DOTS = re.compile(r"[0-9]{1,3}(?:\.[0-9]{3})+")
_GROUPED_SPACES = re.compile(r"[0-9]{1,3}(?: [0-9]{3})+")
_PLAIN = re.compile(r"[0-9]+")


def parse_number(text) -> Decimal:
    """A number as Vietnamese writes it ("95,5", "1.200", "1.234.567,25", "1 200"), or a JSON number.

    Raises TargetInputError with a Vietnamese message for anything else.
    """
    if isinstance(text, bool):
        raise TargetInputError("Giá trị thực hiện phải là một số.")
    if isinstance(text, int):
        return _bounded(Decimal(text), str(text))
    if isinstance(text, float):
        if text != text or text in (float("inf"), float("-inf")):
            raise TargetInputError("Giá trị thực hiện phải là một số.")
        return _bounded(Decimal(repr(text)), repr(text))
    if isinstance(text, Decimal):
        if not text.is_finite():
            raise TargetInputError("Giá trị thực hiện phải là một số.")
        return _bounded(text, str(text))
    if not isinstance(text, str):
        raise TargetInputError("Giá trị thực hiện phải là một số.")
    raw = _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()
    if not raw:
        raise TargetInputError("Hãy nhập giá trị thực hiện.")
    shown = raw if len(raw) <= 40 else raw[:39] + "…"
    body = raw
    sign = ""
    if body[0] in "+-−":
        sign, body = ("-" if body[0] in "-−" else ""), body[1:].lstrip()
    whole, comma, fraction = body.partition(",")
    if comma and not _PLAIN.fullmatch(fraction):
        raise TargetInputError(f"Giá trị “{shown}” không phải là số hợp lệ (dấu phẩy ngăn cách phần thập phân, "
                               "ví dụ 95,5).")
    if _PLAIN.fullmatch(whole):
        digits = whole
    elif _GROUPED_DOTS.fullmatch(whole) or _GROUPED_SPACES.fullmatch(whole):
        digits = whole.replace(".", "").replace(" ", "")
    elif re.fullmatch(r"[0-9]+\.[0-9]+", whole) and not comma:
        raise TargetInputError(f"Giá trị “{shown}” không rõ: dấu chấm ngăn cách hàng nghìn (1.200 là một nghìn hai trăm); "
                               "phần thập phân viết sau dấu phẩy, ví dụ 95,5.")
    else:
        raise TargetInputError(f"Giá trị “{shown}” không phải là một số.")
    return _bounded(Decimal(f"{sign}{digits}.{fraction}" if comma else f"{sign}{digits}"), shown)


def _bounded(value: Decimal, shown: str) -> Decimal:
    try:
        sign, digits, exponent = value.as_tuple()
    except InvalidOperation:  # pragma: no cover - finite Decimals always have a tuple
        raise TargetInputError("Giá trị thực hiện phải là một số.")
    decimals = -exponent if exponent < 0 else 0
    if decimals > MAX_DECIMALS and value != value.quantize(Decimal(1).scaleb(-MAX_DECIMALS)):
        raise TargetInputError(f"Giá trị “{shown}” có quá {MAX_DECIMALS} chữ số thập phân.")
    if abs(value) >= Decimal(10) ** MAX_INTEGER_DIGITS:
        raise TargetInputError(f"Giá trị “{shown}” quá lớn.")
    return value.quantize(Decimal(1).scaleb(-MAX_DECIMALS)).normalize() + 0  # + 0 turns -0 into 0


def format_number(value: Decimal | int | float | None) -> str:
    """Vietnamese notation: 1.234.567,5 (dot between thousands, comma before decimals)."""
    if value is None:
        return "—"
    value = Decimal(str(value)) if not isinstance(value, Decimal) else value
    value = value.normalize() + 0  # + 0: no "-0"
    if value == value.to_integral_value():
        value = value.quantize(Decimal(1))
    text = f"{value:,f}"  # 1,234,567.5
    return text.replace(",", "\u0001").replace(".", ",").replace("\u0001", ".")


def format_quantity(value, unit: str) -> str:
    """A value with its unit as Vietnamese writes it: "82,5%", "hạng 38", "2" (a count), "1.200 km"."""
    number = format_number(value)
    code = normalize_unit(unit)
    if code == PERCENT:
        return f"{number}%"
    if code == RANK:
        return f"hạng {number}"
    if code == COUNT or not (unit or "").strip():
        return number
    return f"{number} {unit.strip()}"


# --- Units ------------------------------------------------------------------------------------------------

_UNIT_ALIASES = {"phan tram": PERCENT, "percent": PERCENT, "hang": RANK, "thu hang": RANK, "xep hang": RANK,
                 "so luong": COUNT}


def normalize_unit(unit: str | None) -> str:
    """A unit compared without accents, case or spaces; "%" and the aliases map to their code."""
    text = unicodedata.normalize("NFD", (unit or "").replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = " ".join(text.replace("％", "%").split())
    if text in ("%", "% "):
        return PERCENT
    return _UNIT_ALIASES.get(text, text)


def unit_label(unit: str) -> str:
    """How a unit code reads in the interface: "%" , "hạng", "số lượng", or the unit word itself."""
    return UNIT_LABELS.get(unit, unit)


def check_unit(target_unit: str, given: str | None) -> str:
    """The actual's unit must be the target's (accent- and case-insensitive, aliases allowed); its normal form."""
    if not (given or "").strip():
        raise TargetInputError(f"Hãy ghi đơn vị tính của giá trị thực hiện (chỉ tiêu tính bằng “{unit_label(target_unit)}”).")
    if normalize_unit(given) != normalize_unit(target_unit):
        raise TargetInputError(f"Sai đơn vị tính: chỉ tiêu tính bằng “{unit_label(target_unit)}”, "
                               f"giá trị nhập bằng “{given.strip()[:40]}”.")
    return normalize_unit(given)


def check_value(target_unit: str, target_value: Decimal, value: Decimal) -> Decimal:
    """The ranges an actual may take in its unit (see the module's docstring); the value, when accepted."""
    unit = normalize_unit(target_unit)
    if value < 0:
        raise TargetInputError("Giá trị thực hiện không được âm (nếu chỉ tiêu diễn biến ngược chiều, nhập 0 và ghi rõ "
                               "trong phần ghi chú).")
    if unit == PERCENT:
        top = PERCENT_MAX_OVER_PLAN if target_value >= PERCENT_MAX else PERCENT_MAX
        if value > top:
            raise TargetInputError(f"Tỷ lệ phần trăm phải từ 0 đến {format_number(top)}.")
    elif unit == RANK:
        if value != value.to_integral_value() or value < 1:
            raise TargetInputError("Thứ hạng phải là số nguyên từ 1 trở lên.")
    elif unit == COUNT:
        if value != value.to_integral_value():
            raise TargetInputError("Chỉ tiêu đếm số lượng: giá trị thực hiện phải là số nguyên.")
    return value


def split_percent(text) -> tuple[object, str | None]:
    """ "95,5%" → ("95,5", "%"): a percent sign typed with the number counts as its unit."""
    if isinstance(text, str):
        stripped = text.strip()
        if stripped.endswith(("%", "％")):
            return stripped[:-1].rstrip(), PERCENT
    return text, None


# --- Targets ----------------------------------------------------------------------------------------------

def check_target(op, value, unit, text: str = "") -> tuple[str, Decimal, str]:
    """A target's operator, value and unit, checked; returned cleaned (unit as a code or the word as given)."""
    if op not in OPS:
        raise TargetInputError("Phép so sánh của chỉ tiêu phải là một trong: >, >=, =, <=, <.")
    if value is None or value == "":
        raise TargetInputError("Hãy nhập giá trị chỉ tiêu.")
    number = parse_number(value)
    cleaned_unit = " ".join((unit or "").split())
    if not cleaned_unit:
        raise TargetInputError("Hãy nhập đơn vị tính của chỉ tiêu (%, hạng, số lượng hoặc đơn vị như km, căn hộ).")
    if len(cleaned_unit) > 50:
        raise TargetInputError("Đơn vị tính quá dài (tối đa 50 ký tự).")
    code = normalize_unit(cleaned_unit)
    if code in (PERCENT, RANK, COUNT):
        cleaned_unit = code
    if number < 0:
        raise TargetInputError("Giá trị chỉ tiêu không được âm.")
    if code == PERCENT and number > PERCENT_MAX_OVER_PLAN:
        raise TargetInputError("Chỉ tiêu phần trăm không vượt quá 1.000%.")
    if code == RANK and (number != number.to_integral_value() or number < 1):
        raise TargetInputError("Thứ hạng phải là số nguyên từ 1 trở lên.")
    return op, number, cleaned_unit


def clean_parsed_target(item) -> dict | None:
    """A target as the parser stores it in Task.targets, checked; None when it cannot be measured."""
    if not isinstance(item, dict):
        return None
    try:
        op, value, unit = check_target(item.get("op"), item.get("value"), item.get("unit"))
    except TargetInputError:
        return None
    text = " ".join(str(item.get("text") or "").split())
    return {"op": op, "value": value, "unit": unit, "text": text or describe(op, value, unit)}


def lower_is_better(op: str, unit: str) -> bool:
    return normalize_unit(unit) == RANK or op in ("<", "<=")


def meets(op: str, target_value: Decimal, actual: Decimal, unit: str = "") -> bool:
    """Whether an actual meets the target ("=" means reach it; ranks: lower is better)."""
    if normalize_unit(unit) == RANK:
        return actual < target_value if op in (">", "<") else actual <= target_value
    return {">": actual > target_value, ">=": actual >= target_value, "=": actual >= target_value,
            "<=": actual <= target_value, "<": actual < target_value}[op]


def describe(op: str, value: Decimal, unit: str) -> str:
    """ "> 95%", "≥ 1.000.000", "hạng ≤ 35", "≥ 120 km"."""
    number = format_number(value)
    code = normalize_unit(unit)
    if code == RANK:
        strict = op in (">", "<")
        return f"hạng {'<' if strict else '≤'} {number}"
    symbol = OP_SYMBOLS.get(op, op)
    if code == PERCENT:
        return f"{symbol} {number}%"
    if code == COUNT:
        return f"{symbol} {number}"
    return f"{symbol} {number} {unit}"


# --- Colour -----------------------------------------------------------------------------------------------

class Colour(str, enum.Enum):
    RED = "red"
    ORANGE = "orange"
    GREEN = "green"
    GREY = "grey"

    @property
    def label(self) -> str:
        return _COLOUR_LABELS[self]

    @property
    def css(self) -> str:
        """Bootstrap background for the badge (the text label is always shown too)."""
        return _COLOUR_CSS[self]


_COLOUR_LABELS = {
    Colour.RED: "Có nguy cơ không đạt",
    Colour.ORANGE: "Đang tiến triển",
    Colour.GREEN: "Dự kiến đạt",
    Colour.GREY: "Chưa đánh giá được",
}
_COLOUR_CSS = {Colour.RED: "danger", Colour.ORANGE: "warning", Colour.GREEN: "success", Colour.GREY: "secondary"}
COLOUR_ORDER = (Colour.RED, Colour.ORANGE, Colour.GREEN, Colour.GREY)


@dataclass(frozen=True)
class Assessment:
    colour: Colour
    reason: str
    expected: Decimal | None = None  # the pro-rata value expected when the actual was measured, if paced


def _fraction(value) -> Fraction:
    return Fraction(Decimal(value))


def assess(op: str, target_value, actual, *, start: dt.date, due: dt.date | None, today: dt.date,
           unit: str = "", baseline=None, measured_on: dt.date | None = None) -> Assessment:
    """The colour of a target on `today`, with the reason in Vietnamese (the rule: module docstring)."""
    if op not in OPS:
        raise ValueError(f"unknown operator {op!r}")
    if actual is None:
        return Assessment(Colour.GREY, "Chưa có số liệu thực hiện.")
    if today < start:
        return Assessment(Colour.GREY, "Chưa đến thời gian thực hiện.")
    target_value, actual = Decimal(target_value), Decimal(actual)
    if meets(op, target_value, actual, unit):
        return Assessment(Colour.GREEN, "Đã đạt chỉ tiêu.")
    if due is not None and today > due:
        return Assessment(Colour.RED, f"Đã quá thời hạn {due:%d/%m/%Y}, chưa đạt chỉ tiêu.")
    if due is None:
        return Assessment(Colour.GREY, "Nhiệm vụ không có thời hạn: chưa đánh giá được tiến độ.")
    measured = min(measured_on or today, today)
    span = (due - start).days
    if span <= 0:
        share = Fraction(1)
    else:
        share = Fraction(min(max((measured - start).days, 0), span), span)
    if share == 0:
        return Assessment(Colour.GREY, "Số liệu đo khi kế hoạch mới bắt đầu: chưa đánh giá được tiến độ.")
    lower = lower_is_better(op, unit)
    if baseline is None and lower:
        return Assessment(Colour.ORANGE, "Chưa đạt; chưa có giá trị xuất phát để đánh giá tiến độ.")
    base = _fraction(baseline if baseline is not None else 0)
    value, got = _fraction(target_value), _fraction(actual)
    gained = (base - got) if lower else (got - base)
    needed = (base - value) if lower else (value - base)
    expected_gain = needed * share
    exact = base - expected_gain if lower else base + expected_gain
    expected = (Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(Decimal("0.01"))
    pace = f"theo tiến độ đến {measured:%d/%m/%Y} cần khoảng {format_number(expected.normalize())}"
    if needed <= 0:
        return Assessment(Colour.RED, "Kết quả thực hiện kém hơn giá trị xuất phát.", expected)
    strict = op in (">", "<")
    if gained > expected_gain or (not strict and gained == expected_gain):
        return Assessment(Colour.GREEN, f"Đúng tiến độ để đạt chỉ tiêu ({pace}).", expected)
    if gained >= ORANGE_SHARE * expected_gain:
        return Assessment(Colour.ORANGE, f"Chậm so với tiến độ nhưng đạt từ 75% mức cần có ({pace}).", expected)
    return Assessment(Colour.RED, f"Chậm so với tiến độ, dưới 75% mức cần có ({pace}).", expected)


def colour(op: str, target_value, actual, *, start: dt.date, due: dt.date | None, today: dt.date, unit: str = "",
           baseline=None, measured_on: dt.date | None = None) -> Colour:
    """The colour alone (see `assess`)."""
    return assess(op, target_value, actual, start=start, due=due, today=today, unit=unit, baseline=baseline,
                  measured_on=measured_on).colour
