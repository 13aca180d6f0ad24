#!/bin/sh
# tocksim's one entry point.
#   ./build.sh demo   install what is missing, build everything, boot the demo
#   ./build.sh test   install what is missing, build everything, run the whole test suite
# Both are idempotent: with everything installed and built they only re-check.
set -eu
cd "$(dirname "$0")"

PACKAGES="build-essential pkg-config meson ninja-build python3 \
libunicorn-dev libelf-dev check libyaml-dev libsdl2-dev \
gcc-arm-none-eabi libnewlib-arm-none-eabi picolibc-arm-none-eabi \
gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf \
qemu-system-arm qemu-system-misc gdb-multiarch"
BUILD=${TOCKSIM_BUILD:-build}

install_missing() {
    missing=""
    for p in $PACKAGES; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
            missing="$missing $p"
    done
    [ -z "$missing" ] && return 0
    echo "build.sh: installing:$missing"
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO=sudo
    # A fresh machine has empty package lists: update first.
    $SUDO apt-get update -q
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends $missing
}

configure_and_build() {
    if [ ! -f "$BUILD/build.ninja" ]; then
        meson setup "$BUILD" --buildtype=debugoptimized
    fi
    ninja -C "$BUILD"
}

case "${1:-}" in
demo)
    install_missing
    configure_and_build
    echo "build.sh: booting the default board (nrf52840dk) with the demo apps for 10 simulated seconds"
    exec "$BUILD/tocksim" run --max-time 10s
    ;;
test)
    install_missing
    configure_and_build
    exec meson test -C "$BUILD" --print-errorlogs --num-processes 2
    ;;
*)
    echo "usage: ./build.sh demo | ./build.sh test" >&2
    exit 2
    ;;
esac
