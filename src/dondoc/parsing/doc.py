"""Legacy Word .doc through LibreOffice headless (soffice --convert-to docx)."""
import os
import shutil
import subprocess
import tempfile

from .errors import ParseError


def read_doc(data: bytes):
    exe = shutil.which('soffice') or shutil.which('libreoffice')
    if not exe:
        raise ParseError('reading .doc needs LibreOffice (soffice), which is not installed; save the file as .docx')
    with tempfile.TemporaryDirectory(prefix='dondoc-doc-') as tmp:
        src = os.path.join(tmp, 'in.doc')
        with open(src, 'wb') as f:
            f.write(data)
        profile = 'file://' + os.path.join(tmp, 'profile')   # a private profile: parallel runs do not collide
        try:
            subprocess.run([exe, f'-env:UserInstallation={profile}', '--headless', '--convert-to', 'docx',
                            '--outdir', tmp, src], capture_output=True, timeout=180)
        except subprocess.TimeoutExpired:
            raise ParseError('LibreOffice took too long to convert the .doc file')
        out = os.path.join(tmp, 'in.docx')
        if not os.path.exists(out):
            raise ParseError('LibreOffice could not convert the .doc file (damaged or not a Word document)')
        with open(out, 'rb') as f:
            converted = f.read()
    from .docx import read_docx
    return read_docx(converted)
