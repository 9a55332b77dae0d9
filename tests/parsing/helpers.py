"""Paths and small helpers shared by the parser tests."""
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / 'tests' / 'fixtures'
PLAN78_SOURCE = FIXTURES / 'plan78' / 'source.txt'
PLAN78_GOLD = FIXTURES / 'plan78' / 'gold.json'
PARSING_FIXTURES = FIXTURES / 'parsing'


def gold():
    return json.loads(PLAN78_GOLD.read_text(encoding='utf-8'))
