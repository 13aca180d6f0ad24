#!/bin/sh
# Usage: expect_exit.sh [--strict] [--require PROG] [--timeout SECS] STATUS CMD [ARG...]
#
# Runs CMD (bounded in time and in output size), prints its output, and
# succeeds iff CMD exited with STATUS and printed no "FAIL" line. When STATUS
# is 0, the output must also contain the guest's "SUMMARY:" line.
#   --strict        also reject "SKIP <name>: QEMU deviation" lines: the
#                   simulator must follow the architecture where QEMU does not.
#   --require PROG  exit 77 (meson's "skipped") when PROG is not installed.
#   --timeout SECS  wall-clock bound for CMD (default 20).
set -u
strict=0 timeout_s=20
while [ $# -gt 0 ]; do
    case $1 in
    --strict) strict=1; shift ;;
    --require)
        if ! command -v "$2" >/dev/null 2>&1; then
            echo "SKIP: $2 is not installed"
            exit 77
        fi
        shift 2 ;;
    --timeout) timeout_s=$2; shift 2 ;;
    *) break ;;
    esac
done
if [ $# -lt 2 ]; then
    echo "usage: $0 [--strict] [--require PROG] [--timeout SECS] STATUS CMD [ARG...]" >&2
    exit 2
fi
want=$1
shift

tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
# Output is capped at 1 MB: a guest stuck in a printing loop cannot fill the disk.
{ timeout "$timeout_s" "$@" </dev/null 2>&1; echo $? > "$tmp/rc"; } | head -c 1000000 > "$tmp/out"
rc=$(cat "$tmp/rc")
cat "$tmp/out"
echo "---- $1 exited with $rc (expected $want)"

ok=1
if [ "$rc" != "$want" ]; then
    [ "$rc" = 124 ] && echo "ERROR: timed out after ${timeout_s}s"
    echo "ERROR: exit status $rc, expected $want"
    ok=0
fi
if grep -q '^FAIL' "$tmp/out"; then
    echo "ERROR: the output has FAIL lines"
    ok=0
fi
if [ "$strict" = 1 ] && grep -q '^SKIP .*QEMU deviation' "$tmp/out"; then
    echo "ERROR: a check skipped as a QEMU deviation must pass here"
    ok=0
fi
if [ "$want" = 0 ] && ! grep -q '^SUMMARY:' "$tmp/out"; then
    echo "ERROR: no SUMMARY line: the guest did not finish"
    ok=0
fi
[ "$ok" = 1 ]
