#!/usr/bin/env python3
"""Runs apps on the real kernel in tocksim and checks what they print.

    check_output.py --tocksim T --board B [--kernel ELF] [--expect FILE]
                    [--check KIND] [--show] [--repeat] --run[=EXIT] TOCKSIM-RUN-ARGS... [--run ...]

Each --run is one `tocksim run --board B [--kernel ELF] ARGS` (the apps and
options such as --max-time); everything after it up to the next --run goes
to tocksim. EXIT is the exit status it must end with (default 0; a list such
as 0,3 accepts any of them). If the run's options name --trace, the trace is
written to a temporary file and parsed (UART bytes and LED changes with their
simulated time).

The console output of all runs, each headed by a line `=== run K: APPS`, is
matched against the expectation file (see README.md there: one regex per
line, searched in order, board selectors, @not and @count directives). Then
the semantic check KIND, if any, checks what regexes cannot (timing against
what the kernel should produce, values that must agree with each other).

--show prints the console output also when the test passes. --repeat runs
the first run a second time: its console output and trace hash must be the
same (the simulator is deterministic).

Exit status: 0 pass, 1 fail (with the reason and the output), 2 bad usage.
"""
import os
import re
import subprocess
import sys
import tempfile

# What the checks need to know of the boards (mirrors boards/*/board.c and
# os/boards/*/main.c): core clock, the alarm's hardware tick, how LEDs show.
BOARDS = {
    'nrf52840dk': {'cpu_hz': 64000000, 'tick_hz': 32768,
                   'leds': ('gpio', ['P0.13', 'P0.14', 'P0.15', 'P0.16'])},   # active low
    'mps2-an386': {'cpu_hz': 25000000, 'tick_hz': 25000000,
                   'leds': ('fpgaio', 2)},                                      # FPGAIO LED0 bits
    'qemu-rv32-virt': {'cpu_hz': 10000000, 'tick_hz': 10000000, 'leds': None},
}
TIMESLICE_US = 10000            # the kernel's round-robin timeslice
# Budget for the kernel's path from an alarm interrupt to the app's callback,
# in CPU cycles: interrupt, virtual alarm mux, upcall queue, context switch,
# libtock's alarm service. (Measured: about 1900 on nrf52840dk, 2500 on
# mps2-an386, 3600 on qemu-rv32-virt.)
KERNEL_PATH_CYCLES = 5000
# Budget for what runs between two lines an app prints in turn, in CPU
# cycles: the console's write-done upcall, the next upcall (alarm), the app's
# work (LED commands) and printf (formatting, allow, command, yield).
# (Measured: 17000 to 21000 on all three boards.)
APP_STEP_CYCLES = 25000


class Fail(Exception):
    pass


# ------------------------------------------------------------------ runs --

class Run:
    def __init__(self, index, args, exits):
        self.index = index
        self.args = args
        self.exits = exits
        self.stdout = ''
        self.stderr = ''
        self.status = None
        self.trace = []         # (ns, cycle, category, message), time order
        self.lines = []         # console lines, \r removed

    def header(self):
        apps = [os.path.basename(a) for a in self.args if a.endswith('.tbf')]
        return '=== run %d: %s' % (self.index, ' '.join(apps))


def execute(tocksim, board, kernel, run):
    cmd = [tocksim, 'run', '--board', board]
    if kernel:
        cmd += ['--kernel', kernel]
    cmd += run.args
    trace_file = None
    if '--trace' in run.args:
        fd, trace_file = tempfile.mkstemp(prefix='apptest-', suffix='.trace')
        os.close(fd)
        cmd += ['--trace-out', trace_file]
    print('$ ' + ' '.join(quote(c) for c in cmd))
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=300)
        run.stdout = p.stdout.decode('utf-8', 'replace')
        run.stderr = p.stderr.decode('utf-8', 'replace')
        run.status = p.returncode
        if trace_file:
            with open(trace_file, encoding='utf-8', errors='replace') as f:
                run.trace = parse_trace(f)
    finally:
        if trace_file:
            os.unlink(trace_file)
    run.lines = run.stdout.replace('\r', '').split('\n')


