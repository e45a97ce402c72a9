#!/bin/sh
# tools/deps.sh — make sure the build dependencies are installed.
#
# Checks every library through pkg-config (and the tools the build uses).
# As root, missing Debian packages are installed with apt-get; otherwise the
# exact commands are printed and the script fails.
#
# usage: tools/deps.sh [build|check|fuzz|man|deb]
#        tools/deps.sh cross armhf|arm64
#
# "cross ARCH" is for "make cross-check": the Debian cross compiler, qemu-user
# to run the ARM programs, the ARM sqlite3, libserialport and libsodium from Debian's
# multiarch packages (dpkg --add-architecture ARCH), and the ARM libevent in a
# private sysroot, build/sysroot-ARCH: Debian 12's libevent-dev cannot be
# installed for two architectures at once, so its ARM packages are unpacked
# there (apt-get download + dpkg-deb -x) and the native one is left alone.
set -u
cd "$(dirname "$0")/.." || exit 1
what=${1:-build}

missing=""
need() { # need PACKAGE TEST...
	pkg=$1; shift
	if ! "$@" >/dev/null 2>&1; then
		missing="$missing $pkg"
	fi
}

case $what in
cross)
	arch=${2:-}
	case $arch in
	armhf)	triplet=arm-linux-gnueabihf; qemu=qemu-arm ;;
	arm64)	triplet=aarch64-linux-gnu; qemu=qemu-aarch64 ;;
	*)	echo "usage: tools/deps.sh cross armhf|arm64" >&2; exit 2 ;;
	esac
	;;
esac

need pkg-config command -v pkg-config
need make command -v make
case $what in
cross)
	need gcc-$triplet command -v $triplet-gcc
	need qemu-user command -v $qemu
	need libsqlite3-dev:$arch test -f /usr/lib/$triplet/pkgconfig/sqlite3.pc
	need libserialport-dev:$arch \
	    test -f /usr/lib/$triplet/pkgconfig/libserialport.pc
	need libsodium-dev:$arch test -f /usr/lib/$triplet/pkgconfig/libsodium.pc
	;;
*)
	need gcc command -v cc
	need libevent-dev pkg-config --exists libevent_core
	need libsqlite3-dev pkg-config --exists sqlite3
	need libserialport-dev pkg-config --exists libserialport
	need libsodium-dev pkg-config --exists libsodium
	;;
esac
case $what in
check)	# make check: what the end-to-end scripts use besides the build
	need sqlite3 command -v sqlite3
	need mandoc command -v mandoc
	;;
man)	# make man-lint
	need mandoc command -v mandoc
	;;
deb)	# make deb: debian/control's Build-Depends, and the builder
	need dpkg-dev command -v dpkg-buildpackage
	need debhelper command -v dh
	;;
fuzz)
	need clang command -v clang
	need libclang-rt-dev sh -c 'test -n "$(ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-*.a 2>/dev/null)"'
	;;
esac

root=""
[ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && root=1
export DEBIAN_FRONTEND=noninteractive

# the multiarch packages need the architecture known to dpkg
addarch=""
if [ "$what" = cross ] && [ -n "$missing" ] &&
    ! dpkg --print-foreign-architectures 2>/dev/null | grep -qx "$arch"; then
	addarch=1
fi

if [ -n "$missing" ]; then
	cmd="apt-get install -y --no-install-recommends$missing"
	if [ -z "$root" ]; then
		echo "deps: missing build dependencies:$missing" >&2
		echo "deps: install them with:" >&2
		[ -n "$addarch" ] &&
		    echo "  sudo dpkg --add-architecture $arch && sudo apt-get update" >&2
		echo "  sudo $cmd" >&2
		[ "$what" = cross ] && echo "deps: then run this again" >&2
		exit 1
	fi
	echo "deps: installing$missing" >&2
	if [ -n "$addarch" ]; then
		dpkg --add-architecture "$arch" || exit 1
		apt-get update -q >/dev/null 2>&1 || true
	fi
	if ! $cmd >/dev/null 2>&1; then
		apt-get update -q >/dev/null 2>&1 || true
		if ! $cmd; then
			echo "deps: could not install$missing" >&2
			exit 1
		fi
	fi
fi
[ "$what" = cross ] || exit 0

# ---- the private ARM libevent: build/sysroot-ARCH ---------------------------
sysroot=$(pwd)/build/sysroot-$arch
pc=$sysroot/usr/lib/$triplet/pkgconfig/libevent_core.pc
[ -f "$pc" ] && exit 0
pkgs="libevent-dev:$arch libevent-core-2.1-7:$arch"
if ! dpkg --print-foreign-architectures 2>/dev/null | grep -qx "$arch"; then
	echo "deps: the $arch architecture is not known to dpkg; run:" >&2
	echo "  sudo dpkg --add-architecture $arch && sudo apt-get update" >&2
	exit 1
fi
dl=$(mktemp -d "${TMPDIR:-/tmp}/tambuli-deps.XXXXXX") || exit 1
trap 'rm -rf "$dl"' EXIT
# apt drops privileges to _apt for downloads; let it write here
chmod 755 "$dl"
[ -n "$root" ] && id _apt >/dev/null 2>&1 && chown _apt "$dl"
echo "deps: unpacking the $arch libevent into $sysroot" >&2
if ! (cd "$dl" && apt-get download $pkgs >/dev/null 2>&1); then
	[ -n "$root" ] && apt-get update -q >/dev/null 2>&1
	if ! (cd "$dl" && apt-get download $pkgs); then
		echo "deps: could not download $pkgs; try: sudo apt-get update" >&2
		exit 1
	fi
fi
rm -rf "$sysroot.tmp"
mkdir -p "$sysroot.tmp" || exit 1
for f in "$dl"/*.deb; do
	dpkg-deb -x "$f" "$sysroot.tmp" || exit 1
done
# the .pc files name /usr; point them at the sysroot
for f in "$sysroot.tmp"/usr/lib/$triplet/pkgconfig/*.pc; do
	sed -i "s|^prefix=.*|prefix=$sysroot/usr|" "$f" || exit 1
done
rm -rf "$sysroot"
mv "$sysroot.tmp" "$sysroot"
