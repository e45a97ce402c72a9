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
# "cross ARCH" is for "make cross-check": the Debian cross compiler and
# qemu-user to run the ARM programs are installed; the ARM libraries
# (libevent, sqlite3, libserialport, libsodium) are unpacked into a private
# sysroot, build/sysroot-ARCH (apt-get download + dpkg-deb -x, after dpkg
# --add-architecture ARCH), and nothing native is touched: Debian 12's
# libevent-dev cannot be installed for two architectures at once, and
# multiarch -dev packages cannot be installed at all when the machine's own
# libc6-dev or libssl3 came from a security update the archive does not
# carry for ARCH (their versions must match across architectures).
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
	# the C library's headers for the cross compiler (a recommends
	# of gcc-$triplet: not pulled by --no-install-recommends)
	need libc6-dev-$arch-cross test -f /usr/$triplet/include/stdio.h
	need qemu-user command -v $qemu
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

# the ARM packages are downloaded once the architecture is known to dpkg
addarch=""
if [ "$what" = cross ] &&
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
	if ! $cmd >/dev/null 2>&1; then
		apt-get update -q >/dev/null 2>&1 || true
		if ! $cmd; then
			echo "deps: could not install$missing" >&2
			exit 1
		fi
	fi
fi
[ "$what" = cross ] || exit 0

# ---- the private ARM libraries: build/sysroot-ARCH --------------------------
sysroot=$(pwd)/build/sysroot-$arch
have=1
for f in libevent_core sqlite3 libserialport libsodium; do
	[ -f "$sysroot/usr/lib/$triplet/pkgconfig/$f.pc" ] || have=""
done
[ -n "$have" ] && exit 0
pkgs="libevent-dev:$arch libevent-core-2.1-7:$arch libsqlite3-dev:$arch"
pkgs="$pkgs libsqlite3-0:$arch libserialport-dev:$arch libserialport0:$arch"
pkgs="$pkgs libsodium-dev:$arch libsodium23:$arch"
if [ -n "$addarch" ]; then
	if [ -z "$root" ]; then
		echo "deps: the $arch architecture is not known to dpkg; run:" >&2
		echo "  sudo dpkg --add-architecture $arch && sudo apt-get update" >&2
		exit 1
	fi
	dpkg --add-architecture "$arch" || exit 1
	apt-get update -q >/dev/null 2>&1 || true
fi
dl=$(mktemp -d "${TMPDIR:-/tmp}/tambuli-deps.XXXXXX") || exit 1
trap 'rm -rf "$dl"' EXIT
# apt drops privileges to _apt for downloads; let it write here
chmod 755 "$dl"
[ -n "$root" ] && id _apt >/dev/null 2>&1 && chown _apt "$dl"
echo "deps: unpacking the $arch libraries into $sysroot" >&2
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
