"""Text encodings: UTF-8 with/without BOM, UTF-16, Windows-1258, TCVN3 (ABC) and VNI, NFD input, all to NFC."""
import shutil
import subprocess
import unicodedata

import pytest

from tests.parsing.helpers import PARSING_FIXTURES

SAMPLE = (PARSING_FIXTURES / 'inline_prose.txt').read_text(encoding='utf-8')


def _summary(result):
    return [(b['ref'], b['lead'], len(b['tasks'])) for b in result['assignments']]


@pytest.fixture(scope='module')
def expected():
    from dondoc.parsing import parse
    return _summary(parse(SAMPLE.encode('utf-8'), filename='x.txt'))


@pytest.mark.parametrize('encode', [
    lambda s: s.encode('utf-8-sig'),
    lambda s: s.encode('utf-16'),
    lambda s: s.encode('utf-16-le'),
    lambda s: unicodedata.normalize('NFD', s).encode('utf-8'),
    lambda s: s.replace('\n', '\r\n').encode('utf-8'),
], ids=['utf8-bom', 'utf16-bom', 'utf16le-no-bom', 'nfd', 'crlf'])
def test_unicode_forms(encode, expected):
    from dondoc.parsing import parse
    assert _summary(parse(encode(SAMPLE), filename='x.txt')) == expected


def _cp1258(s):
    # Windows-1258 has few precomposed letters: the tone marks are combining characters
    out = []
    for ch in s:
        try:
            out.append(ch.encode('cp1258'))
        except UnicodeEncodeError:
            d = unicodedata.normalize('NFD', ch)
            tones = ''.join(m for m in d if m in '\u0300\u0301\u0303\u0309\u0323')
            shape = unicodedata.normalize('NFC', ''.join(m for m in d if m not in tones))
            out.append((shape + tones).encode('cp1258'))
    return b''.join(out)


def test_windows_1258(expected):
    from dondoc.parsing import parse
    assert _summary(parse(_cp1258(SAMPLE), filename='x.txt')) == expected


# --- legacy encoders written for the tests (the standard byte tables of TCVN3 and VNI-Windows)
_TCVN3 = dict(zip('àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵĂÂĐÊÔƠƯ',
                  'µ¸¶·¹¨»¾¼½Æ©ÇÊÈÉË®ÌÐÎÏÑªÒÕÓÔÖ×ÝØÜÞßãáâä«åèæçé¬êíëìîïóñòô\xadõøö÷ùúýûüþ¡¢§£¤¥¦'))


def to_tcvn3(s):
    out = []
    for ch in s:
        if ch in _TCVN3:
            out.append(_TCVN3[ch])
        elif ch.lower() in _TCVN3:
            out.append(_TCVN3[ch.lower()])     # upper case came from the .VnTimeH font: same byte
        else:
            out.append(ch)
    return ''.join(out).encode('latin-1')


_TONES = {'\u0301': 'ù', '\u0300': 'ø', '\u0309': 'û', '\u0303': 'õ', '\u0323': 'ï'}
_CIRC = {None: 'â', '\u0301': 'á', '\u0300': 'à', '\u0309': 'å', '\u0303': 'ã', '\u0323': 'ä'}
_BREVE = {None: 'ê', '\u0301': 'é', '\u0300': 'è', '\u0309': 'ú', '\u0303': 'ü', '\u0323': 'ë'}
_I = {'\u0301': 'í', '\u0300': 'ì', '\u0309': 'æ', '\u0303': 'ó', '\u0323': 'ò'}


def to_vni(s):
    out = []
    for ch in unicodedata.normalize('NFC', s):
        d = unicodedata.normalize('NFD', ch)
        base, marks = d[0], d[1:]
        up = base.isupper()
        cased = (lambda x: x.upper()) if up else (lambda x: x)
        tone = next((m for m in marks if m in _TONES), None)
        if ch in 'đĐ':
            out.append(cased('ñ'))
        elif '\u031b' in marks:                        # horn: ơ ư are single bytes
            out.append(cased('ô' if base in 'oO' else 'ö') + (cased(_TONES[tone]) if tone else ''))
        elif '\u0302' in marks:
            out.append(base + cased(_CIRC[tone]))
        elif '\u0306' in marks:
            out.append(base + cased(_BREVE[tone]))
        elif tone and base in 'iI':
            out.append(cased(_I[tone]))
        elif tone:
            out.append(base + cased(_TONES[tone]))
        else:
            out.append(ch)
    return ''.join(out).encode('cp1252')


def test_known_legacy_strings():
    from dondoc.parsing.legacy import tcvn3_to_unicode, vni_to_unicode
    assert tcvn3_to_unicode('B¶o Th¾ng') == 'Bảo Thắng'
    assert vni_to_unicode('Xin chaøo caùc baïn') == 'Xin chào các bạn'
    assert vni_to_unicode('Vieät Nam') == 'Việt Nam'
    assert vni_to_unicode('ñöôïc') == 'được'
    assert to_vni('Trường được Việt') == 'Tröôøng ñöôïc Vieät'.encode('cp1252')


def test_tcvn3(expected):
    from dondoc.parsing import parse
    r = parse(to_tcvn3(SAMPLE), filename='x.txt')
    assert [(ref, [n.lower() for n in lead], k) for ref, lead, k in _summary(r)] == \
        [(ref, [n.lower() for n in lead], k) for ref, lead, k in expected]
    assert any('TCVN3' in w for w in r['warnings'])


def test_vni(expected):
    from dondoc.parsing import parse
    r = parse(to_vni(SAMPLE), filename='x.txt')
    assert _summary(r) == expected
    assert any('VNI' in w for w in r['warnings'])
    assert 'Trạm Y tế xã' in r['assignments'][2]['lead']


@pytest.mark.skipif(not shutil.which('soffice'), reason='LibreOffice (soffice) is not installed')
def test_doc_through_libreoffice(tmp_path):
    from dondoc.parsing import parse
    from tests.parsing.builders import text_to_docx
    src = tmp_path / 'plan.docx'
    src.write_bytes(text_to_docx(SAMPLE))
    subprocess.run(['soffice', f'-env:UserInstallation=file://{tmp_path}/profile', '--headless',
                    '--convert-to', 'doc', '--outdir', str(tmp_path), str(src)], capture_output=True, timeout=180)
    doc = tmp_path / 'plan.doc'
    assert doc.exists()
    r = parse(doc)
    # the same plan as the text it was written from (inline_prose.txt: items 1-4 and part III's sentence)
    assert [b['lead'] for b in r['assignments']] == \
        [['Công an xã'], ['Công an xã'], ['Trạm Y tế xã'], ['Công an xã'], ['Công an xã']]