def trace_hash(run):
    m = re.search(r'trace hash ([0-9a-f]+)', run.stderr)
    return m.group(1) if m else None


def quote(s):
    return s if re.fullmatch(r'[\w@%+=:,./-]+', s) else "'" + s.replace("'", "'\\''") + "'"


# [time c=cycle] category process-or-kernel message  pc=... <symbol>
TRACE_RE = re.compile(r'^\[(\d+)\.(\d{9})s c=(\d+)\] (\S+)\s+\S+\s+(.*?)(?:  pc=\S+(?: <[^>]*>)?)?$')


def parse_trace(f):
    events = []
    for line in f:
        m = TRACE_RE.match(line.rstrip('\n'))
        if m:
            ns = int(m.group(1)) * 1000000000 + int(m.group(2))
            events.append((ns, int(m.group(3)), m.group(4), m.group(5)))
    events.sort(key=lambda e: e[1])         # stable: same-cycle order kept
    return events


def uart_lines(run):
    """The console as the UART sent it: [(text, first byte ns, last byte ns)]."""
    out, cur, t0 = [], bytearray(), None
    for ns, _, cat, msg in run.trace:
        m = re.match(r'\S+: tx 0x([0-9a-fA-F]{2})$', msg) if cat == 'uart' else None
        if not m:
            continue
        b = int(m.group(1), 16)
        if t0 is None:
            t0 = ns
        if b == 0x0A:
            out.append((cur.decode('utf-8', 'replace').replace('\r', ''), t0, ns))
            cur, t0 = bytearray(), None
        else:
            cur.append(b)
    return out


def char_us(run):
    """One character's time on the console UART: the shortest gap between
    two bytes it sent (it cannot send faster)."""
    times = [ns for ns, _, cat, msg in run.trace if cat == 'uart' and ': tx 0x' in msg]
    gaps = [b - a for a, b in zip(times, times[1:]) if b > a]
    if not gaps:
        raise Fail('no UART bytes in the trace (run with --trace uart)')
    return min(gaps) / 1000.0


# ---------------------------------------------------------- expectations --

def load_expect(path, board):
    """[(lineno, kind, arg, regex)] for this board; kind: seq, not, count."""
    items = []
    with open(path, encoding='utf-8') as f:
        for n, raw in enumerate(f, 1):
            line = raw.rstrip('\n')
            if not line.strip() or line.lstrip().startswith('#'):
                continue
            m = re.match(r'\[(!?)([\w,.-]+)\] ?(.*)$', line)
            if m:
                names = m.group(2).split(',')
                for b in names:
                    if b not in BOARDS:
                        raise Fail('%s:%d: unknown board %r' % (path, n, b))
                if (board in names) == (m.group(1) == '!'):
                    continue
                line = m.group(3)
            kind, arg = 'seq', None
            if line.startswith('@not '):
                kind, line = 'not', line[5:]
            elif line.startswith('@count '):
                m = re.match(r'@count (\d+) (.*)$', line)
                if not m:
                    raise Fail('%s:%d: expected "@count N REGEX"' % (path, n))
                kind, arg, line = 'count', int(m.group(1)), m.group(2)
            elif line.startswith('@'):
                raise Fail('%s:%d: unknown directive %r' % (path, n, line.split()[0]))
            try:
                rx = re.compile(line)
            except re.error as e:
                raise Fail('%s:%d: bad regex %r: %s' % (path, n, line, e))
            items.append((n, kind, arg, rx))
    return items


