#!/usr/bin/env python3
"""Boot a kernel with apps on Debian's QEMU and check its console output.

usage: qemu_run.py --board B --kernel K.elf --memmap memmap.h [--timeout S]
                   [--expect TEXT]... [--reject TEXT]... [APP.tbf...]

Apps are concatenated (mkimage.py) and loaded at APPS_FLASH_BASE with QEMU's
generic loader. Prints the console output; exit status 0 if every --expect
text appeared (in order) and no --reject text did.
"""
import argparse
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', 'tools'))
import gen_ld  # noqa: E402
import mkimage  # noqa: E402,F401

MACHINES = {
    'mps2-an386': ['qemu-system-arm', '-M', 'mps2-an386', '-semihosting'],
    'qemu-rv32-virt': ['qemu-system-riscv32', '-M', 'virt', '-bios', 'none'],
}


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--board', required=True, choices=sorted(MACHINES))
    p.add_argument('--kernel', required=True)
    p.add_argument('--memmap', required=True)
    p.add_argument('--timeout', type=float, default=10)
    p.add_argument('--expect', action='append', default=[])
    p.add_argument('--reject', action='append', default=[])
    p.add_argument('--until', help='stop as soon as this text appears')
    p.add_argument('--input', help='type this on the console once --input-after appears')
    p.add_argument('--input-after', default='Entering main loop')
    p.add_argument('apps', nargs='*')
    a = p.parse_args()
    base = gen_ld.load(a.memmap)('APPS_FLASH_BASE')
    with tempfile.TemporaryDirectory() as tmp:
        cmd = MACHINES[a.board] + ['-nographic', '-monitor', 'none', '-serial', 'stdio',
                                   '-kernel', a.kernel]
        if a.apps:
            img = os.path.join(tmp, 'apps.bin')
            subprocess.run([sys.executable, os.path.join(HERE, 'mkimage.py'), img] + a.apps, check=True)
            cmd += ['-device', f'loader,file={img},addr={base:#x},force-raw=on']
        proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT)
        pending_input = a.input.encode() if a.input else None
        out = b''
        try:
            import select
            import time
            end = time.monotonic() + a.timeout
            while time.monotonic() < end and len(out) < 200000:
                r, _, _ = select.select([proc.stdout], [], [], 0.1)
                if r:
                    chunk = os.read(proc.stdout.fileno(), 4096)
                    if not chunk:
                        break
                    out += chunk
                    if pending_input and a.input_after.encode() in out:
                        proc.stdin.write(pending_input)
                        proc.stdin.flush()
                        pending_input = None
                    if a.until and a.until.encode() in out:
                        break
        finally:
            proc.kill()
            proc.wait()
    text = out.decode('utf-8', 'replace')
    sys.stdout.write(text)
    pos, ok = 0, True
    for e in a.expect:
        i = text.find(e, pos)
        if i < 0:
            print(f'\n*** expected text not found (in order): {e!r}')
            ok = False
        else:
            pos = i + len(e)
    for r in a.reject:
        if r in text:
            print(f'\n*** rejected text found: {r!r}')
            ok = False
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
