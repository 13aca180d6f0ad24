#!/usr/bin/env python3
"""Tracing overhead: compute MIPS of the build with the trace hooks compiled
in (tracing unused) against the same sources built with -DSIM_TRACE_HOOKS=0,
interleaved runs, medians; then the cost of each category when on. Prints
figures only (benchmarks never assert on time).

usage: trace_bench.py HOOKS NOHOOKS BOARD ELF IMAGE SECONDS"""
import re
import subprocess
import sys


def mips(exe, board, elf):
    out = subprocess.run([exe, 'compute', board, elf], stdout=subprocess.PIPE, check=True,
                         timeout=600).stdout.decode()
    return float(re.search(r'([\d.]+) MIPS', out).group(1)), out.strip()


def main():
    hooks, nohooks, board, elf, image, secs = sys.argv[1:7]
    a, b = [], []
    for _ in range(5):                  # interleaved: both see the same host noise
        a.append(mips(hooks, board, elf)[0])
        b.append(mips(nohooks, board, elf)[0])
    a.sort()
    b.sort()
    print('%s compute (%s), 5 interleaved runs each (each the median of 5):' %
          (board, elf.split('/')[-1]))
    print('  hooks compiled in, tracing unused: median %.1f MIPS, best %.1f' % (a[2], a[-1]))
    print('  hooks compiled out:                median %.1f MIPS, best %.1f' % (b[2], b[-1]))
    print('  ratio in/out: median %.3f, best %.3f  (runs: %s vs %s)' %
          (a[2] / b[2], a[-1] / b[-1], a, b))
    sys.stdout.flush()
    subprocess.run([hooks, 'cats', board, image, secs], check=True, timeout=1200)


if __name__ == '__main__':
    main()