def match_expect(path, items, lines):
    pos = 0
    for n, kind, arg, rx in items:
        where = '%s:%d' % (os.path.basename(path), n)
        if kind == 'seq':
            for i in range(pos, len(lines)):
                if rx.search(lines[i]):
                    pos = i + 1
                    break
            else:
                raise Fail('%s: no line matching %r after output line %d' % (where, rx.pattern, pos))
        elif kind == 'not':
            hits = [i + 1 for i, l in enumerate(lines) if rx.search(l)]
            if hits:
                raise Fail('%s: %r must not appear, but output line %d matches' % (where, rx.pattern, hits[0]))
        else:
            hits = sum(1 for l in lines if rx.search(l))
            if hits != arg:
                raise Fail('%s: %r should match %d line(s), matches %d' % (where, rx.pattern, arg, hits))


# -------------------------------------------------------- semantic checks --

def process_names(lines):
    return [m.group(1) for m in (re.match(r'\s*\[\d+\] (\S+)\s+flash ', l) for l in lines) if m]


def check_hello(board, runs):
    """The app's memops agree with the kernel's banner for the process."""
    for run in runs:
        ban = {}
        for l in run.lines:
            m = re.match(r'\s*\[\d+\] (\S+)\s+flash 0x([0-9a-f]+)-0x([0-9a-f]+)\s+ram 0x([0-9a-f]+)-0x([0-9a-f]+)', l)
            if m:
                ban[m.group(1)] = tuple(int(x, 16) for x in m.groups()[1:])
        seen = False
        for l in run.lines:
            m = re.search(r'app flash \[0x([0-9a-f]+), 0x([0-9a-f]+)\), RAM \[0x([0-9a-f]+), 0x([0-9a-f]+)\)', l)
            if m:
                got = tuple(int(x, 16) for x in m.groups())
                if got != ban.get('hello'):
                    raise Fail('hello says flash/RAM %s, the kernel loaded it at %s'
                               % (fmt_ranges(got), fmt_ranges(ban.get('hello'))))
                seen = True
        if not seen:
            raise Fail('hello did not print its memory layout')
    print('hello: memops agree with the kernel\'s process table')


def fmt_ranges(r):
    return 'none' if r is None else 'flash [%#x, %#x) RAM [%#x, %#x)' % r


def check_memory(board, runs):
    """Heap growth is contiguous, refused only when the next step cannot fit."""
    for run in runs:
        text = '\n'.join(run.lines)
        m1 = re.search(r'memory: RAM \[0x([0-9a-f]+), 0x([0-9a-f]+)\), heap starts at 0x([0-9a-f]+)', text)
        m2 = re.search(r'memory: sbrk refused after (\d+) KiB, break at 0x([0-9a-f]+) \((\d+) bytes below RAM end\)', text)
        if not m1 or not m2:
            raise Fail('memory: the app did not report its heap')
        ram0, ram1, heap = (int(x, 16) for x in m1.groups())
        kib, brk, below = int(m2.group(1)), int(m2.group(2), 16), int(m2.group(3))
        if brk != heap + kib * 1024:
            raise Fail('memory: break %#x is not heap start %#x + %d KiB' % (brk, heap, kib))
        if below != ram1 - brk:
            raise Fail('memory: %d bytes below RAM end, but RAM ends at %#x and the break is %#x' % (below, ram1, brk))
        # Refused: the next KiB must not fit below the end of the process's
        # RAM. The kernel keeps grants at the top, so it may refuse earlier,
        # but not by a whole further KiB.
        if below >= 2048:
            raise Fail('memory: sbrk refused with %d bytes still free below the RAM end' % below)
        if not ram0 <= heap <= brk <= ram1:
            raise Fail('memory: heap [%#x, %#x) outside RAM [%#x, %#x)' % (heap, brk, ram0, ram1))
        print('memory: %d KiB granted, refused %d bytes below the end of RAM [%#x, %#x)' % (kib, below, ram0, ram1))


ALARM_RE = re.compile(r'alarms: ([A-Z]) \((\d+) ms\) #(\d+) due at (\d+) ms, ran (\d+) us late$')


