#!/bin/sh
# tools/dist/deb-check.sh — install, use, remove and purge the package
# built by "make deb" on this machine without changing it: as root, in a
# private mount namespace where /etc, /var, /usr and /run are overlays
# thrown away at the end.  Checks what a volunteer relies on: the user
# tambuli in group dialout, the conffile root:tambuli 0640, the service
# enabled but not started, the daemon running as tambuli with the shipped
# configuration, and the database kept by remove and by purge.
#
# usage: tools/dist/deb-check.sh [dist/tambuli_VERSION_ARCH.deb]
set -u
cd "$(dirname "$0")/../.."
deb=${1:-$(ls dist/tambuli_*.deb 2>/dev/null | tail -n 1)}
if [ "$(id -u)" != 0 ] || [ ! -f "$deb" ]; then
	echo "usage (as root, after make deb): $0 [dist/tambuli_VERSION_ARCH.deb]" >&2
	exit 2
fi
if [ -z "${DEB_CHECK_INSIDE:-}" ]; then
	DEB_CHECK_INSIDE=1 exec unshare -m --propagation private "$0" "$deb"
fi

W=$(mktemp -d /tmp/deb-check.XXXXXX)
for d in etc var usr run; do
	mkdir -p "$W/$d.up" "$W/$d.work"
	mount -t overlay overlay -o "lowerdir=/$d,upperdir=$W/$d.up,workdir=$W/$d.work" "/$d" ||
	    { echo "FAIL: cannot overlay /$d"; exit 1; }
done
deb=$(cd "$(dirname "$deb")" && pwd)/$(basename "$deb")
cd "$W"

passed=0
failed=0
check() {
	if [ "$2" = "$3" ]; then passed=$((passed + 1)); else
		failed=$((failed + 1)); echo "FAIL: $1: expected [$2], got [$3]"; fi
}
export DEBIAN_FRONTEND=noninteractive

# install
id tambuli >/dev/null 2>&1 && { echo "FAIL: user tambuli exists before"; exit 1; }
apt-get install -y --no-install-recommends "$deb" >"$W/install.log" 2>&1
check "install" 0 $?
check "user tambuli" "tambuli" "$(id -un tambuli 2>&1)"
check "groups of tambuli" "dialout tambuli" \
    "$(id -Gn tambuli | tr ' ' '\n' | sort | tr '\n' ' ' | sed 's/ $//')"
check "home" "/var/lib/tambuli" "$(getent passwd tambuli | cut -d: -f6)"
check "conffile" "640 root tambuli" "$(stat -c '%a %U %G' /etc/tambuli/tambuli.conf)"
check "state directory" "2770 tambuli tambuli" "$(stat -c '%a %U %G' /var/lib/tambuli)"
check "enabled" "/lib/systemd/system/tambulid.service" \
    "$(readlink /etc/systemd/system/multi-user.target.wants/tambulid.service)"
check "version" "tambulid $(dpkg-deb -f "$deb" Version)" "$(tambulid --version)"
check "man page" "/usr/share/man/man8/tambulid.8.gz" "$(man -w tambulid 2>&1)"
# the shipped configuration, read by the service user
check "tambulid -n as tambuli" "configuration OK" \
    "$(runuser -u tambuli -- tambulid -n 2>&1)"
# the daemon as the service runs it (systemd would create /run/tambuli)
install -d -o tambuli -g tambuli -m 0750 /run/tambuli
setpriv --reuid=tambuli --regid=tambuli --init-groups tambulid \
    >"$W/daemon.log" 2>&1 &
dpid=$!
i=0
# the daemon creates the database: wait for its socket before any CLI
until [ -S /run/tambuli/tambuli.sock ] && tambuli status >"$W/status" 2>&1; do
	i=$((i + 1))
	[ "$i" -gt 100 ] && break
	sleep 0.1	# polling a condition, not a fixed wait
done
check "tambuli status" 0 "$(tambuli status >/dev/null 2>&1; echo $?)"
check "socket" "660 tambuli tambuli" "$(stat -c '%a %U %G' /run/tambuli/tambuli.sock)"
check "database" "660 tambuli tambuli" "$(stat -c '%a %U %G' /var/lib/tambuli/tambuli.db)"
tambuli subscribers add +14155550100 >/dev/null 2>&1
check "a subscriber" 0 $?
kill -TERM "$dpid"
wait "$dpid"
check "daemon exit" 0 $?

# installed again (an upgrade to the same version)
apt-get install -y --reinstall "$deb" >"$W/reinstall.log" 2>&1
check "reinstall" 0 $?
check "conffile after reinstall" "640 root tambuli" "$(stat -c '%a %U %G' /etc/tambuli/tambuli.conf)"

# remove: the data and the configuration stay
apt-get remove -y tambuli >"$W/remove.log" 2>&1
check "remove" 0 $?
check "binary gone" "" "$(command -v tambulid)"
check "database after remove" "660 tambuli tambuli" "$(stat -c '%a %U %G' /var/lib/tambuli/tambuli.db 2>&1)"
check "conffile after remove" "640 root tambuli" "$(stat -c '%a %U %G' /etc/tambuli/tambuli.conf 2>&1)"

# purge: the configuration goes, the database stays, and we say where
apt-get purge -y tambuli >"$W/purge.log" 2>&1
check "purge" 0 $?
check "database after purge" "660 tambuli tambuli" "$(stat -c '%a %U %G' /var/lib/tambuli/tambuli.db 2>&1)"
check "conffile after purge" "absent" "$([ -e /etc/tambuli/tambuli.conf ] && echo present || echo absent)"
check "statoverride after purge" "" "$(dpkg-statoverride --list /etc/tambuli/tambuli.conf)"
check "purge says where the data is" 1 \
    "$(grep -c 'the database in /var/lib/tambuli was kept' "$W/purge.log")"

# installed again after a purge: the old user and data are taken back
apt-get install -y --no-install-recommends "$deb" >"$W/install2.log" 2>&1
check "install after purge" 0 $?
check "subscriber kept" 1 "$(tambuli subscribers list 2>/dev/null | grep -c 14155550100)"

if [ "$failed" -ne 0 ]; then
	for f in install reinstall remove purge install2 daemon; do
		echo "--- $f"; tail -n 15 "$W/$f.log" 2>/dev/null
	done
fi
for d in run usr var etc; do umount -l "/$d"; done
rm -rf "$W"
echo "deb-check: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
