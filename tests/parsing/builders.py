"""Build test documents from a plan's text: .docx with real Word numbering, scanned PDFs without a
text layer. Markers printed in the text ("II.", "1.2.", "a)", "-") become Word automatic numbering."""
import io
import re
import textwrap

ROMAN_RE = re.compile(r'^([IVX]+)\.\s+')
DEC_RE = re.compile(r'^(\d+(?:\.\d+){0,3})\.\s+')
LETTER_RE = re.compile(r'^([a-zđ])\)\s+')
DASH_RE = re.compile(r'^[-–]\s+')

W_NS = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main'


def _numbering_xml():
    # one multi-level list: I. / 1. / 1.1. / 1.1.1. / a); and one bullet list "-"
    levels = [('upperRoman', '%1.'), ('decimal', '%2.'), ('decimal', '%2.%3.'), ('decimal', '%2.%3.%4.'),
              ('lowerLetter', '%5)')]
    lv = ''.join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{txt}"/>'
        f'<w:lvlJc w:val="left"/></w:lvl>' for i, (fmt, txt) in enumerate(levels))
    multi = f'<w:abstractNum xmlns:w="{W_NS}" w:abstractNumId="90"><w:multiLevelType w:val="multilevel"/>{lv}</w:abstractNum>'
    bullet = (f'<w:abstractNum xmlns:w="{W_NS}" w:abstractNumId="91"><w:multiLevelType w:val="singleLevel"/>'
              f'<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="-"/>'
              f'<w:lvlJc w:val="left"/></w:lvl></w:abstractNum>')
    nums = (f'<w:num xmlns:w="{W_NS}" w:numId="90"><w:abstractNumId w:val="90"/></w:num>',
            f'<w:num xmlns:w="{W_NS}" w:numId="91"><w:abstractNumId w:val="91"/></w:num>')
    return multi, bullet, nums


def text_to_docx(text: str) -> bytes:
    """Every non-blank line becomes a paragraph; its printed marker becomes automatic numbering."""
    import docx
    from docx.oxml import parse_xml
    d = docx.Document()
    numbering = d.part.numbering_part.element
    multi, bullet, nums = _numbering_xml()
    first_num = numbering.find(f'{{{W_NS}}}num')
    for xml in (multi, bullet):
        el = parse_xml(xml)
        if first_num is not None:
            first_num.addprevious(el)
        else:
            numbering.append(el)
    for xml in nums:
        numbering.append(parse_xml(xml))
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        num = None
        m = ROMAN_RE.match(line)
        if m:
            num, line = (90, 0), line[m.end():]
        elif DEC_RE.match(line):
            m = DEC_RE.match(line)
            num, line = (90, m.group(1).count('.') + 1), line[m.end():]
        elif LETTER_RE.match(line):
            m = LETTER_RE.match(line)
            num, line = (90, 4), line[m.end():]
        elif DASH_RE.match(line) and not line.startswith('- Lưu'):
            m = DASH_RE.match(line)
            num, line = (91, 0), line[m.end():]
        bold = line.startswith('**')
        line = line.replace('**', '').replace('*', '')
        p = d.add_paragraph()
        run = p.add_run(line)
        run.bold = bold
        if num:
            npr = p._p.get_or_add_pPr().get_or_add_numPr()
            npr.get_or_add_ilvl().val = num[1]
            npr.get_or_add_numId().val = num[0]
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


FONT = '/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf'


def text_to_page_images(text: str, dpi=200, font_path=FONT, pt=12):
    """Draw the text on A4 pages (hard-wrapped, blank line between paragraphs) as a scan would look."""
    from PIL import Image, ImageDraw, ImageFont
    w, h = int(8.27 * dpi), int(11.69 * dpi)
    margin = int(0.9 * dpi)
    size = int(pt / 72 * dpi)
    font = ImageFont.truetype(font_path, size)
    line_h = int(size * 1.45)
    avg = font.getlength('abcdefghijklmnopqrstuvwxyzăâêôơưđ ') / 34
    width_chars = int((w - 2 * margin) / avg)
    lines = []
    for raw in text.splitlines():
        raw = raw.strip().replace('**', '').replace('*', '')
        if not raw:
            continue
        lines.extend(textwrap.wrap(raw, width_chars) or [''])
        lines.append('')
    pages, page, y = [], None, None
    for line in lines:
        if page is None or y + line_h > h - margin:
            page = Image.new('L', (w, h), 255)
            draw = ImageDraw.Draw(page)
            pages.append(page)
            y = margin
        if line:
            draw.text((margin, y), line, font=font, fill=0)
        y += line_h if line else line_h // 2
    return pages


def images_to_pdf(pages, dpi=200) -> bytes:
    buf = io.BytesIO()
    pages[0].save(buf, format='PDF', save_all=True, append_images=pages[1:], resolution=dpi)
    return buf.getvalue()