def check_alarms(board, runs, timing=True):
    """Phase-locked periods, due order, counts, and lateness that only the
    hardware tick, the kernel's path and (with spin) one timeslice explain."""
    b = BOARDS[board]
    tick_us = 1e6 / b['tick_hz']
    path_us = KERNEL_PATH_CYCLES * 1e6 / b['cpu_hz']
    for run in runs:
        spin = 'spin' in process_names(run.lines)
        fired = []
        for l in run.lines:
            m = ALARM_RE.search(l)
            if m:
                fired.append((m.group(1), int(m.group(2)), int(m.group(3)), int(m.group(4)),
                              int(m.group(5)), len(m.group(0)) + 1))
        if not fired:
            raise Fail('alarms: no firings printed')
        # Every firing numbered in turn; periods phase-locked to the start.
        per = {}
        for name, period, k, due, late, _ in fired:
            per.setdefault(name, []).append((k, due, period))
        origin = {}
        for name, fs in sorted(per.items()):
            period = fs[0][2]
            if [k for k, _, _ in fs] != list(range(1, len(fs) + 1)):
                raise Fail('alarms: %s fired out of turn: %s' % (name, [k for k, _, _ in fs]))
            d1 = fs[0][1]
            for k, due, _ in fs:
                if abs(due - d1 - (k - 1) * period) > 1:
                    raise Fail('alarms: %s #%d due at %d ms, phase-locked it is %d ms (+-1)'
                               % (name, k, due, d1 + (k - 1) * period))
            origin[name] = d1 - period
        # Each ticker is armed from its own 'now', one after the other, and
        # the app prints whole ms: on qemu-rv32-virt (10 MHz) arming the
        # three takes ~1.6 ms when a UART interrupt comes in between
        # (measured with the UART at 115200 baud), so allow 2 ms.
        if max(origin.values()) - min(origin.values()) > 2:
            raise Fail('alarms: the tickers started at different times: %s' % origin)
        # Callbacks in due order.
        for prev, cur in zip(fired, fired[1:]):
            if cur[3] < prev[3]:
                raise Fail('alarms: %s #%d (due %d ms) ran after %s #%d (due %d ms)'
                           % (cur[0], cur[2], cur[3], prev[0], prev[2], prev[3]))
        # The count: every expiry up to the tenth of C, no more.
        m = re.search(r'alarms: done: A (\d+), B (\d+), C (\d+) firings', '\n'.join(run.lines))
        if not m:
            raise Fail('alarms: no summary line')
        counts = {n: len(per.get(n, [])) for n in 'ABC'}
        if [int(x) for x in m.groups()] != [counts['A'], counts['B'], counts['C']] or counts['C'] != 10:
            raise Fail('alarms: summary %s, printed firings %s' % (m.groups(), counts))
        last = per['C'][-1][1]
        for name in 'AB':
            period = per[name][0][2]
            want = (last - origin[name]) // period      # due times are whole ms: +-1
            if abs(counts[name] - want) > 1:
                raise Fail('alarms: %s fired %d times up to C #10 (due %d ms), expected %d'
                           % (name, counts[name], last, want))
        if not timing:
            print('alarms: %s fired in order, phase-locked (timing not checked here)' % counts)
            continue
        # Lateness. A callback may be late because the app was still printing
        # its previous line (printf waits for the console); otherwise only the
        # wait for the hardware tick, the kernel's path and, with spin, what is
        # left of spin's timeslice explain it.
        cus = char_us(run)
        step_us = APP_STEP_CYCLES * 1e6 / b['cpu_hz']
        bound = tick_us + path_us + (TIMESLICE_US if spin else 0)
        isolated = []
        for i, (name, period, k, due, late, length) in enumerate(fired):
            # When the previous callback was certainly over, relative to this
            # due time (µs; printed due times are whole ms, rounded down):
            # its start, its line on the UART, the app's and the kernel's
            # work, and with spin two waits for the rest of spin's timeslice.
            if i == 0:
                busy = -1e9
            else:
                pname, _, pk, pdue, plate, plen = fired[i - 1]
                busy = ((pdue - due) * 1000 + 1000 + plate + plen * cus + step_us + tick_us +
                        (2 * TIMESLICE_US if spin else 0))
            if busy <= 0:
                isolated.append(late)
                if late > bound:
                    raise Fail('alarms: %s #%d ran %d us late; with the app idle the bound is %.1f us '
                               '(tick %.2f + kernel path %.1f%s)' % (name, k, late, bound, tick_us, path_us,
                                                                    ' + timeslice %d' % TIMESLICE_US if spin else ''))
            elif late > max(busy, bound):
                raise Fail('alarms: %s #%d ran %d us late; printing %s #%d explains at most %.0f us'
                           % (name, k, late, pname, pk, busy))
        if len(isolated) < len(fired) // 2:
            raise Fail('alarms: only %d of %d firings had the app idle' % (len(isolated), len(fired)))
        spread = max(isolated) - min(isolated)
        if not spin and spread > tick_us + 1:
            raise Fail('alarms: with the app idle, lateness varies by %d us (%d..%d), more than one tick (%.2f us)'
                       % (spread, min(isolated), max(isolated), tick_us))
        if spin and max(isolated) <= tick_us + path_us:
            raise Fail('alarms: spin never delayed a firing (max %d us): is it running?' % max(isolated))
        print('alarms on %s%s: %s firings; idle-app lateness %d..%d us over %d firings '
              '(tick %.2f us, bound %.0f us); console %.1f us/char'
              % (board, ' with spin' if spin else '', counts, min(isolated), max(isolated), len(isolated),
                 tick_us, bound, cus))


