#!/usr/bin/env python3
"""The same kernel + apps image in Debian's QEMU and in tocksim: the console
transcripts must be identical.

usage: kernel_diff.py --board B --tocksim T --kernel K.elf --base ADDR
                      --limit ADDR --stop TEXT [--timeout S] APP.tbf...

`tocksim pack --image` puts the apps into the kernel ELF at the board's app
flash (ADDR: APPS_FLASH_BASE, laid out as `tocksim run K.elf APP.tbf...`
lays them out), and that one file boots in both. Both runs end at the first
line containing TEXT (tocksim: --until-text, bounded by 10 s of simulated
time; QEMU: killed when the line is complete, bounded by --timeout seconds
of wall time, which only limits how long a broken run takes), and the
transcripts up to and including that line are compared with CRs removed.
QEMU counts instructions (-icount shift=0), tocksim cycles: only output
whose order does not depend on time can agree, which is what the apps of
this test print.

Exit status: 0 same, 1 different (a unified diff is printed), 2 bad usage
or a run that did not reach TEXT, 77 (skipped) when QEMU is not installed.
"""
import argparse
import difflib
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time

QEMU = {
    'mps2-an386': ['qemu-system-arm', '-M', 'mps2-an386', '-semihosting'],
    'qemu-rv32-virt': ['qemu-system-riscv32', '-M', 'virt', '-bios', 'none'],
}
MAX_OUTPUT = 1 << 20


def transcript(raw, stop):
    """The text up to the end of the first line that contains stop, CRs
    removed; None if stop never appears."""
    text = raw.decode('utf-8', 'replace').replace('\r', '')
    at = text.find(stop)
    if at < 0:
        return None
    end = text.find('\n', at)
    return text[:end] + '\n' if end >= 0 else text + '\n'


def run_qemu(cmd, stop, timeout_s):
    """Runs QEMU until a complete line holds stop (or timeout_s of wall
    time, or MAX_OUTPUT bytes); returns (raw output, stderr text)."""
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    out = b''
    end = time.monotonic() + timeout_s
    key = stop.encode()
    try:
        while time.monotonic() < end and len(out) < MAX_OUTPUT:
            ready, _, _ = select.select([proc.stdout], [], [], 0.1)
            if not ready:
                continue
            chunk = os.read(proc.stdout.fileno(), 4096)
            if not chunk:
                break
            out += chunk
            at = out.find(key)
            if at >= 0 and out.find(b'\n', at) >= 0:
                break
    finally:
        proc.kill()
        _, err = proc.communicate()
    return out, err.decode('utf-8', 'replace')


def main():
    p = argparse.ArgumentParser(description='QEMU vs tocksim: same image, same console.')
    p.add_argument('--board', required=True, choices=sorted(QEMU))
    p.add_argument('--tocksim', required=True)
    p.add_argument('--kernel', required=True)
    p.add_argument('--base', required=True, help="the board's APPS_FLASH_BASE")
    p.add_argument('--limit', required=True, help='end of app flash')
    p.add_argument('--stop', required=True, help='both runs end at the line holding this')
    p.add_argument('--timeout', type=float, default=20, help='wall-time bound of the QEMU run (s)')
    p.add_argument('apps', nargs='+')
    a = p.parse_args()

    qemu = QEMU[a.board]
    if not shutil.which(qemu[0]):
        print(f'SKIP: {qemu[0]} is not installed, no reference run')
        return 77

    with tempfile.TemporaryDirectory() as tmp:
        image = os.path.join(tmp, 'image.elf')
        r = subprocess.run([a.tocksim, 'pack', '--image', '-o', image, '--kernel', a.kernel,
                            '--base', a.base, '--limit', a.limit] + a.apps,
                           capture_output=True, text=True)
        if r.returncode != 0:
            print(f'ERROR: tocksim pack --image failed ({r.returncode}):\n{r.stdout}{r.stderr}')
            return 2

        qcmd = qemu + ['-nographic', '-monitor', 'none', '-serial', 'stdio',
                       '-icount', 'shift=0', '-kernel', image]
        tcmd = [a.tocksim, 'run', '--board', a.board, '--kernel', image,
                '--until-text', a.stop, '--max-time', '10s', '--quiet']
        print('$ ' + ' '.join(qcmd))
        qraw, qerr = run_qemu(qcmd, a.stop, a.timeout)
        print('$ ' + ' '.join(tcmd))
        try:
            r = subprocess.run(tcmd, capture_output=True, timeout=a.timeout * 3)
            traw, terr, trc = r.stdout[:MAX_OUTPUT], r.stderr.decode('utf-8', 'replace'), r.returncode
        except subprocess.TimeoutExpired as e:
            traw, terr, trc = (e.stdout or b'')[:MAX_OUTPUT], 'timed out\n', None

    qtext, ttext = transcript(qraw, a.stop), transcript(traw, a.stop)
    ok = True
    if qtext is None:
        print(f'ERROR: the QEMU run never printed {a.stop!r}; its output:')
        print(qraw.decode('utf-8', 'replace').replace('\r', ''), qerr, sep='\n')
        return 2
    if ttext is None or trc != 0:
        print(f'ERROR: the tocksim run exited {trc} without printing {a.stop!r}; its output:')
        print(traw.decode('utf-8', 'replace').replace('\r', ''), terr, sep='\n')
        return 2
    print(f'---- QEMU ({qemu[0]}), {len(qtext.splitlines())} lines:')
    sys.stdout.write(qtext)
    if qtext != ttext:
        print('---- differences (- QEMU, + tocksim):')
        sys.stdout.writelines(difflib.unified_diff(qtext.splitlines(True), ttext.splitlines(True),
                                                   'qemu', 'tocksim'))
        ok = False
    else:
        print('---- tocksim: the same')
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
