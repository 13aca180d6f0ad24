#!/usr/bin/env python3
"""Wrap a flat binary in a Tock Binary Format v2 header (TOCK.md §3.1).

A small stand-in for `tocksim pack` for the kernel's own raw test apps. The
binary's entry point is its first byte. It can also write broken headers, for
the discovery tests.

usage: tbfgen.py [options] INPUT.bin OUTPUT.tbf
"""
import argparse
import struct
import sys


def tlv(t, data):
    pad = (-len(data)) % 4
    return struct.pack('<HH', t, len(data)) + data + b'\0' * pad


def build(binary, a):
    tlvs = b''
    if a.main_tlv:
        tlvs += tlv(1, struct.pack('<III', a.protected, a.protected, a.min_ram))
    else:
        body_end = 0  # patched below
        tlvs += tlv(9, struct.pack('<IIIII', a.protected, a.protected, a.min_ram, body_end, a.app_version))
    if a.name:
        tlvs += tlv(3, a.name.encode())
    if a.fixed_ram is not None or a.fixed_flash is not None:
        tlvs += tlv(5, struct.pack('<II', a.fixed_ram if a.fixed_ram is not None else 0xFFFFFFFF,
                                   a.fixed_flash if a.fixed_flash is not None else 0xFFFFFFFF))
    if a.kernel_version:
        major, minor = (int(x) for x in a.kernel_version.split('.'))
        tlvs += tlv(8, struct.pack('<HH', major, minor))
    for extra in a.raw_tlv or []:
        t, hexdata = extra.split(':', 1)
        tlvs += tlv(int(t, 0), bytes.fromhex(hexdata))
    header_size = 16 + len(tlvs)
    if a.header_align:
        header_size = -(-header_size // a.header_align) * a.header_align
        tlvs += b'\0' * (header_size - 16 - len(tlvs))   # zero padding = type-0 TLVs
    body = b'\0' * a.protected + binary
    size = header_size + len(body)
    total = size if not a.pow2 else max(a.pow2, 1 << (size - 1).bit_length())
    total = -(-total // 4) * 4
    if not a.main_tlv:  # Program TLV: binary_end_offset
        off = 4 + 12
        tlvs = tlvs[:off] + struct.pack('<I', size) + tlvs[off + 4:]
    flags = 0 if a.disabled else 1
    base = struct.pack('<HHIII', a.version, header_size, a.total_size or total, flags, 0)
    header = base + tlvs
    checksum = 0
    for i in range(0, header_size, 4):
        if i != 12:
            checksum ^= struct.unpack_from('<I', header, i)[0]
    if a.bad_checksum:
        checksum ^= 1
    header = header[:12] + struct.pack('<I', checksum) + header[16:]
    return header + body + b'\0' * (total - size)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('input')
    p.add_argument('output')
    p.add_argument('--name', default='')
    p.add_argument('--min-ram', type=lambda x: int(x, 0), default=8192)
    p.add_argument('--protected', type=lambda x: int(x, 0), default=0,
                   help='protected trailer bytes between header and binary')
    p.add_argument('--header-align', type=lambda x: int(x, 0), default=0)
    p.add_argument('--fixed-ram', type=lambda x: int(x, 0))
    p.add_argument('--fixed-flash', type=lambda x: int(x, 0))
    p.add_argument('--kernel-version')
    p.add_argument('--app-version', type=int, default=0)
    p.add_argument('--main-tlv', action='store_true', help='Main TLV instead of Program')
    p.add_argument('--pow2', type=lambda x: int(x, 0), default=1024,
                   help='round total_size up to a power of two at least this (0: no)')
    p.add_argument('--disabled', action='store_true')
    p.add_argument('--bad-checksum', action='store_true')
    p.add_argument('--version', type=int, default=2)
    p.add_argument('--total-size', type=lambda x: int(x, 0), default=0, help='override total_size')
    p.add_argument('--raw-tlv', action='append', help='TYPE:HEXDATA')
    a = p.parse_args()
    with open(a.input, 'rb') as f:
        binary = f.read()
    with open(a.output, 'wb') as f:
        f.write(build(binary, a))


if __name__ == '__main__':
    sys.exit(main())
