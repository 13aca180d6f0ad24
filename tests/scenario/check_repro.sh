#!/bin/sh
# Determinism of the scenario library (TAP):
#  - the library hash (over every case's trace hash and end time) is the
#    same on two runs, one with --jobs 1 and one with --jobs 2;
#  - a --record'ed run replays (--replay) to the same trace hash, for
#    scripted UART input, button presses and seeded interrupt jitter.
# usage: check_repro.sh TOCKSIM SCENARIO_DIR WORKDIR
set -u
T=$1 S=$2 W=$3
mkdir -p "$W"
n=0 fail=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
bad() { n=$((n + 1)); fail=$((fail + 1)); echo "not ok $n - $*"; }

echo "TAP version 13"
libhash() { "$T" test "$S/basic" "$S/alarm" "$@" 2>/dev/null | sed -n 's/^# .*library hash \([0-9a-f]*\);.*/\1/p'; }
# two runs of the whole library, one with --jobs 1 and one with --jobs 2
h1=$(libhash --jobs 1)
h2=$(libhash --jobs 2)
[ -n "$h1" ] && [ "$h1" = "$h2" ] && ok "library hash with --jobs 1 ($h1) = a second run with --jobs 2 ($h2)" ||
    bad "library hash with --jobs 1 ($h1) != a second run with --jobs 2 ($h2)"

replay() {
    scn=$1 board=$2 shift 2
    rec="$W/$(basename "$scn" .scn)-$board.rec"
    out=$("$T" run --quiet --scenario "$S/$scn" --board "$board" --record "$rec" "$@" 2>&1 >/dev/null)
    rh=$(sed -n 's/^end [0-9]* \([0-9a-f]*\)$/\1/p' "$rec")
    out2=$("$T" run --replay "$rec" 2>&1 >/dev/null)
    st=$?
    ph=$(printf '%s\n' "$out2" | sed -n 's/.*replay of .*: trace hash \([0-9a-f]*\), recorded.*/\1/p')
    if [ -n "$rh" ] && [ "$rh" = "$ph" ] && [ $st -eq 0 ]; then
        ok "replay of $scn on $board: trace hash $ph"
    else
        bad "replay of $scn on $board: recorded '$rh', replayed '$ph' (exit $st): $(printf '%s' "$out$out2" | tail -2)"
    fi
}
replay basic/console-echo.scn mps2-an386
replay basic/console-echo.scn qemu-rv32-virt
replay basic/buttons.scn nrf52840dk
replay alarm/exact-jitter.scn nrf52840dk --seed 3
replay alarm/preempt.scn qemu-rv32-virt
echo "1..$n"
[ "$fail" -eq 0 ]
