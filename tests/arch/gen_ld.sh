#!/bin/sh
# Usage: gen_ld.sh CC TEMPLATE BOARD_DIR OUTPUT DEPFILE
# Expands a linker-script template with the board's memmap.h (C preprocessor),
# then strips the C integer suffixes (0x1000u -> 0x1000) that ld cannot parse.
set -eu
cc=$1 template=$2 board_dir=$3 out=$4 dep=$5
"$cc" -E -P -undef -x c -I "$board_dir" -include memmap.h \
    -MD -MF "$dep" -MT "$out" "$template" -o "$out.tmp"
sed -E 's/\b(0[xX][0-9A-Fa-f]+|[0-9]+)[uU][lL]?\b/\1/g' "$out.tmp" > "$out"
rm -f "$out.tmp"
