"""The parser's few settings, read from the environment here and nowhere else in `parsing`.

The parser runs as a library and from the command line without Django, so it reads its variables itself, when a
document is parsed (a caller may set them between two parses); `settings.py` calls `check()` so that the web
application and the workers refuse a meaningless value at start, as they do for their own settings.
"""

from __future__ import annotations

from dondoc.config import ConfigError, env, env_int

from .errors import ParseError

DEFAULT_MAX_BYTES = 50 * 1024 * 1024           # DONDOC_PARSE_MAX_BYTES: the largest document read
DEFAULT_MAX_UNZIPPED = 500 * 1024 * 1024       # DONDOC_MAX_UNZIPPED_BYTES: what a .docx/.xlsx may expand to
DEFAULT_OCR_DPI = 200                          # DONDOC_OCR_DPI: 12-14 pt print reads well, ~1.5 s an A4 page
DEFAULT_OCR_LANG = "vie"                       # DONDOC_OCR_LANG: Tesseract's language data


def _whole(name: str, default: int) -> int:
    try:
        value = env_int(name, default)
    except ConfigError as exc:
        raise ParseError(str(exc)) from exc
    if value <= 0:
        raise ParseError(f"{name} must be a positive whole number, got {value!r}")
    return value


def max_bytes() -> int:
    return _whole("DONDOC_PARSE_MAX_BYTES", DEFAULT_MAX_BYTES)


def max_unzipped_bytes() -> int:
    return _whole("DONDOC_MAX_UNZIPPED_BYTES", DEFAULT_MAX_UNZIPPED)


def ocr_dpi() -> int:
    return _whole("DONDOC_OCR_DPI", DEFAULT_OCR_DPI)


def ocr_lang() -> str:
    return env("DONDOC_OCR_LANG", DEFAULT_OCR_LANG)


def check() -> None:
    """Every variable read once: a meaningless value raises ConfigError (the application refuses to start)."""
    for read in (max_bytes, max_unzipped_bytes, ocr_dpi):
        try:
            read()
        except ParseError as exc:
            raise ConfigError(str(exc)) from exc