def led_state_at(board, run, ns):
    """LED on/off list at time ns from the trace (None if the board has none)."""
    kind = BOARDS[board]['leds']
    if kind is None:
        return None
    if kind[0] == 'gpio':
        pins = kind[1]
        level = {p: 1 for p in pins}
        for t, _, cat, msg in run.trace:
            if t > ns:
                break
            m = re.match(r'\S+: (P\d\.\d+) = ([01])$', msg) if cat == 'gpio' else None
            if m and m.group(1) in level:
                level[m.group(1)] = int(m.group(2))
        return [level[p] == 0 for p in pins]        # active low
    value = 0
    for t, _, cat, msg in run.trace:
        if t > ns:
            break
        m = re.match(r'fpgaio\.LED0 <- 0x([0-9a-f]+)$', msg) if cat == 'mmio' else None
        if m:
            value = int(m.group(1), 16)
    return [bool(value >> i & 1) for i in range(kind[1])]


def check_blink(board, runs):
    """LEDs show each printed step; steps 250 ms apart, plus what the kernel
    needs (and, with spin, at most one timeslice per wakeup)."""
    b = BOARDS[board]
    tick_us = 1e6 / b['tick_hz']
    for run in runs:
        spin = 'spin' in process_names(run.lines)
        cus = char_us(run)
        steps = [(int(m.group(1)), m.group(2), t0, t1) for text, t0, t1 in uart_lines(run)
                 for m in [re.search(r'blink: step (\d+) ([.*]+)$', text)] if m]
        if len(steps) < 4:
            raise Fail('blink: only %d steps on the UART' % len(steps))
        if [s[0] for s in steps] != list(range(len(steps))):
            raise Fail('blink: steps out of sequence: %s' % [s[0] for s in steps])
        checked_leds = 0
        for n, pattern, t0, _ in steps:
            want = [c == '*' for c in pattern]
            if want != [bool(n >> i & 1) for i in range(len(pattern))]:
                raise Fail('blink: step %d printed %s' % (n, pattern))
            leds = led_state_at(board, run, t0)
            if leds is not None:
                if leds != want[:len(leds)]:
                    raise Fail('blink: step %d printed %s but the LEDs are %s' % (
                        n, pattern, ''.join('*' if x else '.' for x in leds)))
                checked_leds += 1
        # Gap from the end of one line to the start of the next: the last
        # character, the console's done upcall, 250 ms (rounded up to ticks,
        # then the wait for a tick), the app's LED calls and printf. With spin,
        # each of the two wakeups may wait for the rest of spin's timeslice.
        lo = 250000.0
        hi = lo + cus + tick_us + APP_STEP_CYCLES * 1e6 / b['cpu_hz'] + (2 * TIMESLICE_US if spin else 0)
        gaps = [(b_[2] - a[3]) / 1000.0 for a, b_ in zip(steps, steps[1:])]
        for (n, _, _, _), g in zip(steps[1:], gaps):
            if not lo <= g <= hi:
                raise Fail('blink: step %d began %.1f us after step %d ended; expected %.1f..%.1f us'
                           % (n, g, n - 1, lo, hi))
        if spin and max(gaps) <= hi - 2 * TIMESLICE_US:
            raise Fail('blink: spin never delayed a step (max gap %.1f us): is it running?' % max(gaps))
        print('blink on %s%s: %d steps, gaps %.1f..%.1f us (bound %.1f..%.1f), LEDs checked at %d steps'
              % (board, ' with spin' if spin else '', len(steps), min(gaps), max(gaps), lo, hi, checked_leds))


