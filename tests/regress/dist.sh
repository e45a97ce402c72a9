#!/bin/sh
# tests/regress/dist.sh — what gets installed: the example configuration
# passes "tambulid -n", "make install" lays out the programs, man pages,
# unit, udev rules, sysusers file and modules-load.d file (the modems' USB
# serial drivers) where a distribution (PREFIX=/usr)
# or an administrator (/usr/local) expects them, the unit passes
# "systemd-analyze verify" with an exposure of at most 2.0, the man pages
# pass "mandoc -Tlint -W style" and document every command, option and
# configuration key (skipped, with a note, where systemd-analyze or mandoc
# is missing).
. "$(dirname "$0")/lib/common.sh"

# 1. the example configuration, as shipped and with every commented
# setting and section switched on
run_expect "example configuration" 0 "$BIN"/tambulid -n -c tools/dist/tambuli.conf
check "example configuration says" "configuration OK" "$(cat "$T/out")"
sed -e 's/^#\([a-z_]* =\)/\1/' -e 's/^#\[/[/' tools/dist/tambuli.conf \
    >"$T/all.conf"
run_expect "example configuration, uncommented" 0 "$BIN"/tambulid -n -c "$T/all.conf"
check "the uncommented example has a modem" 1 \
    "$(grep -c '^\[modem ' "$T/all.conf")"
check "the example has no modem" 0 \
    "$(grep -c '^\[modem ' tools/dist/tambuli.conf)"

# 2. the layouts
layout() { # layout DESTDIR: every file, with its mode
	(cd "$1" && find . -type f -exec stat -c '%a %n' {} + | sort)
}
run_expect "make install PREFIX=/usr" 0 make -s install DESTDIR="$T/usr" PREFIX=/usr
check "layout with PREFIX=/usr" "644 ./etc/tambuli/tambuli.conf
644 ./usr/lib/modules-load.d/tambuli.conf
644 ./usr/lib/systemd/system/tambulid.service
644 ./usr/lib/sysusers.d/tambuli.conf
644 ./usr/lib/udev/rules.d/70-tambuli-modems.rules
644 ./usr/share/man/man1/modemsim.1
644 ./usr/share/man/man1/tambuli.1
644 ./usr/share/man/man5/tambuli.conf.5
644 ./usr/share/man/man8/tambulid.8
755 ./usr/bin/modemsim
755 ./usr/bin/tambuli
755 ./usr/sbin/tambulid" "$(layout "$T/usr")"
check "unit runs /usr/sbin/tambulid" "ExecStart=/usr/sbin/tambulid" \
    "$(grep '^ExecStart=' "$T/usr/usr/lib/systemd/system/tambulid.service")"
# the udev rules: ModemManager is told off the whole stick (its QMI/MBIM
# port too, not only the ttys); only the ttys change group
rules="$T/usr/usr/lib/udev/rules.d/70-tambuli-modems.rules"
check "udev: no tty-only filter" 0 "$(grep -c '^SUBSYSTEM!="tty"' "$rules")"
check "udev: ignore on every node of the stick" 1 \
    "$(grep -cx 'ENV{ID_MM_DEVICE_IGNORE}="1"' "$rules")"
check "udev: the ttys to dialout" 1 \
    "$(grep -cx 'SUBSYSTEM=="tty", GROUP="dialout", MODE="0660"' "$rules")"
for v in 12d1 2c7c 1e0e 19d2 1199 1bc7 1546; do
	check "udev: vendor $v" 1 \
	    "$(grep -c "^ATTRS{idVendor}==\"$v\", GOTO=\"tambuli_modem\"" "$rules")"
done
# the USB serial drivers behind the unit's DeviceAllow=char-ttyUSB and
# char-ttyACM, loaded at boot before it starts
check "modules-load.d: the drivers" "usbserial option cdc_acm" \
    "$(grep -v '^#' "$T/usr/usr/lib/modules-load.d/tambuli.conf" |
    tr '\n' ' ' | sed 's/ $//')"
