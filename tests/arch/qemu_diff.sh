#!/bin/sh
# Usage: qemu_diff.sh BOARD ELF TOCKSIM
#
# Runs the same guest image in QEMU (with -icount shift=0) and in tocksim and
# succeeds iff both exit 0 and print exactly the same console output.
# Exits 77 (meson's "skipped") when the QEMU binary is not installed.
set -u
if [ $# -ne 3 ]; then
    echo "usage: $0 BOARD ELF TOCKSIM" >&2
    exit 2
fi
board=$1 elf=$2 tocksim=$3
case $board in
mps2-an386)
    set -- qemu-system-arm -M mps2-an386 -nographic -semihosting -icount shift=0 ;;
qemu-rv32-virt)
    set -- qemu-system-riscv32 -M virt -bios none -nographic -icount shift=0 ;;
*)
    echo "ERROR: no QEMU machine for board '$board'" >&2
    exit 2 ;;
esac
if ! command -v "$1" >/dev/null 2>&1; then
    echo "SKIP: $1 is not installed, no reference run"
    exit 77
fi

tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
# Both runs are bounded in time and in output size; CRs are dropped (QEMU's
# stdio backend may add them).
run() {
    name=$1
    shift
    { timeout 20 "$@" </dev/null 2>&1; echo $? > "$tmp/$name.rc"; } |
        head -c 1000000 | tr -d '\r' > "$tmp/$name.out"
}
run qemu "$@" -kernel "$elf"
run tocksim "$tocksim" run --board "$board" --kernel "$elf" --max-time 10s --quiet

qrc=$(cat "$tmp/qemu.rc") trc=$(cat "$tmp/tocksim.rc")
echo "---- QEMU ($1) exited with $qrc:"
cat "$tmp/qemu.out"
echo "---- tocksim exited with $trc"
ok=1
if [ "$qrc" != 0 ]; then
    echo "ERROR: the QEMU run exited with $qrc (the reference must pass)"
    ok=0
fi
if [ "$trc" != "$qrc" ]; then
    echo "ERROR: exit status differs: QEMU $qrc, tocksim $trc"
    ok=0
fi
if ! diff -u --label qemu --label tocksim "$tmp/qemu.out" "$tmp/tocksim.out"; then
    echo "ERROR: console output differs (above: - QEMU, + tocksim)"
    ok=0
fi
[ "$ok" = 1 ]
