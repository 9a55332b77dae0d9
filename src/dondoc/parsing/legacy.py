"""Legacy Vietnamese 8-bit encodings still found in provincial files: Windows-1258, TCVN3 (ABC, the
.VnTime fonts) and VNI-Windows (base letter + diacritic bytes). The right one is picked by how many
common Vietnamese words each decoding yields."""
import re
import unicodedata

# TCVN3 (TCVN 5712:1993, VN3): byte (as Latin-1 character) -> letter. Upper-case accented letters were
# drawn with the separate upper-case fonts (.VnTimeH) from the same bytes, so they decode lower case.
_TCVN3_FROM = ('µ¸¶·¹' '¨»¾¼½Æ' '©ÇÊÈÉË' '®' 'ÌÐÎÏÑ' 'ªÒÕÓÔÖ' '×ÝØÜÞ' 'ßãáâä' '«åèæçé' '¬êíëìî'
               'ïóñòô' '\xadõøö÷ù' 'úýûüþ' '¡¢§£¤¥¦')
_TCVN3_TO = ('àáảãạ' 'ăằắẳẵặ' 'âầấẩẫậ' 'đ' 'èéẻẽẹ' 'êềếểễệ' 'ìíỉĩị' 'òóỏõọ' 'ôồốổỗộ' 'ơờớởỡợ'
             'ùúủũụ' 'ưừứửữự' 'ỳýỷỹỵ' 'ĂÂĐÊÔƠƯ')
assert len(_TCVN3_FROM) == len(_TCVN3_TO)
TCVN3 = str.maketrans(_TCVN3_FROM, _TCVN3_TO)

# VNI-Windows, read as cp1252: tone bytes after a vowel, vowel-shape bytes, and a few single letters
_TONE = {'ù': '\u0301', 'ø': '\u0300', 'û': '\u0309', 'õ': '\u0303', 'ï': '\u0323'}
_TONE.update({k.upper(): v for k, v in list(_TONE.items())})
_CIRC = {'â': '', 'á': '\u0301', 'à': '\u0300', 'å': '\u0309', 'ã': '\u0303', 'ä': '\u0323'}
_CIRC.update({k.upper(): v for k, v in list(_CIRC.items())})
_BREVE = {'ê': '', 'é': '\u0301', 'è': '\u0300', 'ú': '\u0309', 'ü': '\u0303', 'ë': '\u0323'}
_BREVE.update({k.upper(): v for k, v in list(_BREVE.items())})
_T = ''.join(_TONE)
_VNI_A = re.compile('([aA])([' + ''.join(_CIRC) + ''.join(_BREVE) + '])')
_VNI_E = re.compile('([eE])([' + ''.join(_CIRC) + '])')
_VNI_O = re.compile('([oO])([' + ''.join(_CIRC) + '])')
_VNI_TONE = re.compile('([aeiouyAEIOUYơưƠƯ\u0302\u0306])([' + _T + '])')
# single bytes: ơ and ư are letters of their own ("ñöôïc" = "được"), as are đ and the dotted/hooked i
_VNI_SINGLE = str.maketrans({'ñ': 'đ', 'Ñ': 'Đ', 'æ': 'ỉ', 'Æ': 'Ỉ', 'ó': 'ĩ', 'Ó': 'Ĩ', 'ò': 'ị', 'Ò': 'Ị',
                             'ô': 'ơ', 'Ô': 'Ơ', 'ö': 'ư', 'Ö': 'Ư'})


def vni_to_unicode(text: str) -> str:
    text = _VNI_A.sub(lambda m: m.group(1) + ('\u0302' + _CIRC[m.group(2)] if m.group(2) in _CIRC
                                              else '\u0306' + _BREVE[m.group(2)]), text)
    text = _VNI_E.sub(lambda m: m.group(1) + '\u0302' + _CIRC[m.group(2)], text)
    text = _VNI_O.sub(lambda m: m.group(1) + '\u0302' + _CIRC[m.group(2)], text)
    text = text.translate(_VNI_SINGLE)
    text = _VNI_TONE.sub(lambda m: m.group(1) + _TONE[m.group(2)], text)
    return unicodedata.normalize('NFC', text)


def tcvn3_to_unicode(text: str) -> str:
    return unicodedata.normalize('NFC', text.translate(TCVN3))


_COMMON = frozenset('của và các được trong thực hiện năm ngày tỉnh nhân dân có người phát triển những với cho '
                    'để đến là một quản lý nhiệm vụ kế hoạch tổ chức công tác sở ban hành đồng thời xã hội '
                    'huyện thành phố cơ quan đơn vị chủ trì phối hợp báo cáo theo quy định trên địa bàn'.split())


def _score(text: str) -> int:
    words = re.findall(r'[^\W\d_]+', text[:60000].lower())
    return sum(1 for w in words if w in _COMMON)


def decode_legacy(data: bytes):
    cands = {
        'windows-1258': unicodedata.normalize('NFC', data.decode('cp1258', errors='replace')),
        'TCVN3': tcvn3_to_unicode(data.decode('latin-1')),
        'VNI': vni_to_unicode(data.decode('cp1252', errors='replace')),
    }
    best = max(cands, key=lambda k: _score(cands[k]))
    return cands[best], best