def check_fault(board, runs):
    """The dump names the address the app said it would write (fault) or
    read (caesar-snoop); after a kernel panic nothing runs; otherwise the
    companion keeps running."""
    for run in runs:
        names = process_names(run.lines)
        faulty = set(m.group(1) for l in run.lines for m in [re.search(r'Process (\S+) had a fault', l)] if m)
        targets = [m.group(1).lower() for l in run.lines
                   for m in [re.search(r'(?:fault: writing to|caesar-snoop: reading) 0x([0-9a-f]+)', l)] if m]
        # The chip's view (Cortex-M MMFAR, RV32 mtval of the last trap) and,
        # in the faulted process's own block, its saved mtval (RV32).
        dumped, in_faulted = [], False
        for l in run.lines:
            if re.search(r'^\S+: \S+ +- +\[\w+\]', l):     # a process's block: "App: NAME - [STATE]"
                in_faulted = l.endswith('[Faulted]')
            m = re.search(r'(?:Faulting Memory Address: +|Last process trap: .*mtval )0x([0-9A-Fa-f]+)', l)
            if not m and in_faulted:
                m = re.search(r'^ mtval: +0x([0-9A-Fa-f]+)', l)
            if m:
                dumped.append(m.group(1).lower())
        if not targets or not dumped:
            raise Fail('fault: announced targets %s, dumped addresses %s' % (targets, dumped))
        bad = [d for d in dumped if d not in targets]
        if bad:
            raise Fail('fault: the dump shows fault address(es) %s, the app wrote to %s' % (bad, targets))
        panic = next((i for i, l in enumerate(run.lines) if l.startswith('panicked at ')), None)
        companions = [n for n in names if n not in faulty]
        app_line = re.compile(r'^(?:%s): ' % '|'.join(re.escape(n) for n in names))
        if panic is not None:
            after = [l for l in run.lines[panic:] if app_line.match(l)]
            if after:
                raise Fail('fault: app output after the kernel panicked: %r' % after[0])
            before = [l for l in run.lines[:panic] if companions and re.match(r'^(?:%s): ' % '|'.join(companions), l)]
            if companions and not before:
                raise Fail('fault: the companion printed nothing before the panic')
            print('fault on %s: panic policy; dump shows %s; companion printed %d lines before the panic'
                  % (board, dumped[0], len(before)))
        else:
            last_dump = max(i for i, l in enumerate(run.lines) if 'had a fault' in l)
            after = [l for l in run.lines[last_dump:] if companions and re.match(r'^(?:%s): ' % '|'.join(companions), l)]
            if companions and not after:
                raise Fail('fault: the companion printed nothing after the last fault dump')
            print('fault on %s: %d dumps, address %s; companion printed %d lines after the last'
                  % (board, len(dumped), dumped[0], len(after)))
            if 'alarms' in companions:
                check_alarms(board, [run], timing=False)


