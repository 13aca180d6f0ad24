#!/bin/sh
# Scenario throughput (issue #6, target: >= 20 scenarios of 10 simulated
# seconds per host second per core). Runs bench/scenarios (each 10 s of
# simulated time: idle, printing, buttons, console input, a long alarm, a
# CPU-bound app) on one core, then the regression library, and prints
# figures. Never fails on time.
# usage: scenario_bench.sh TOCKSIM BENCH_SCENARIOS LIBRARY_DIR...
T=$1 B=$2
shift 2
out=$("$T" test "$B" --jobs 1 2>/dev/null)
echo "$out" | sed -n 's/^ok [0-9]* - \(.*\) t=.* hash=[0-9a-f]* (\(.*\) s host)$/  \2 s host  \1/p'
echo "$out" | awk '
  /^ok / { n++; h = $NF; sub(/\(/, "", h); }
  /s host\)$/ { split($0, a, "("); split(a[2], b, " "); tot += b[1];
                if ($0 !~ /^ok [0-9]* - spin /) { tot_ns += b[1]; n_ns++ } }
  END {
    if (tot > 0)
      printf "bench/scenarios: %d scenarios of 10 simulated s in %.2f host s on one core: %.2f per host second (target >= 20)\n", n, tot, n / tot;
    if (tot_ns > 0)
      printf "  without the CPU-bound spin scenarios: %d in %.2f host s: %.2f per host second\n", n_ns, tot_ns, n_ns / tot_ns;
  }'
for lib in "$@"; do
    "$T" test "$lib" --jobs 1 2>/dev/null | sed -n "s|^# .*; \(.* simulated s in .* host s.*\)|$(basename "$lib"): \1 (one core)|p"
done
exit 0
