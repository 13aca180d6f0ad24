#!/usr/bin/env python3
"""GDB against tocksim: runs one case (a gdb-multiarch batch script) against
`tocksim run --gdb 0` and checks GDB's output, tocksim's output and exit
status. Exit 77 (skip) only when gdb-multiarch is missing.

usage: gdb_test.py TOCKSIM KERNEL_ELF BOARD CASE HELLO_TBF ALARMS_TBF FAULT_TBF
                   HELLO_ELF ALARMS_ELF
"""
import os
import re
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time

GDB = shutil.which("gdb-multiarch")


def elf_sections(path):
    """{name: address} of an ELF32 file's sections."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:4] != b"\x7fELF" or data[4] != 1:
        raise SystemExit(f"{path}: not an ELF32 file")
    shoff, = struct.unpack_from("<I", data, 0x20)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x2E)
    def sh(i):
        return struct.unpack_from("<IIIIIIIIII", data, shoff + i * shentsize)
    stroff = sh(shstrndx)[4]
    out = {}
    for i in range(shnum):
        name_off, _, _, addr = sh(i)[:4]
        end = data.index(b"\0", stroff + name_off)
        out[data[stroff + name_off:end].decode()] = addr
    return out


class Case:
    def __init__(self, apps, script, expect, rc=0, err_expect=(), sigint_after=None,
                 max_time="10s", check=None):
        self.apps, self.script, self.expect, self.rc = apps, script, expect, rc
        self.err_expect, self.sigint_after, self.max_time = err_expect, sigint_after, max_time
        self.check = check


def counts_check(equal, less):
    """A check on the `monitor cycles` outputs: #i == #j for (i, j) in equal,
    #i < #j (in cycles) for (i, j) in less."""
    def check(gout):
        got = [(int(c), int(n)) for c, n in re.findall(r"(\d+) cycles, (\d+) instructions", gout)]
        for i, j in equal + less:
            if max(i, j) >= len(got):
                return f"expected more `monitor cycles` outputs: {got}"
        for i, j in equal:
            if got[i] != got[j]:
                return f"monitor cycles #{i} and #{j} differ: {got}"
        for i, j in less:
            if not got[i][0] < got[j][0]:
                return f"monitor cycles #{i} is not before #{j}: {got}"
        return None
    return check


