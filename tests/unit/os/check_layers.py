#!/usr/bin/env python3
"""Check os/'s layering (STYLE.md §3.9) from its #include lines.

usage: check_layers.py OS_DIR

Each layer may include only the layers listed for it (paths are relative
to os/; "memmap.h" is the board's memory map). Prints TAP.
"""
import os
import re
import sys

ALLOWED = {
    'lib': {'lib'},
    'hil': {'lib', 'hil'},
    'kernel': {'lib', 'hil', 'kernel'},
    'capsules': {'lib', 'hil', 'kernel', 'capsules'},
    'arch': {'lib', 'hil', 'arch', 'kernel/debug.h'},
    'chips': {'lib', 'hil', 'arch', 'chips', 'memmap.h'},
    'boards': None,          # the board wires everything
    'tests': None,           # raw test apps
    'tools': None,
}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def allowed(layer, inc, rules):
    if rules is None:
        return True
    if inc in rules:
        return True
    return inc.split('/')[0] in rules


def main():
    root = sys.argv[1]
    results = []
    for layer, rules in sorted(ALLOWED.items()):
        base = os.path.join(root, layer)
        for dirpath, _, files in os.walk(base):
            for f in sorted(files):
                if not f.endswith(('.c', '.h', '.S')):
                    continue
                path = os.path.join(dirpath, f)
                with open(path) as fh:
                    text = fh.read()
                rel = os.path.relpath(path, root)
                bad = [i for i in INCLUDE.findall(text)
                       if not allowed(layer, i, rules)
                       and not (rules and os.path.exists(os.path.join(dirpath, i)) and layer in rules)]
                results.append((rel, bad))
    print(f'1..{len(results)}')
    failed = 0
    for n, (rel, bad) in enumerate(results, 1):
        if bad:
            failed += 1
            print(f'not ok {n} - {rel} includes {", ".join(bad)}')
        else:
            print(f'ok {n} - {rel}')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
