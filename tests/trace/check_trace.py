#!/usr/bin/env python3
"""Checks tocksim's Tock-aware trace and its timeline files (suite 'trace').

  check_trace.py timeline --tocksim T --board B --kernel IMG --procs a,b,c --time 3s
      runs the image twice with --vcd and --perfetto: the files must be
      byte-identical, the VCD well formed (header, declared ids, increasing
      times, one proc.* signal per process) and the Perfetto JSON loadable
      with one track per process, an ISR/trap track and an alarm track
  check_trace.py decode --tocksim T --board B --kernel K --time 1s APP.tbf ...
      runs with --trace syscall,upcall,sched and checks the decoded lines
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile


def fail(msg):
    print('FAIL: ' + msg)
    sys.exit(1)


def run(cmd):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=240)
    if p.returncode != 0:
        fail('%s: exit %d\n%s' % (' '.join(cmd), p.returncode, p.stderr.decode()[-2000:]))
    return p.stdout.decode('utf-8', 'replace'), p.stderr.decode('utf-8', 'replace')


def check_vcd(path, procs):
    """Header, $var ids, changes of declared ids only, increasing #times."""
    text = open(path).read()
    head, sep, body = text.partition('$enddefinitions $end')
    if not sep:
        fail('%s: no $enddefinitions' % path)
    if not re.search(r'\$timescale\s+1\s*ns\s+\$end', head):
        fail('%s: no 1 ns $timescale' % path)
    ids, scopes, names = {}, [], {}
    for tok in re.finditer(r'\$(scope|upscope|var)\b(.*?)\$end', head, re.S):
        kind, rest = tok.group(1), tok.group(2).split()
        if kind == 'scope':
            if len(rest) != 2 or rest[0] != 'module':
                fail('%s: bad $scope %r' % (path, rest))
            scopes.append(rest[1])
        elif kind == 'upscope':
            if not scopes:
                fail('%s: $upscope without $scope' % path)
            scopes.pop()
        else:
            if len(rest) != 4 or rest[0] != 'wire' or rest[1] != '1':
                fail('%s: bad $var %r' % (path, rest))
            if rest[2] in ids:
                fail('%s: id %s declared twice' % (path, rest[2]))
            ids[rest[2]] = '.'.join(scopes + [rest[3]])
            names['.'.join(scopes[1:] + [rest[3]])] = rest[2]
    if scopes:
        fail('%s: %d $scope(s) not closed' % (path, len(scopes)))
    got = sorted(n[5:] for n in names if n.startswith('proc.'))
    want = sorted(re.sub(r'\W', '_', p) for p in procs)
    if got != want:
        fail('%s: process signals %s, expected %s' % (path, got, want))
    if not any(n.startswith('irq.') for n in names):
        fail('%s: no IRQ line declared' % path)
    last, nchanges, dumpvars, seen = -1, 0, False, set()
    for line in body.split('\n'):
        line = line.strip()
        if not line or line in ('$end',):
            continue
        if line == '$dumpvars':
            dumpvars = True
            continue
        if line[0] == '#':
            t = int(line[1:])
            if t <= last:
                fail('%s: time #%d after #%d' % (path, t, last))
            last = t
        elif line[0] in '01xz':
            if line[1:] not in ids:
                fail('%s: change of undeclared id %r' % (path, line[1:]))
            if last < 0:
                fail('%s: a value before the first #time' % path)
            nchanges += 1
            seen.add(line[1:])
        else:
            fail('%s: unexpected line %r' % (path, line))
    if not dumpvars:
        fail('%s: no $dumpvars' % path)
    running = [n for n in names if n.startswith('proc.') and names[n] in seen]
    print('ok: %s: %d signals, %d value changes, last #%d ns, process signals %s' %
          (os.path.basename(path), len(ids), nchanges, last, ', '.join(got)))
    return nchanges


def check_perfetto(path, procs, arm):
    d = json.load(open(path))
    ev = d['traceEvents']
    tracks = {e['tid']: e['args']['name'] for e in ev
              if e['ph'] == 'M' and e['name'] == 'thread_name'}
    names = sorted(tracks.values())
    want = sorted(['process ' + p for p in procs] + ['ISRs' if arm else 'traps', 'alarms'])
    if names != want:
        fail('%s: tracks %s, expected %s' % (path, names, want))
    by_tid = {}
    last = {}
    depth = {}
    for e in ev:
        if e['ph'] == 'M':
            continue
        tid = e['tid']
        if tid not in tracks:
            fail('%s: event on an unnamed track %r' % (path, e))
        ts = float(e['ts'])
        if ts < last.get(tid, 0.0):
            fail('%s: track %s goes back in time at %r' % (path, tracks[tid], e))
        last[tid] = ts
        by_tid.setdefault(tid, []).append(e)
        if e['ph'] == 'B':
            depth[tid] = depth.get(tid, 0) + 1
        elif e['ph'] == 'E':
            depth[tid] = depth.get(tid, 0) - 1
            if depth[tid] < 0:
                fail('%s: track %s ends a slice never begun at %r' % (path, tracks[tid], e))
        elif e['ph'] != 'i':
            fail('%s: unexpected phase %r' % (path, e))
    for tid, n in depth.items():
        if n:
            fail('%s: track %s leaves %d slice(s) open' % (path, tracks[tid], n))
    summary = []
    for tid, name in sorted(tracks.items()):
        evs = by_tid.get(tid, [])
        if not evs:
            fail('%s: track %s is empty' % (path, name))
        summary.append('%s %d' % (name, len(evs)))
        if name.startswith('process ') and not any(e.get('name') == 'running' for e in evs):
            fail('%s: %s never runs' % (path, name))
    alarm = [e for e in ev if tracks.get(e.get('tid')) == 'alarms']
    if not any('<-' in e['name'] for e in alarm):
        fail('%s: no compare write on the alarm track' % path)
    print('ok: %s: %d events; %s' % (os.path.basename(path), len(ev), ', '.join(summary)))