def cases(arch, a):
    arm = arch == "arm"
    # An app variable: RV32 apps are linked where they run; Cortex-M apps are
    # position independent with RAM sections linked at 0, relocated to the
    # process's RAM (procs[0].mem_start).
    if arm:
        s = elf_sections(a["alarms_elf"])
        # flash: the ELF's 0x80000000 is the process's app_start
        add_app = ("break k_kernel_run\ncontinue\ndelete\n"
                   f'eval "add-symbol-file {a["alarms_elf"]} 0x%x -s .rodata 0x%x '
                   f'-s .data 0x%x -s .bss 0x%x", '
                   f'procs[0].app_start + {s[".text"] - 0x80000000}, '
                   f'procs[0].app_start + {s[".rodata"] - 0x80000000}, '
                   f'procs[0].mem_start + {s[".data"]}, procs[0].mem_start + {s[".bss"]}\n')
    else:
        add_app = f"add-symbol-file {a['alarms_elf']}\n"
    # Step into an exception: to the SVC the kernel enters user mode with
    # (Cortex-M), to the first ecall of an app (RV32).
    if arm:
        to_trap = ("break armv7m_switch_to_user\ncontinue\ndelete\n"
                   "set $n = 0\n"
                   "while (*(unsigned short *)$pc & 0xff00) != 0xdf00 && $n < 2000\n"
                   "  stepi\n  set $n = $n + 1\nend\n")
        handler = "armv7m_svc_handler"
    else:
        to_trap = (f"add-symbol-file {a['hello_elf']}\nbreak _start\ncontinue\ndelete\n"
                   "set $n = 0\n"
                   "while *(unsigned int *)$pc != 0x73 && $n < 5000\n"
                   "  stepi\n  set $n = $n + 1\nend\n")
        handler = "rv32i_trap_entry"
    # GDB steps RV32 code with breakpoints of its own (software single-step
    # is always on in riscv-tdep): the stub's `s` is asked for by hand there.
    step1 = "stepi\n" if arm else "maint packet vCont;s\nmaintenance flush register-cache\n"
    two = [a["hello"], a["alarms"]]
    return {
        "break": Case(two,
            "break k_kernel_loop_once\ncontinue\ninfo registers pc\n"
            "p kernel.nprocs\nbt\nx/2i $pc\nstepi\nstepi\np $pc != k_kernel_loop_once\n"
            "monitor cycles\nmonitor time\nmonitor bogus\ndelete\ndetach\n",
            [r"Breakpoint 1(\.\d+)?, k_kernel_loop_once",
             r"pc\s+0x[0-9a-f]+\s+0x[0-9a-f]+ <k_kernel_loop_once",
             r"\$1 = 2", r"in k_kernel_run", r"\$2 = 1",
             r"\d+ cycles, \d+ instructions", r"t=\d+\.\d+s \(cycle \d+",
             r"unknown monitor command 'bogus'", r"detached"],
            err_expect=[r"GDB detached; running on", r"exit 0"]),
        "step": Case(two,
            to_trap + "x/i $pc\n" + step1 + "info symbol $pc\np $n < 2000\nkill\n",
            [r"(svc|ecall)", handler + r" in section", r"\$\d+ = 1"]),
        "watch-kernel": Case(two,
            "watch kernel.rr_next\ncontinue\ncontinue\ndelete\n"
            "rwatch kernel.nprocs\ncontinue\ndelete\nkill\n",
            [r"Hardware watchpoint 1: kernel.rr_next", r"Old value = 0\s+New value = 1",
             r"Old value = 1\s+New value = 0", r"Hardware read watchpoint 2: kernel.nprocs",
             r"Value = 2"]),
        "watch-app": Case([a["alarms"]],
            add_app + "watch tickers[0].fired\ncontinue\nbt 1\ncontinue\ndelete\ndetach\n",
            [r"Hardware watchpoint \d+: tickers\[0\].fired",
             r"Old value = 0\s+New value = 1", r"#0 .*fired", r"Old value = 1\s+New value = 2",
             r"detached"],
            err_expect=[r"alarms: done", r"exit 0"]),
        "ctrlc": Case(two,
            "continue\nmonitor time\np $pc\ndetach\n",
            [r"Program received signal SIGINT", r"t=\d+\.\d+s", r"detached"],
            err_expect=[r"GDB detached", r"exit 0"], sigint_after=2.0),
        # reverse execution: back to the previous breakpoint hit, and back over
        # single steps, to the same cycle and instruction count; the run
        # then ends as a straight run does (the trace hash is checked by
        # test_gdb_cpu and the snapshot tests)
        "reverse": Case(two,
            "break k_kernel_loop_once\ncontinue\ncontinue\nmonitor cycles\ncontinue\n"
            "monitor cycles\nreverse-continue\nmonitor cycles\nstepi 5\nmonitor cycles\n"
            "reverse-stepi 5\nmonitor cycles\ndelete\nwatch kernel.rr_next\ncontinue\n"
            "monitor cycles\ncontinue\nmonitor cycles\nreverse-continue\nmonitor cycles\n"
            "delete\nreverse-continue\nmonitor cycles\nkill\n",
            [r"Breakpoint 1", r"k_kernel_loop_once", r"Hardware watchpoint 2",
             r"No more reverse-execution history", r"0 cycles, 0 instructions"],
            # back to the second watched write (GDB reports forward hits one
            # step after the access, as it steps over it), not to the first
            check=counts_check([(0, 2), (2, 4)], [(5, 7), (7, 6)])),
        "snapshot": Case(two,
            "break k_kernel_loop_once\ncontinue\nmonitor cycles\n"
            f"monitor snapshot save {a['tmp']}/s.snap\ncontinue\ncontinue\nmonitor cycles\n"
            f"monitor snapshot load {a['tmp']}/s.snap\nflushregs\nmonitor cycles\n"
            f"monitor snapshot load {a['tmp']}/nonexistent.snap\nmonitor cycles\n"
            "info symbol $pc\ncontinue\nmonitor cycles\nkill\n",
            [r"snapshot: .*s\.snap at cycle \d+", r"snapshot: .*s\.snap loaded",
             r"the state is unchanged", r"k_kernel_loop_once"],
            check=counts_check([(0, 2), (2, 3)], [(0, 1)])),
        # RV32: a watched word on a small app's stack, in the page its PMP
        # region boundary cuts (accesses there are decided by the host,
        # rv32_pmp.h): the watch still stops right after the storing
        # instruction, each time
        "watch-cut": Case([a.get("spin", "")],
            f"add-symbol-file {a.get('spin_elf', '')}\nbreak main.c:8\ncontinue\ndelete\n"
            "eval \"watch *(int *)0x%x\", $sp + 12\ncontinue\ncontinue\nx/i $pc - 2\nkill\n",
            [r"Breakpoint 1", r"Hardware watchpoint 2", r"Old value = 0\s+New value = 1",
             r"Old value = 1\s+New value = 2", r"sw\s+a5,12\(sp\)"]),
        "panic": Case([a["fault"]],
            "continue\nbt 3\nkill\n",
            [r"panicked or halted: fault report", r"Program received signal SIGABRT",
             r"_halt"],
            err_expect=[r"==== fault report: kernel panic at .*process\.c", r"backtrace",
                        r"k_panic_at", r"last trace events"]),
    }