def check_alarms_order(board, runs):
    """check_alarms without the timing (other apps share the console)."""
    check_alarms(board, runs, timing=False)


CE_RE = re.compile(r'compute-events \(([^)]*)\): (\d+) alarm events, latency avg (\d+) us, max (\d+) us; (\d+) button events')
CE_DIGEST_RE = re.compile(r'compute-events \(([^)]*)\): digest ([0-9a-f]+)\.\.\. in (\d+) ms')
CE_HEAD_RE = re.compile(r'compute-events \(([^)]*)\): (\d+) SHA-256 rounds, (\d+) ms alarm')


def check_compute_events(board, runs):
    """Yield-NoWait polling serves events within about one SHA-256 round;
    Yield-Wait only serves them after the whole computation."""
    b = BOARDS[board]
    path_us = KERNEL_PATH_CYCLES * 1e6 / b['cpu_hz']
    tick_us = 1e6 / b['tick_hz']
    res = {}
    for run in runs:
        text = '\n'.join(run.lines)
        h, d, r = CE_HEAD_RE.search(text), CE_DIGEST_RE.search(text), CE_RE.search(text)
        if not (h and d and r):
            raise Fail('compute-events: run %d did not print its figures' % run.index)
        res[r.group(1)] = {'rounds': int(h.group(2)), 'period_ms': int(h.group(3)), 'digest': d.group(2),
                           'ms': int(d.group(3)), 'alarms': int(r.group(2)), 'avg': int(r.group(3)),
                           'max': int(r.group(4))}
    poll, wait = res.get('yield-no-wait polling'), res.get('yield-wait only')
    if not poll or not wait:
        raise Fail('compute-events: need both variants, got %s' % sorted(res))
    if poll['digest'] != wait['digest']:
        raise Fail('compute-events: digests differ: %s vs %s' % (poll['digest'], wait['digest']))
    # Every period of the computation is served, none lost: polling serves
    # them as they come and then waits for two more; wait-only serves all
    # that passed in one batch after the computation, and stops there.
    for name, v, extra in (('yield-no-wait polling', poll, 2), ('yield-wait only', wait, 0)):
        want = v['ms'] // v['period_ms'] + extra
        if abs(v['alarms'] - want) > 1:
            raise Fail('compute-events (%s): %d alarm events in %d ms at %d ms, expected %d'
                       % (name, v['alarms'], v['ms'], v['period_ms'], want))
    # Polling: an event waits at most for the round in progress (each round
    # is the computation time / rounds) and the kernel's path; a second
    # round's worth covers the yield itself and rounds cut by interrupts.
    round_us = poll['ms'] * 1000.0 / poll['rounds']
    if poll['max'] > 2 * round_us + tick_us + path_us:
        raise Fail('compute-events (polling): max latency %d us, more than two rounds (%.0f us) + tick + kernel path'
                   % (poll['max'], round_us))
    # Wait only: the first period waits for the whole computation.
    first = wait['ms'] * 1000 - wait['period_ms'] * 1000
    if abs(wait['max'] - first) > 2000:
        raise Fail('compute-events (wait only): max latency %d us, the computation makes it %d us (+-2 ms)'
                   % (wait['max'], first))
    if poll['avg'] * 10 > wait['avg']:
        raise Fail('compute-events: polling latency %d us is not much smaller than wait-only %d us'
                   % (poll['avg'], wait['avg']))
    print('compute-events on %s: event latency, simulated us: yield-no-wait polling avg %d max %d '
          '(%d events, %d ms); yield-wait only avg %d max %d (%d events, %d ms); ratio of averages %.0fx'
          % (board, poll['avg'], poll['max'], poll['alarms'], poll['ms'], wait['avg'], wait['max'],
             wait['alarms'], wait['ms'], wait['avg'] / max(poll['avg'], 1)))