for dev in char-ttyUSB char-ttyACM; do
	check "the unit allows $dev" 1 "$(grep -c "^DeviceAllow=$dev " \
	    "$T/usr/usr/lib/systemd/system/tambulid.service")"
done
if command -v udevadm >/dev/null 2>&1 &&
    udevadm verify --help >/dev/null 2>&1; then
	run_expect "udevadm verify" 0 udevadm verify --no-style "$rules"
else
	echo "note: no udevadm verify: the udev rules' syntax was not checked"
fi
run_expect "make install (/usr/local)" 0 make -s install DESTDIR="$T/local"
check "layout with the default PREFIX" "644 ./etc/systemd/system/tambulid.service
644 ./etc/tambuli/tambuli.conf
644 ./etc/udev/rules.d/70-tambuli-modems.rules
644 ./usr/local/lib/modules-load.d/tambuli.conf
644 ./usr/local/lib/sysusers.d/tambuli.conf
644 ./usr/local/share/man/man1/modemsim.1
644 ./usr/local/share/man/man1/tambuli.1
644 ./usr/local/share/man/man5/tambuli.conf.5
644 ./usr/local/share/man/man8/tambulid.8
755 ./usr/local/bin/modemsim
755 ./usr/local/bin/tambuli
755 ./usr/local/sbin/tambulid" "$(layout "$T/local")"
check "unit runs /usr/local/sbin/tambulid" "ExecStart=/usr/local/sbin/tambulid" \
    "$(grep '^ExecStart=' "$T/local/etc/systemd/system/tambulid.service")"
# an edited configuration survives another install
echo "# edited" >>"$T/usr/etc/tambuli/tambuli.conf"
run_expect "make install again" 0 make -s install DESTDIR="$T/usr" PREFIX=/usr
check "configuration kept" "# edited" "$(tail -n 1 "$T/usr/etc/tambuli/tambuli.conf")"

# 3. the unit
if command -v systemd-analyze >/dev/null 2>&1; then
	# verify checks that ExecStart= exists: point it at this build
	sed "s|^ExecStart=.*|ExecStart=$PWD/$BIN/tambulid|" \
	    "$T/usr/usr/lib/systemd/system/tambulid.service" \
	    >"$T/tambulid.service"
	MANPATH="$T/usr/usr/share/man" run_expect "systemd-analyze verify" 0 \
	    systemd-analyze verify "$T/tambulid.service"
	check "systemd-analyze verify says" "" "$(cat "$T/out" "$T/err")"
	run_expect "systemd-analyze security" 0 systemd-analyze security \
	    --offline=yes --no-pager "$T/tambulid.service"
	level=$(sed -n 's/.*Overall exposure level for tambulid.service: \([0-9.]*\).*/\1/p' "$T/out")
	if [ -n "$level" ] && awk "BEGIN { exit !($level <= 2.0) }"; then
		ok
	else
		fail "exposure level [$level] is not at most 2.0"
		grep '✗' "$T/out" | sed 's/^/    /'
	fi
else
	echo "note: no systemd-analyze: the unit was not verified"
fi

# the sysusers file: the user, its group, and dialout
if command -v systemd-sysusers >/dev/null 2>&1; then
	mkdir -p "$T/su/etc"
	printf 'root:x:0:0:root:/root:/bin/sh\n' >"$T/su/etc/passwd"
	printf 'root:x:0:\ndialout:x:20:\n' >"$T/su/etc/group"
	run_expect "systemd-sysusers" 0 systemd-sysusers --root="$T/su" \
	    "$PWD/tools/dist/tambuli.sysusers"
	check "the service user" "tambuli:/var/lib/tambuli" \
	    "$(cut -d: -f1,6 "$T/su/etc/passwd" | grep '^tambuli:')"
	check "group dialout has tambuli" "dialout:x:20:tambuli" \
	    "$(grep '^dialout:' "$T/su/etc/group")"
	check "group tambuli" 1 "$(grep -c '^tambuli:' "$T/su/etc/group")"
else
	echo "note: no systemd-sysusers: the sysusers file was not checked"
fi

