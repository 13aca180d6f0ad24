#!/bin/sh
# Bad input must give one clear line (naming the file or option, what was
# found, what was expected) and exit status 2 — never a crash.
# usage: run_malformed.sh TOCKSIM ARM_ELF RV_ELF WORKDIR
set -u
TOCKSIM=$1 ARM_ELF=$2 RV_ELF=$3 WORK=$4
mkdir -p "$WORK"
pass=0 fail=0 n=0

# expect STATUS PATTERN -- ARGS...: runs tocksim ARGS, checks the exit status
# and that stderr matches PATTERN (grep -E).
expect() {
    want=$1 pat=$2
    shift 3
    n=$((n + 1))
    out=$("$TOCKSIM" "$@" 2>&1 >/dev/null)
    got=$?
    if [ "$got" -eq "$want" ] && printf '%s\n' "$out" | grep -Eq -e "$pat"; then
        echo "ok $n - $*: $(printf '%s' "$out" | head -1)"
        pass=$((pass + 1))
    else
        echo "not ok $n - $*: exit $got (want $want), stderr: $(printf '%s' "$out" | head -2)"
        fail=$((fail + 1))
    fi
}

printf 'not an elf at all\n' >"$WORK/text.elf"
head -c 30 "$ARM_ELF" >"$WORK/truncated.elf"
: >"$WORK/empty.elf"
# an ELF whose only segment lies outside the board's memory: move the load
# address of an ARM image to 0x60000000 by patching p_paddr/p_vaddr
python3 - "$ARM_ELF" "$WORK/outside.elf" <<'PY'
import struct, sys
d = bytearray(open(sys.argv[1], 'rb').read())
phoff, = struct.unpack_from('<I', d, 28)
phentsize, phnum = struct.unpack_from('<HH', d, 42)
for i in range(phnum):
    o = phoff + i * phentsize
    if struct.unpack_from('<I', d, o)[0] == 1:           # PT_LOAD
        struct.pack_into('<II', d, o + 8, 0x60000000, 0x60000000)
open(sys.argv[2], 'wb').write(d)
PY
# a 64-bit ELF header
printf '\177ELF\002\001\001\000\000\000\000\000\000\000\000\000' >"$WORK/elf64.elf"
head -c 64 /dev/zero >>"$WORK/elf64.elf"

echo "TAP version 13"
expect 2 "nosuch.elf: cannot open" -- run --board mps2-an386 --kernel "$WORK/nosuch.elf"
expect 2 "text.elf: offset 0: not an ELF" -- run --board mps2-an386 --kernel "$WORK/text.elf"
expect 2 "empty.elf: offset 0: not an ELF" -- run --board mps2-an386 --kernel "$WORK/empty.elf"
expect 2 "truncated.elf: .*(truncated|malformed)" -- run --board mps2-an386 --kernel "$WORK/truncated.elf"
expect 2 "elf64.elf: offset 4: ELF class is 64-bit, expected 32-bit" -- run --board mps2-an386 --kernel "$WORK/elf64.elf"
expect 2 "e_machine is RISC-V, expected ARM" -- run --board mps2-an386 --kernel "$RV_ELF"
expect 2 "outside.elf: segment .* not inside the board's memory" -- run --board mps2-an386 --kernel "$WORK/outside.elf"
expect 2 "unknown board 'pdp11' \(expected one of: " -- run --board pdp11 --kernel "$ARM_ELF"
expect 2 "--max-time 'soon': expected a time" -- run --board mps2-an386 --kernel "$ARM_ELF" --max-time soon
expect 2 "--max-cycles '-5'" -- run --board mps2-an386 --kernel "$ARM_ELF" --max-cycles -5
expect 2 "--set nosuch.width_bits=16: board mps2-an386 has no peripheral 'nosuch'" -- run --board mps2-an386 --kernel "$ARM_ELF" --set nosuch.width_bits=16
expect 2 "--set systick: expected MODEL.PROP=VALUE" -- run --board mps2-an386 --kernel "$ARM_ELF" --set systick
expect 2 "value 'lots' is not a number" -- run --board mps2-an386 --kernel "$ARM_ELF" --set systick.width_bits=lots
expect 2 "width_bits" -- run --board mps2-an386 --kernel "$ARM_ELF" --set systick.width_bits=17
expect 2 "unknown category 'bogus'" -- run --board mps2-an386 --kernel "$ARM_ELF" --trace bogus
expect 2 "unknown option '--frobnicate'" -- run --frobnicate
expect 2 "unknown command 'fly'" -- fly