CHECKS = {'hello': check_hello, 'memory': check_memory, 'alarms': check_alarms,
          'alarms-order': check_alarms_order, 'blink': check_blink,
          'fault': check_fault, 'compute-events': check_compute_events}


# ------------------------------------------------------------------ main --

def parse_args(argv):
    opts = {'tocksim': None, 'board': None, 'kernel': None, 'expect': None, 'check': None, 'show': False,
            'repeat': False}
    runs = []
    i = 0
    while i < len(argv):
        a = argv[i]
        m = re.fullmatch(r'--run(?:=([\d,]+))?', a)
        if m:
            exits = [int(x) for x in (m.group(1) or '0').split(',')]
            runs.append(Run(len(runs) + 1, [], exits))
        elif runs:
            runs[-1].args.append(a)
        elif a in ('--show', '--repeat'):
            opts[a[2:]] = True
        elif a.startswith('--') and a[2:] in opts and i + 1 < len(argv):
            opts[a[2:]] = argv[i + 1]
            i += 1
        else:
            raise Fail('usage: unexpected %r (see the docstring)' % a)
        i += 1
    if not opts['tocksim'] or not opts['board'] or not runs:
        raise Fail('usage: --tocksim, --board and at least one --run are required')
    if opts['board'] not in BOARDS:
        raise Fail('usage: unknown board %r' % opts['board'])
    if opts['check'] and opts['check'] not in CHECKS:
        raise Fail('usage: unknown check %r (%s)' % (opts['check'], ', '.join(sorted(CHECKS))))
    return opts, runs


def main(argv):
    try:
        opts, runs = parse_args(argv)
    except Fail as e:
        print(e, file=sys.stderr)
        return 2
    board = opts['board']
    lines = []
    try:
        for run in runs:
            execute(opts['tocksim'], board, opts['kernel'], run)
            lines.append(run.header())
            lines += run.lines
        if opts['repeat']:
            again = Run(1, runs[0].args, runs[0].exits)
            execute(opts['tocksim'], board, opts['kernel'], again)
            h1, h2 = trace_hash(runs[0]), trace_hash(again)
            if again.stdout != runs[0].stdout or h1 != h2 or h1 is None:
                raise Fail('run 1 twice: console %s, trace hash %s then %s'
                           % ('identical' if again.stdout == runs[0].stdout else 'DIFFERENT', h1, h2))
            print('run 1 twice: identical console output, trace hash %s both times' % h1)
        for run in runs:
            for l in run.stderr.split('\n'):
                if '] guest-error ' in l or '] unimp ' in l:
                    print('note (run %d): %s' % (run.index, l))
            if run.status not in run.exits:
                raise Fail('run %d: tocksim exited %d, expected %s' % (run.index, run.status,
                                                                      ' or '.join(map(str, run.exits))))
        if opts['expect']:
            match_expect(opts['expect'], load_expect(opts['expect'], board), lines)
        if opts['check']:
            CHECKS[opts['check']](board, runs)
    except Fail as e:
        print('FAIL: %s' % e)
        for run in runs:
            print('---- run %d (exit %s) console:' % (run.index, run.status))
            print(run.stdout[-12000:])
            print('---- run %d stderr:' % run.index)
            print(run.stderr[-3000:])
        return 1
    if opts['show']:
        print('\n'.join(lines))
    for run in runs:
        print(run.stderr.strip().split('\n')[-1] if run.stderr.strip() else '(no status line)')
    print('PASS')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
