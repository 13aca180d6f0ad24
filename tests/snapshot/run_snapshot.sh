#!/bin/sh
# Snapshot files end to end, per board, on the demo image (TAP):
#   A  straight run to END with every trace category
#   B  the same run taking a snapshot at AT on the way (must not perturb it)
#   C  --restore the snapshot and run on to END
# A, B and C must end with the same trace hash, cycle and instruction
# counts; B's console output must be A's, and C's the rest of A's after
# the bytes written before the snapshot (`tocksim info` tells how many).
# Then: a restore with another image must fail (exit 2) naming the image.
# usage: run_snapshot.sh TOCKSIM WORKDIR BOARD IMAGE OTHER_ELF [BOARD IMAGE OTHER_ELF ...]
set -u
TOCKSIM=$1 WORK=$2
shift 2
mkdir -p "$WORK"
n=0 fail=0
AT=${SNAP_AT:-1.2345s} END=${SNAP_END:-3s}

ok() { n=$((n + 1)); echo "ok $n - $*"; }
bad() { n=$((n + 1)); fail=$((fail + 1)); echo "not ok $n - $*"; }
summary() { sed -n 's/.*board \([^,]*\), t=[^,]*, \([0-9]*\) cycles, \([0-9]*\) instructions, trace hash \([0-9a-f]*\), exit \([0-9]*\).*/\2 \3 \4 \5/p' "$1"; }

echo "TAP version 13"
while [ $# -ge 3 ]; do
    board=$1 image=$2 other=$3
    shift 3
    w=$WORK/$board
    mkdir -p "$w"
    "$TOCKSIM" run --board "$board" --kernel "$image" --max-time "$END" --trace all \
        --trace-out "$w/a.trace" >"$w/a.out" 2>"$w/a.err"
    "$TOCKSIM" run --board "$board" --kernel "$image" --max-time "$END" --trace all \
        --trace-out "$w/b.trace" --snapshot-at "$AT" --snapshot-out "$w/s.snap" \
        >"$w/b.out" 2>"$w/b.err"
    "$TOCKSIM" run --kernel "$image" --max-time "$END" --trace all --trace-out "$w/c.trace" \
        --restore "$w/s.snap" >"$w/c.out" 2>"$w/c.err"
    a=$(summary "$w/a.err") b=$(summary "$w/b.err") c=$(summary "$w/c.err")
    if [ -n "$a" ] && [ "$a" = "$b" ]; then ok "$board: a snapshot on the way changes nothing ($a)"
    else bad "$board: straight '$a', with a snapshot '$b'"; fi
    if [ -n "$a" ] && [ "$a" = "$c" ]; then ok "$board: restored at $AT and run to $END: cycles, instructions, trace hash as straight"
    else bad "$board: straight '$a', restored '$c' ($(head -c 300 "$w/c.err"))"; fi
    k=$("$TOCKSIM" info "$w/s.snap" | sed -n 's/.*console bytes \([0-9]*\).*/\1/p')
    if [ -n "$k" ] && cmp -s "$w/a.out" "$w/b.out" &&
       tail -c +"$((k + 1))" "$w/a.out" | cmp -s - "$w/c.out" && [ -s "$w/c.out" ]; then
        ok "$board: console output: restored run continues at byte $k"
    else bad "$board: console output differs (snapshot console bytes '$k')"; fi
    # the trace lines after the snapshot are the straight run's
    nb=$(wc -l <"$w/b.trace") nc=$(wc -l <"$w/c.trace")
    if tail -n "$nc" "$w/a.trace" | cmp -s - "$w/c.trace" && [ "$nc" -gt 0 ] && [ "$nb" -gt "$nc" ]; then
        ok "$board: the restored run's $nc trace lines are the straight run's last ones"
    else bad "$board: restored trace differs from the end of the straight one"; fi
    "$TOCKSIM" run --board "$board" --kernel "$other" --max-time "$END" --restore "$w/s.snap" \
        >/dev/null 2>"$w/d.err"
    st=$?
    if [ "$st" -eq 2 ] && grep -q "image 0 differs" "$w/d.err" && [ "$(wc -l <"$w/d.err")" -eq 1 ]; then
        ok "$board: another kernel is refused: $(cat "$w/d.err")"
    else bad "$board: restore with another kernel: exit $st, $(cat "$w/d.err")"; fi
done
echo "1..$n"
[ "$fail" -eq 0 ]