def wait_for(path, pattern, timeout):
    end = time.time() + timeout
    while time.time() < end:
        with open(path, errors="replace") as f:
            m = re.search(pattern, f.read())
        if m:
            return m
        time.sleep(0.05)
    return None


def main():
    if len(sys.argv) not in (10, 12):
        print(__doc__, file=sys.stderr)
        return 2
    if not GDB:
        print("gdb-multiarch not found: skipped")
        return 77
    tocksim, kernel, board, case_name = sys.argv[1:5]
    a = dict(zip(["hello", "alarms", "fault", "hello_elf", "alarms_elf", "spin", "spin_elf"],
                 sys.argv[5:12]))
    arch = "rv32" if "rv32" in board else "arm"
    tmp = tempfile.mkdtemp(prefix="tocksim-gdb-")
    a["tmp"] = tmp
    case = cases(arch, a)[case_name]
    out_path, err_path = os.path.join(tmp, "out"), os.path.join(tmp, "err")
    script = os.path.join(tmp, "script.gdb")
    with open(script, "w") as f:
        f.write("set pagination off\nset confirm off\n" + case.script)
    with open(out_path, "w") as out, open(err_path, "w") as err:
        sim = subprocess.Popen([tocksim, "run", "--board", board, "--kernel", kernel,
                                *case.apps, "--max-time", case.max_time, "--gdb", "0"],
                               stdout=out, stderr=err)
    ok = True
    try:
        m = wait_for(err_path, r"target remote (\S+)\)", 20)
        if not m:
            print("tocksim did not listen")
            return 1
        gdb = subprocess.Popen([GDB, "-batch", "-nx", "-ex", f"file {kernel}",
                                "-ex", f"target remote {m.group(1)}", "-x", script],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if case.sigint_after:
            time.sleep(case.sigint_after)
            gdb.send_signal(signal.SIGINT)
        try:
            gout, _ = gdb.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            gdb.kill()
            gout, _ = gdb.communicate()
            print("gdb timed out")
            ok = False
        try:
            rc = sim.wait(timeout=60)
        except subprocess.TimeoutExpired:
            sim.kill()
            rc = sim.wait()
            print("tocksim timed out")
            ok = False
    finally:
        if sim.poll() is None:
            sim.kill()
    with open(err_path, errors="replace") as f:
        serr = f.read()
    with open(out_path, errors="replace") as f:
        sout = f.read()
    pos = 0
    for pat in case.expect:
        m = re.compile(pat).search(gout, pos)
        if not m:
            print(f"GDB output: expected /{pat}/ (in order)")
            ok = False
            break
        pos = m.end()
    for pat in case.err_expect:
        if not re.search(pat, serr + sout):
            print(f"tocksim output: expected /{pat}/")
            ok = False
    if case.check:
        problem = case.check(gout)
        if problem:
            print(problem)
            ok = False
    if rc != case.rc:
        print(f"tocksim exit status {rc}, expected {case.rc}")
        ok = False
    if not ok:
        print("---- gdb\n" + gout + "---- tocksim stderr\n" + serr + "---- tocksim stdout\n" +
              sout[-3000:])
    shutil.rmtree(tmp, ignore_errors=True)
    print(f"{case_name} on {board}: {'ok' if ok else 'FAILED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
