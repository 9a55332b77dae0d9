"""Numbers of cited documents as printed: 01/NQ-CP, 450-KH/TU, 111/2024/QH15, 42/2014/QĐ-TTg, 239/KHUBND."""
import re

# a number, then "/" or "-" separated parts of which at least one holds a capital letter; plain dates
# (05/01/2024) and ranges (2021-2025) have none
REF_RE = re.compile(
    r'(?<![\w/.-])(\d{1,5}(?:/\d{4})?(?:[/-](?:[A-ZĐ][A-Za-zĐđ0-9]*(?:[-&][A-ZĐ0-9][A-Za-zĐđ0-9]*)*))'
    r'(?:/[A-ZĐ][A-Za-zĐđ0-9]*(?:-[A-ZĐ0-9][A-Za-zĐđ0-9]*)*)*)(?![\w/])')


def find_refs(text: str) -> list:
    out = []
    for m in REF_RE.finditer(text):
        ref = m.group(1).rstrip('.-')
        if not re.search(r'[A-ZĐ]{2}|[A-ZĐ]-|/[A-ZĐ]', ref):
            continue
        if ref not in out:
            out.append(ref)
    return out