# snapshots: one good file (taken at the end of a short run), then broken copies
"$TOCKSIM" run --board mps2-an386 --kernel "$ARM_ELF" --max-cycles 20000 --quiet \
    --snapshot-out "$WORK/good.snap" >/dev/null 2>&1
head -c 100 "$WORK/good.snap" >"$WORK/truncated.snap"
cat "$ARM_ELF" >"$WORK/other.elf"; printf 'x' >>"$WORK/other.elf"     # another image
head -c 5 "$WORK/good.snap" >"$WORK/tiny.snap"
python3 - "$WORK" <<'PY'
import struct, sys
w = sys.argv[1]
d = open(w + '/good.snap', 'rb').read()
open(w + '/magic.snap', 'wb').write(b'NOTASNAP' + d[8:])
open(w + '/version.snap', 'wb').write(d[:8] + struct.pack('<I', 99) + d[12:])
m = bytearray(d); m[len(m) // 2] ^= 0x40
open(w + '/flipped.snap', 'wb').write(bytes(m))
# the first section's size made larger than the file (the checksum is fixed up
# so that the structure check is what fails)
hlen, = struct.unpack_from('<I', d, 12)
nl, = struct.unpack_from('<H', d, hlen)
b = bytearray(d); struct.pack_into('<Q', b, hlen + 2 + nl + 4, 1 << 40)
open(w + '/oversize.snap', 'wb').write(bytes(b))
PY
expect 2 "truncated.snap: .*truncated" -- run --board mps2-an386 --kernel "$ARM_ELF" --restore "$WORK/truncated.snap"
expect 2 "tiny.snap: offset 0: not a tocksim snapshot" -- run --restore "$WORK/tiny.snap"
expect 2 "magic.snap: offset 0: not a tocksim snapshot" -- run --board mps2-an386 --kernel "$ARM_ELF" --restore "$WORK/magic.snap"
expect 2 "version.snap: offset 0x8: format version 99, this tocksim reads version 1" -- run --restore "$WORK/version.snap"
expect 2 "flipped.snap: .*checksum .* the file is corrupted" -- run --board mps2-an386 --kernel "$ARM_ELF" --restore "$WORK/flipped.snap"
expect 2 "oversize.snap: .*section 'machine' claims" -- run --restore "$WORK/oversize.snap"
expect 2 "good.snap: the snapshot is of board mps2-an386, not qemu-rv32-virt" -- run --board qemu-rv32-virt --kernel "$RV_ELF" --restore "$WORK/good.snap"
expect 2 "good.snap: image 0 differs: the snapshot has" -- run --board mps2-an386 --kernel "$WORK/other.elf" --restore "$WORK/good.snap"
expect 2 "nosuch.snap: cannot open" -- run --restore "$WORK/nosuch.snap"
expect 2 "truncated.snap: .*truncated" -- info "$WORK/truncated.snap"
expect 2 "--snapshot-at needs --snapshot-out" -- run --board mps2-an386 --kernel "$ARM_ELF" --snapshot-at 1s
expect 2 "--snapshot-at 'later': expected a time" -- run --board mps2-an386 --kernel "$ARM_ELF" --snapshot-at later --snapshot-out "$WORK/x.snap"
echo "1..$n"
[ "$fail" -eq 0 ]
