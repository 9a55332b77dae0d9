"""Command line: `python -m dondoc.parsing FILE [--format json|text]` (also `dondoc parse`)."""
import argparse
import json
import sys

from .errors import ParseError


class _Args(argparse.ArgumentParser):
    def error(self, message):
        raise ParseError(message)


def outline_text(result) -> str:
    doc = result.get('document') or {}
    lines = []
    head = ' '.join(x for x in (doc.get('type'), doc.get('number')) if x)
    if head:
        lines.append(head + (f" — {doc['issuer']}" if doc.get('issuer') else '') +
                     (f", {doc['place']}" if doc.get('place') else '') + (f", {doc['date']}" if doc.get('date') else ''))
    if doc.get('title'):
        lines.append(doc['title'])
    for b in doc.get('based_on') or []:
        lines.append(f"  căn cứ: {b['number']}" + (f" ({b['date']})" if b.get('date') else ''))
    sections = {s['ref']: s for s in result.get('sections') or []}
    shown = set()
    for a in result.get('assignments') or []:
        sec = a.get('section')
        chain = []
        while sec and sec not in shown and sec in sections:
            chain.append(sections[sec])
            sec = sections[sec].get('parent')
        for s in reversed(chain):
            shown.add(s['ref'])
            lines.append(f"{s['ref']}. {s['title']}")
        kind = ' (nhóm)' if a.get('lead_kind') == 'group' else ''
        lines.append(f"  [{a['ref']}] {'; '.join(a.get('lead') or [])}{kind}")
        for t in a.get('tasks') or []:
            extra = []
            if t.get('lead_override'):
                extra.append('→ ' + '; '.join(t['lead_override']))
            if t.get('deadline'):
                d = t['deadline']
                extra.append('hạn: ' + (d.get('date') or d.get('recurrence') or d.get('text')))
            if t.get('coordinating'):
                extra.append('phối hợp: ' + '; '.join(t['coordinating']))
            if t.get('targets'):
                extra.append('chỉ tiêu: ' + '; '.join(f"{x['op']}{x['value']:g} {x['unit']}" for x in t['targets']))
            if t.get('refs'):
                extra.append('văn bản: ' + ', '.join(t['refs']))
            text = t['text'] if len(t['text']) <= 110 else t['text'][:107] + '...'
            lines.append(f"    - {text}" + (f"  [{' | '.join(extra)}]" if extra else ''))
    n_tasks = sum(len(a.get('tasks') or []) for a in result.get('assignments') or [])
    lines.append(f"{len(result.get('assignments') or [])} khối giao việc, {n_tasks} nhiệm vụ")
    return '\n'.join(lines)


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        p = _Args(prog='dondoc parse', description='Read a plan document and print its tasks.')
        p.add_argument('file')
        p.add_argument('--format', choices=['json', 'text'], default='text')
        p.add_argument('--max-bytes', type=int, default=None, help='size limit (default 50 MB or DONDOC_PARSE_MAX_BYTES)')
        p.add_argument('--agencies', metavar='FILE', default=None,
                       help='a UTF-8 text file of known agency names, one per line (aliases too)')
        if any(a in ('-h', '--help') for a in argv):
            p.print_help()
            return 0
        args = p.parse_args(argv)
        from .core import parse

        def progress(msg):
            print(msg, file=sys.stderr, flush=True)

        known = None
        if args.agencies:
            try:
                with open(args.agencies, encoding='utf-8') as f:
                    known = [x.strip() for x in f if x.strip()]
            except (OSError, UnicodeDecodeError) as e:
                raise ParseError(f'cannot read the agency list {args.agencies}: {getattr(e, "strerror", None) or e}')
        result = parse(args.file, max_bytes=args.max_bytes, progress=progress, known_agencies=known)
    except ParseError as e:
        print(f'dondoc parse: error: {e}', file=sys.stderr)
        return 2
    except (KeyboardInterrupt, BrokenPipeError):
        return 2
    except Exception as e:  # a bug must still end in one line, never a traceback
        print(f'dondoc parse: error: internal error while parsing ({type(e).__name__}: {e})', file=sys.stderr)
        return 2
    for w in result.get('warnings') or []:
        print(f'dondoc parse: warning: {w}', file=sys.stderr)
    try:
        if args.format == 'json':
            sys.stdout.write(json.dumps(result, ensure_ascii=False, indent=2) + '\n')
        else:
            sys.stdout.write(outline_text(result) + '\n')
        sys.stdout.flush()
    except BrokenPipeError:
        return 2
    return 0        # a document with no assignment is no error: its warning says so
