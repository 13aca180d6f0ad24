#!/usr/bin/env python3
"""Concatenate TBF files into one app-flash image (largest first, so that
power-of-two sizes stay naturally aligned), ending with an empty header.

usage: mkimage.py OUTPUT.bin APP.tbf...
"""
import sys


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    blobs = []
    for path in sys.argv[2:]:
        with open(path, 'rb') as f:
            blobs.append(f.read())
    blobs.sort(key=len, reverse=True)
    with open(sys.argv[1], 'wb') as f:
        for b in blobs:
            f.write(b)
        f.write(b'\0' * 16)      # version 0: end of the app list


if __name__ == '__main__':
    main()
