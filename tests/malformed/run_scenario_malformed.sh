#!/bin/sh
# Malformed scenario files (scenario/*.scn) must give one located error
# (FILE:LINE[:COL]: what was found, what was expected) and exit status 2,
# from both `tocksim test FILE` and `tocksim run --scenario FILE`.
# usage: run_scenario_malformed.sh TOCKSIM SCENARIO_DIR
set -u
TOCKSIM=$1 DIR=$2
n=0 fail=0

# expect FILE PATTERN: both commands exit 2 and print PATTERN (grep -E) on stderr
expect() {
    f=$1 pat=$2
    for cmd in test run; do
        n=$((n + 1))
        if [ "$cmd" = test ]; then
            out=$("$TOCKSIM" test "$DIR/$f" 2>&1 >/dev/null)
        else
            out=$("$TOCKSIM" run --scenario "$DIR/$f" 2>&1 >/dev/null)
        fi
        got=$?
        if [ "$got" -eq 2 ] && printf '%s\n' "$out" | grep -Eq -e "$pat"; then
            echo "ok $n - $cmd $f: $(printf '%s' "$out" | head -1)"
        else
            echo "not ok $n - $cmd $f: exit $got (want 2), stderr: $(printf '%s' "$out" | head -2)"
            fail=$((fail + 1))
        fi
    done
}

echo "TAP version 13"
expect syntax.scn          "syntax.scn:3:5: syntax error: did not find expected ',' or ']'"
expect tab.scn             "tab.scn:3:1: syntax error: found character that cannot start any token"
expect unknown-key.scn     "unknown-key.scn:3:1: unknown key 'expekt' in the scenario \(expected one of: .*expect"
expect dup-key.scn         "dup-key.scn:3:1: .*key 'board' appears twice \(first on line 1\)"
expect empty.scn           "empty.scn:1: the file is empty"
expect top-list.scn        "top-list.scn:1:1: found a list at the top, expected a mapping"
expect bad-unit.scn        "bad-unit.scn:4:9: stop time: '10 parsecs': unknown time unit ' parsecs' \(expected ns, us, ms, s or min\)"
expect bad-unit2.scn       "bad-unit2.scn:4:9: stop time: '5xs': unknown time unit 'xs'"
expect stim-after-stop.scn "stim-after-stop.scn:4: stimulus at 2.000000000s is not before the stop time 1.000000000s"
expect unknown-board.scn   "unknown-board.scn:1: unknown board 'pdp11' \(expected one of: nrf52840dk"
expect unknown-pin.scn     "unknown-pin.scn:4:23: gpio: board nrf52840dk has no peripheral 'gpio7'"
expect pin-range.scn       "pin-range.scn:4:23: gpio: pin 40 of 'gpio1' is out of range \(expected 0..31\)"
expect unknown-button.scn  "unknown-button.scn:4:24: press: board qemu-rv32-virt has no button 'button1' \(it has: none\)"
expect unknown-led.scn     "unknown-led.scn:4:17: led: board nrf52840dk has no LED 'led9' \(it has: led1"
expect bad-regex.scn       "bad-regex.scn:4:17: bad regular expression 'a\(b'"
expect no-action.scn       "no-action.scn:4:5: stimulus: found 0 actions, expected exactly one of press, release, gpio, uart"
expect set-periph.scn      "set-periph.scn:4:3: set rtc9.width_bits: board nrf52840dk has no peripheral 'rtc9'"
expect set-value.scn       "set-value.scn:4: rtc1.width_bits: found 17, expected one of 16, 24, 32"
expect no-app.scn          "no-app.scn:2: app 'nosuchapp': no built app .* not found"
expect expect-app.scn      "expect-app.scn:4: no app named 'hullo' was loaded \(apps: hello\)"
expect not-a-file.scn      "not-a-file.scn: no such file or folder|not-a-file.scn: cannot open"
echo "1..$n"
[ "$fail" -eq 0 ]