# 4. the man pages
pages="tools/man/tambuli.1 tools/man/modemsim.1 tools/man/tambuli.conf.5 tools/man/tambulid.8"
if command -v mandoc >/dev/null 2>&1; then
	# style messages too, but for those that depend on the manuals
	# installed here (pages not installed yet, an outdated mandoc.db);
	# mandoc exits 1 on any style message, so its output decides
	# shellcheck disable=SC2086
	mandoc -Tlint -W style $pages >"$T/out" 2>"$T/err"
	check "mandoc -Tlint -W style says" "" "$(cat "$T/out" "$T/err" |
	    grep -v -e 'referenced manual not found' -e 'mandoc\.db')"
else
	echo "note: no mandoc (make man-lint installs it): the man pages were not linted"
fi
# every command and option of tambuli help
# the command lines: "  broadcast show ID      show one ..."
"$BIN"/tambuli help | sed -n '/^commands:/,/^$/p' | sed -n 's/^  //p' |
    sed 's/  .*//' | awk '{ c = $1; for (i = 2; i <= NF && $i ~ /^[a-z]+$/; i++)
    c = c " " $i; print c }' >"$T/commands"
check "tambuli has commands" 1 "$([ "$(wc -l <"$T/commands")" -gt 20 ] && echo 1)"
while read -r c; do
	grep -qF "Ic $c" tools/man/tambuli.1 || fail "tambuli.1: no command '$c'"
	# shellcheck disable=SC2086
	for o in $("$BIN"/tambuli help $c 2>&1 | sed -n 's/^  \(--[a-z0-9-]*\).*/\1/p'); do
		grep -qF -- "\\${o#-}" tools/man/tambuli.1 ||
		    fail "tambuli.1: '$c' option $o undocumented"
	done
done <"$T/commands"
for o in c; do
	grep -qF -- "Fl $o" tools/man/tambuli.1 || fail "tambuli.1: no -$o"
done
for o in --db --socket --version --help; do
	grep -qF -- "Fl \\${o#-}" tools/man/tambuli.1 || fail "tambuli.1: no $o"
done
# every option of tambulid's usage
"$BIN"/tambulid --help 2>&1 | grep -o -- ' -[a-zA-Z-]*' | sort -u >"$T/dopts"
check "tambulid has options" 1 "$([ "$(wc -l <"$T/dopts")" -gt 6 ] && echo 1)"
while read -r o; do
	case $o in
	--*) grep -qF -- "Fl \\${o#-}" tools/man/tambulid.8 ;;
	-?) grep -qE -- "(Fl|Op Fl) [a-zA-Z]*${o#-}" tools/man/tambulid.8 ;;
	*) grep -qF -- "Fl ${o#-}" tools/man/tambulid.8 ;;
	esac || fail "tambulid.8: option $o undocumented"
done <"$T/dopts"
# every option of modemsim's usage
"$BIN"/modemsim --help 2>&1 | grep -o -- '\[-[a-zA-Z-]*' | tr -d '[' |
    sort -u >"$T/mopts"
check "modemsim has options" 1 "$([ "$(wc -l <"$T/mopts")" -gt 20 ] && echo 1)"
while read -r o; do
	case $o in
	--*) grep -qF -- "Fl \\${o#-}" tools/man/modemsim.1 ;;
	*) grep -qF -- "Fl ${o#-}" tools/man/modemsim.1 ;;
	esac || fail "modemsim.1: option $o undocumented"
done <"$T/mopts"
# every key of the configuration table
sed -n -e 's/^\t\(GW\|KW\|RP\|MD\)("\([a-z_]*\)".*/\1 \2/p' \
    -e 's/^\t{ CONF_S_\([A-Z]*\), "\([a-z_]*\)".*/\1 \2/p' gateway/conf.c \
    >"$T/keys"
check "the configuration has keys" 1 "$([ "$(wc -l <"$T/keys")" -gt 25 ] && echo 1)"
while read -r s k; do
	grep -qE -- "^\.It( Cm [a-z_]+ No = Ar [a-z]+ ,)* Cm $k( |$)" \
	    tools/man/tambuli.conf.5 || fail "tambuli.conf.5: key $k ($s) undocumented"
done <"$T/keys"

summary
