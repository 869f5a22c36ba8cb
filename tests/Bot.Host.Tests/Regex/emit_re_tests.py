"""Prints CPython's test.re_tests table as regex-test JSON Lines cases (mode search).

Rows whose pattern or string is bytes are skipped: the engine handles str patterns only. Every str row is kept,
including SYNTAX_ERROR rows, because the error message and position are part of what must agree.
"""
import json
from test.re_tests import tests
for t in tests:
    pattern, s, outcome = t[0], t[1], t[2]
    if not isinstance(pattern, str) or not isinstance(s, str):
        continue
    print(json.dumps({"pattern": pattern, "text": s, "mode": "search"}))
