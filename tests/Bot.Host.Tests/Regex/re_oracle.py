"""Python's answer for each `bot regex-test --jsonl` case, in the same JSON Lines contract.

Reads one case per line on stdin ({"pattern","text","flags","mode","repl"}) and prints one JSON line per case.
"""
import json
import re
import sys

FLAGS = {"i": re.I, "m": re.M, "s": re.S, "x": re.X, "a": re.A}
MODES = {"finditer", "search", "match", "fullmatch", "findall", "split", "sub"}


def match_json(m):
    return {"span": list(m.span()), "groups": [None if m.start(g) < 0 else [m.start(g), m.end(g)] for g in range(1, m.re.groups + 1)]}


def error_json(message, position):
    return {"error": {"message": message, "position": position}}


def answer(case):
    pattern = case.get("pattern")
    text = case.get("text")
    mode = case.get("mode", "finditer")
    flag_letters = case.get("flags", "")
    if not isinstance(pattern, str) or not isinstance(text, str) or not isinstance(flag_letters, str) or mode not in MODES:
        return {"inputError": "bad case"}
    flags = 0
    for letter in flag_letters:
        if letter not in FLAGS:
            return {"inputError": "bad case"}
        flags |= FLAGS[letter]
    try:
        compiled = re.compile(pattern, flags)
    except re.error as e:
        return error_json(e.msg, e.pos)
    except (OverflowError, ValueError) as e:
        return error_json(str(e), None)
    if mode == "search":
        m = compiled.search(text)
        return {"match": match_json(m) if m else None}
    if mode == "match":
        m = compiled.match(text)
        return {"match": match_json(m) if m else None}
    if mode == "fullmatch":
        m = compiled.fullmatch(text)
        return {"match": match_json(m) if m else None}
    if mode == "finditer":
        return {"matches": [match_json(m) for m in compiled.finditer(text)]}
    if mode == "findall":
        return {"result": compiled.findall(text)}
    if mode == "split":
        return {"result": compiled.split(text)}
    repl = case.get("repl")
    if not isinstance(repl, str):
        return {"inputError": "bad case"}
    try:
        return {"result": compiled.sub(repl, text)}
    except re.error as e:
        return error_json(e.msg, e.pos)
    except IndexError as e:
        return error_json(str(e), None)


def main():
    for line in sys.stdin:
        line = line.rstrip("\n")
        try:
            case = json.loads(line)
            result = answer(case) if isinstance(case, dict) else {"inputError": "bad case"}
        except json.JSONDecodeError:
            result = {"inputError": "bad case"}
        print(json.dumps(result), flush=False)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
