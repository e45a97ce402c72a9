#!/bin/sh
# tools/demo.sh — the whole system against the simulated modem, no
# hardware: phones text JOIN in three languages, one texts STOP, one asks
# for INFO, an organizer sends an alert and waits for it, and we print
# what each phone received.  "make demo" runs it; so does "make check".
set -u
cd "$(dirname "$0")/.." || exit 1
BIN=${BIN:-bin}
# every wait is on a condition, bounded by WAIT_MAX seconds: enough for a
# Pi Zero, free when things are fast
WAIT_MAX=${WAIT_MAX:-180}

T=$(mktemp -d "${TMPDIR:-/tmp}/tambuli-demo.XXXXXX") || exit 1
sim_pid=""
gw_pid=""
cleanup() {
	[ -n "$gw_pid" ] && kill "$gw_pid" 2>/dev/null
	[ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null
	wait 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

fail() {
	echo "demo: $*" >&2
	[ -f "$T/tambulid.log" ] && sed 's/^/  daemon: /' "$T/tambulid.log" >&2
	exit 1
}
say() {
	printf '\n== %s\n' "$*"
}
sim() {
	"$BIN"/modemsim ctl "$T/sim.sock" "$@"
}
tambuli() {
	"$BIN"/tambuli --db "$T/tambuli.db" --socket "$T/tambuli.sock" "$@"
}
# phone NUMBER TEXT: a member texts the gateway
phone() {
	printf '  %-15s texts: %s\n' "$1" "$2"
	sim sms "$1" "$2" >/dev/null || fail "could not inject a text"
}
# received N: wait until the phones have received N messages in all
received() {
	sim wait-sent "$1" "$WAIT_MAX" >/dev/null || fail "phones did not receive $1 \
messages in time"
}

cat >"$T/tambuli.conf" <<CONF
[gateway]
organization = Migrant Alliance
contact = +1 415 555 0199
country = 1
CONF

say "starting the simulated modem (modemsim)"
mkfifo "$T/sim.fifo"
"$BIN"/modemsim -p quectel -l "$T/modem" -s "$T/sim.sock" -o "$T/sent.jsonl" \
    --latency 50 >"$T/sim.fifo" 2>"$T/sim.log" &
sim_pid=$!
read -r tty <"$T/sim.fifo" || fail "modemsim did not start"
echo "  modem on $tty (linked at $T/modem)"
sim wait-ready "$WAIT_MAX" >/dev/null || fail "the simulated modem did not boot"

say "starting the gateway (tambulid)"
"$BIN"/tambulid -c "$T/tambuli.conf" --db "$T/tambuli.db" \
    --socket "$T/tambuli.sock" --modem "$T/modem" >"$T/tambulid.log" 2>&1 &
gw_pid=$!
end=$(($(date +%s) + WAIT_MAX))
until tambuli status >/dev/null 2>&1; do
	kill -0 "$gw_pid" 2>/dev/null || fail "tambulid exited"
	[ "$(date +%s)" -ge "$end" ] && fail "the daemon did not answer"
	# waiting on a condition: the daemon answers once it is up
	sleep 0.1
done
tambuli status | sed 's/^/  /'

say "members text the gateway"
phone +14155550101 "JOIN"
phone +5215512345678 "Unirse"
phone +639171234567 "sali po"
phone +14155550104 "Join!"
received 4
phone +14155550104 "STOP please"
phone +14155550105 "INFO"
received 6

say "subscribers"
tambuli subscribers list 2>/dev/null | sed 's/^/  /' || true

say "an organizer sends an alert"
echo "  \$ tambuli send --wait \"ICE checkpoint reported at 5th & Main — avoid the area, know your rights: text INFO\""
tambuli send --wait "ICE checkpoint reported at 5th & Main — avoid the area, know your rights: text INFO" |
    sed 's/^/  /'
received 9

say "what each phone received"
sed -e 's/.*"to":"\([^"]*\)","text":"\(\([^"\\]\|\\.\)*\)".*/\1	\2/' \
    -e 's/\\"/"/g' "$T/sent.jsonl" | sort -s -k1,1 |
    awk -F '\t' '$1 != last { printf "  %s\n", $1; last = $1 }
	{ printf "    <- %s\n", $2 }'

n=$(grep -c '"to":"+14155550104"' "$T/sent.jsonl")
[ "$n" -eq 2 ] || fail "the member who texted STOP got $n messages, not 2"
echo
echo "demo: ok (the member who texted STOP got the confirmation and no alert)"