def timeline(a):
    with tempfile.TemporaryDirectory() as d:
        outs = []
        for k in range(2):
            vcd, pf = os.path.join(d, 'r%d.vcd' % k), os.path.join(d, 'r%d.json' % k)
            _, err = run([a.tocksim, 'run', '--board', a.board, '--kernel', a.kernel,
                          '--max-time', a.time, '--vcd', vcd, '--trace-format', 'perfetto',
                          '--trace-out', pf])
            outs.append((open(vcd, 'rb').read(), open(pf, 'rb').read(),
                         re.search(r'trace hash (\w+)', err).group(1)))
        if outs[0] != outs[1]:
            fail('two runs wrote different files')
        _, err = run([a.tocksim, 'run', '--board', a.board, '--kernel', a.kernel,
                      '--max-time', a.time])
        if re.search(r'trace hash (\w+)', err).group(1) != outs[0][2]:
            fail('the timeline files changed the trace hash')
        print('ok: two runs wrote the same bytes; the trace hash %s is the one without files'
              % outs[0][2])
        procs = a.procs.split(',')
        check_vcd(os.path.join(d, 'r0.vcd'), procs)
        check_perfetto(os.path.join(d, 'r0.json'), procs, a.board != 'qemu-rv32-virt')


LINE_RE = re.compile(r'^\[(\d+)\.(\d{9})s c=(\d+)\] (\S+)\s+(\S+)\s+(.*?)(?:  pc=([0-9a-f]{8})(?: <([^>]*)>)?)?$')


def decode(a):
    with tempfile.TemporaryDirectory() as d:
        tr = os.path.join(d, 't.log')
        run([a.tocksim, 'run', '--board', a.board, '--kernel', a.kernel, '--max-time', a.time,
             '--trace', 'syscall,upcall,sched', '--trace-out', tr] + a.apps)
        lines = open(tr).read().splitlines()
    recs = []
    for l in lines:
        m = LINE_RE.match(l)
        if not m:
            fail('not a trace line: %r' % l)
        recs.append(m.groups())
    cycles = [int(r[2]) for r in recs]
    if cycles != sorted(cycles):
        fail('cycles go back')
    need = [
        ('sched', r'^hello starts at 0x[0-9a-f]{8} <_start>$'),
        ('syscall', r'^hello command\(0x1, 0x1, 0x[0-9a-f]+, 0x0\) console$'),
        ('syscall', r'^hello command\(console, 1\) -> Success$'),
        ('syscall', r'^hello allow-ro\(console, 1\) -> Success 2xU32\(0x[0-9a-f]+, 0x[0-9a-f]+\)$'),
        ('syscall', r'^hello memop\(flash-start\) -> Success U32\(0x[0-9a-f]+\)$'),
        ('syscall', r'^hello yield\(0x2, 0x1, 0x1, 0x[0-9a-f]+\) wait-for$'),
        ('syscall', r'^hello yield\(wait-for\) -> \(0x[0-9a-f]+, 0x0, 0x0\)$'),
        ('sched', r'^hello exits \(code 0\)$'),
        ('syscall', r'^alarms subscribe\(alarm, 0\) -> Success 2xU32\(0x0, 0x0\)$'),
        ('syscall', r'^alarms command\(alarm, 6\) -> Success U32\(0x[0-9a-f]+\)$'),
        ('upcall', r'^alarms upcall driver 0x0 sub 0 \(0x[0-9a-f]+, 0x[0-9a-f]+, 0x0\) -> 0x[0-9a-f]{8} <\w+>$'),
        ('sched', r'^switch (hello|alarms) -> (hello|alarms)$'),
    ]
    for cat, rx in need:
        hit = [r for r in recs if r[3] == cat and re.match(rx, r[5])]
        if not hit:
            fail('no %s line matching /%s/' % (cat, rx))
        print('ok: %s /%s/: %d line(s), e.g. %s' % (cat, rx, len(hit), hit[0][5]))
    # the process column: a system call is made from its process's code, with
    # the app's own symbol; its return is made by the kernel
    calls = [r for r in recs if r[3] == 'syscall' and re.match(r'^hello command\(0x1', r[5])]
    if any(r[4] != 'hello' or not r[7] or not r[7].startswith('tock_') for r in calls):
        fail('a system call line without process hello and a libtock symbol: %r' % (calls[:1],))
    rets = [r for r in recs if r[3] == 'syscall' and '->' in r[5]]
    if any(r[4] != 'kernel' for r in rets):
        fail('a system call return not traced in the kernel: %r' % (rets[:1],))
    print('ok: %d records; calls in hello (<%s>), returns in the kernel' % (len(recs), calls[0][7]))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('mode', choices=['timeline', 'decode'])
    ap.add_argument('--tocksim', required=True)
    ap.add_argument('--board', required=True)
    ap.add_argument('--kernel', required=True)
    ap.add_argument('--procs', default='')
    ap.add_argument('--time', default='2s')
    ap.add_argument('apps', nargs='*')
    a = ap.parse_intermixed_args()
    timeline(a) if a.mode == 'timeline' else decode(a)


if __name__ == '__main__':
    main()
