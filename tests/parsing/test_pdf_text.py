"""PDF with a text layer (made from a .docx by LibreOffice): read through pypdf, hard-wrapped lines joined."""
import shutil
import subprocess

import pytest

from tests.parsing.builders import text_to_docx
from tests.parsing.helpers import PARSING_FIXTURES

pytestmark = pytest.mark.skipif(not shutil.which('soffice'), reason='LibreOffice (soffice) is not installed')


def _pdf(tmp_path, name):
    src = tmp_path / 'plan.docx'
    src.write_bytes(text_to_docx((PARSING_FIXTURES / name).read_text(encoding='utf-8')))
    subprocess.run(['soffice', f'-env:UserInstallation=file://{tmp_path}/profile', '--headless', '--convert-to',
                    'pdf', '--outdir', str(tmp_path), str(src)], capture_output=True, timeout=180)
    assert (tmp_path / 'plan.pdf').exists()
    return tmp_path / 'plan.pdf'


def test_text_layer_pdf_reads_like_the_text(tmp_path):
    from dondoc.parsing import parse
    text = parse(PARSING_FIXTURES / 'labelled_lines.txt')
    pdf = parse(_pdf(tmp_path, 'labelled_lines.txt'))
    assert [(b['ref'], b['lead'], len(b['tasks'])) for b in pdf['assignments']] == \
        [(b['ref'], b['lead'], len(b['tasks'])) for b in text['assignments']]
    assert pdf['document']['title'] == text['document']['title']
    assert pdf['document']['number'] == '125/KH-UBND'
    assert not any('OCR' in w for w in pdf['warnings'])
