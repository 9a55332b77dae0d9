"""Text bytes -> Unicode NFC: UTF-8 (BOM or not), UTF-16, Windows-1258, and legacy TCVN3 / VNI."""
import unicodedata

from .errors import ParseError


def decode(data: bytes):
    warnings = []
    if data.startswith(b'\xef\xbb\xbf'):
        text = data[3:].decode('utf-8', errors='replace')
    elif data.startswith((b'\xff\xfe', b'\xfe\xff')):
        text = data.decode('utf-16', errors='replace')
    elif len(data) >= 4 and (data[1::2].count(0) > len(data) // 4 or data[0::2].count(0) > len(data) // 4):
        enc = 'utf-16-le' if data[1::2].count(0) > data[0::2].count(0) else 'utf-16-be'
        text = data.decode(enc, errors='replace')
    else:
        try:
            text = data.decode('utf-8')
        except UnicodeDecodeError:
            text = None
        if text is None:
            from .legacy import decode_legacy
            text, enc = decode_legacy(data)
            warnings.append(f'decoded from legacy encoding {enc}')
    if '\x00' in text or _binary(text):
        raise ParseError('the file is not text and not a supported document (binary data)')
    return unicodedata.normalize('NFC', text), warnings


def _binary(text: str) -> bool:
    sample = text[:20000]
    if not sample:
        return False
    bad = sum(1 for c in sample if (unicodedata.category(c) in ('Cc', 'Co', 'Cs', 'Cn') and c not in '\r\n\t\f\v')
              or c == '\ufffd')
    return bad > max(3, len(sample) // 50)
