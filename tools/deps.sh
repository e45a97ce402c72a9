#!/bin/sh
# tools/deps.sh — make sure the build dependencies are installed.
#
# Checks every library through pkg-config (and the tools the build uses).
# As root, missing Debian packages are installed with apt-get; otherwise the
# exact apt-get command is printed and the script fails.
#
# usage: tools/deps.sh [build|check|fuzz|man|deb]
set -u
what=${1:-build}

missing=""
need() { # need PACKAGE TEST...
	pkg=$1; shift
	if ! "$@" >/dev/null 2>&1; then
		missing="$missing $pkg"
	fi
}

need pkg-config command -v pkg-config
need gcc command -v cc
need make command -v make
need libevent-dev pkg-config --exists libevent_core
need libsqlite3-dev pkg-config --exists sqlite3
need libserialport-dev pkg-config --exists libserialport
case $what in
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

[ -z "$missing" ] && exit 0

cmd="apt-get install -y --no-install-recommends$missing"
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "deps: installing$missing" >&2
	export DEBIAN_FRONTEND=noninteractive
	if ! $cmd >/dev/null 2>&1; then
		apt-get update -q >/dev/null 2>&1 || true
		if ! $cmd; then
			echo "deps: could not install$missing" >&2
			exit 1
		fi
	fi
	exit 0
fi
echo "deps: missing build dependencies:$missing" >&2
echo "deps: install them with:  sudo $cmd" >&2
exit 1
