#!/usr/bin/env python3
"""Fill a linker-script template from a board's memmap.h.

Usage: gen_ld.py MEMMAP_H TEMPLATE OUTPUT

Every @NAME@ in TEMPLATE is replaced by the value of `#define NAME ...` in
MEMMAP_H, written in hex. A value may be an integer literal (with C suffixes
such as 'u') or an expression of literals, other names, + - * and parentheses.
"""
import re
import sys

DEFINE = re.compile(r'^\s*#\s*define\s+([A-Za-z_][A-Za-z0-9_]*)\s+(.+?)\s*(?:/\*.*)?$')
LITERAL = re.compile(r'\b(0[xX][0-9A-Fa-f]+|\d+)[uUlL]*\b')
TOKEN = re.compile(r'^[\sA-Za-z0-9_+\-*()]*$')


def load(path):
    raw = {}
    with open(path) as f:
        for line in f:
            m = DEFINE.match(line)
            if m and not m.group(2).startswith('"'):
                raw[m.group(1)] = LITERAL.sub(lambda x: x.group(1), m.group(2))
    values = {}

    def value(name, depth=0):
        if name in values:
            return values[name]
        if depth > 20 or name not in raw:
            raise KeyError(name)
        expr = raw[name]
        if not TOKEN.match(expr):
            raise ValueError(f'{path}: {name}: cannot evaluate "{expr}"')
        expr = re.sub(r'\b[A-Za-z_][A-Za-z0-9_]*', lambda x: str(value(x.group(0), depth + 1)), expr)
        values[name] = int(eval(expr, {'__builtins__': {}}))
        return values[name]

    return value


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    value = load(sys.argv[1])
    with open(sys.argv[2]) as f:
        text = f.read()

    def subst(m):
        try:
            return f'0x{value(m.group(1)):08X}'
        except KeyError:
            sys.exit(f'{sys.argv[2]}: @{m.group(1)}@ is not defined in {sys.argv[1]}')
    with open(sys.argv[3], 'w') as f:
        f.write(re.sub(r'@([A-Za-z_][A-Za-z0-9_]*)@', subst, text))


if __name__ == '__main__':
    main()
