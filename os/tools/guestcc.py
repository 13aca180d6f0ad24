#!/usr/bin/env python3
"""Compile and link a guest program in one step, with one depfile.

Usage: guestcc.py OUTPUT DEPFILE CC [CFLAGS...] -- [LDFLAGS...] -- SOURCES...

SOURCES ending in .ld are linker scripts (-T); .o and .a are linked as they are.

Each source is compiled on its own (so that gcc writes one dependency list
per source), then everything is linked into OUTPUT; DEPFILE gets the union
of the dependencies, for Meson's depfile: support.
"""
import os
import subprocess
import sys
import tempfile


def main():
    args = sys.argv[1:]
    if len(args) < 3 or args.count('--') < 2:
        sys.exit(__doc__)
    out, depfile, cc = args[0], args[1], args[2]
    rest = args[3:]
    i = rest.index('--')
    cflags = rest[:i]
    rest = rest[i + 1:]
    j = rest.index('--')
    ldflags, sources = rest[:j], rest[j + 1:]
    objs, deps = [], []
    with tempfile.TemporaryDirectory(prefix='guestcc-', dir=os.path.dirname(os.path.abspath(out))) as tmp:
        for n, src in enumerate(sources):
            if src.endswith('.ld'):
                ldflags = ['-T', src] + ldflags
                continue
            if src.endswith('.o') or src.endswith('.a'):
                objs.append(src)
                continue
            obj = os.path.join(tmp, f'{n}.o')
            dep = os.path.join(tmp, f'{n}.d')
            r = subprocess.run([cc] + cflags + ['-c', src, '-o', obj, '-MD', '-MF', dep])
            if r.returncode:
                sys.exit(r.returncode)
            objs.append(obj)
            with open(dep) as f:
                text = f.read().replace('\\\n', ' ')
            deps += text.split(':', 1)[1].split() if ':' in text else []
        r = subprocess.run([cc] + cflags + objs + ldflags + ['-o', out])
        if r.returncode:
            sys.exit(r.returncode)
    seen = []
    for d in deps:
        if d not in seen:
            seen.append(d)
    with open(depfile, 'w') as f:
        f.write(out.replace(' ', '\\ ') + ': ' + ' \\\n  '.join(s.replace(' ', '\\ ') for s in seen) + '\n')


if __name__ == '__main__':
    main()
