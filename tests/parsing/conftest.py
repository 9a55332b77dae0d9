"""Parser tests: framework-free, no database (run once in CI, not once per database)."""
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT / 'src') not in sys.path:        # lets the folder run with `-p no:django` before install
    sys.path.insert(0, str(ROOT / 'src'))

from tests.parsing.helpers import PLAN78_SOURCE  # noqa: E402


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.nodb)


@pytest.fixture(scope='session')
def plan78_text_result():
    from dondoc.parsing import parse
    return parse(PLAN78_SOURCE)


@pytest.fixture(scope='session')
def corpus_results():
    """Every corpus document parsed once for the session ({stem: entry}, see corpus_score.parse_corpus)."""
    from tests.parsing.corpus_score import parse_corpus
    return parse_corpus()


@pytest.fixture(scope='session')
def corpus_doc(corpus_results):
    """corpus_doc('06') -> the parse of corpus document 06 (skipped when a tool it needs is missing)."""
    def get(prefix):
        (stem,) = [s for s in corpus_results if s.startswith(prefix)]
        entry = corpus_results[stem]
        if entry['missing']:
            pytest.skip(f'{stem} needs {", ".join(entry["missing"])}')
        assert entry['parsed'] is not None, entry['error']
        return entry['parsed']
    return get
