#!/bin/sh
# tests/regress/gateway.sh — tambulid end to end against modemsim: every
# keyword family and language, opt-out during a running broadcast,
# restart after kill -9 mid-broadcast, inbound multipart, inbox flagging,
# reply rate limits, configuration errors, a second daemon refused.
. "$(dirname "$0")/lib/common.sh"

# ---- configuration checks ------------------------------------------------

cat >"$T/bad.conf" <<'EOF'
[gateway]
country = 9999
language = xx
organisation = typo

[modem m1]
baud = fast
EOF
run_expect "tambulid -n bad config" 1 "$BIN"/tambulid -n -c "$T/bad.conf"
contains "config error line" "$T/err" "$T/bad.conf:2:"
contains "config error line" "$T/err" "$T/bad.conf:3:"
contains "config error line" "$T/err" "$T/bad.conf:4:"
contains "config error line" "$T/err" "$T/bad.conf:7:"
# not a regular file: refused, not read as "no settings"
for f in /dev/null /dev/zero "$T"; do
	run_expect "tambulid -n -c $f" 1 "$BIN"/tambulid -n -c "$f"
	check "tambulid -n -c $f: why" "tambulid: $f: not a configuration \
file (over 1048576 bytes, or not a regular file)" "$(cat "$T/err")"
done
cat >"$T/good.conf" <<'EOF'
[gateway]
organization = Migrant Alliance
contact = +1 415 555 0199
autoreply_limit = 3
forward = +14155550177

[modem sim]
device = /dev/null
EOF
run_expect "tambulid -n good config" 0 "$BIN"/tambulid -n -c "$T/good.conf"
check "tambulid -n good config" "configuration OK" "$(cat "$T/out")"

# ---- keywords, replies, inbox ---------------------------------------------

sim_start m1 -p simcom --latency 5
cat >"$T/g.conf" <<'EOF'
[gateway]
organization = Migrant Alliance
contact = +1 415 555 0199
autoreply_limit = 3
forward = +14155550177
EOF
gw_start g m1

check "database mode" "600" "$(stat -c %a "$T/g.db")"
check "socket mode" "660" "$(stat -c %a "$T/g.sock")"

# a second daemon on the same socket is refused
run_expect "second daemon" 1 "$BIN"/tambulid --db "$T/g2.db" \
    --socket "$T/g.sock"
contains "second daemon" "$T/err" "another tambulid is running"

n=0
# texts: NUMBER TEXT EXPECTED-REPLY-START
while IFS='|' read -r num text want; do
	[ -n "$num" ] || continue
	sim m1 sms "$num" "$text" >/dev/null
	n=$((n + 1))
	sim m1 wait-sent "$n" "$WAIT_MAX" >/dev/null || fail "no reply to $text"
	got=$(sent_to m1 "$num" | tail -n 1)
	case "$got" in
	"$want"*) ok ;;
	*) fail "reply to \"$text\": [$got], expected [$want...]" ;;
	esac
done <<'EOF'
+14155550101|JOIN|Migrant Alliance: you are subscribed
+14155550102|start|Migrant Alliance: you are subscribed
+14155550103|Yes!|Migrant Alliance: you are subscribed
+5215512340001|UNIRSE|Migrant Alliance: te suscribiste
+5215512340002|Alta por favor|Migrant Alliance: te suscribiste
+639171230001|SALI|Migrant Alliance: naka-subscribe ka na
+14155550104|info|Migrant Alliance alerts. Contact: +1 415 555 0199.
+5215512340003|AYUDA|Alertas de Migrant Alliance.
+639171230002|Tulong po|Mga alerto ng Migrant Alliance.
+14155550101|stop please|Migrant Alliance: you are unsubscribed
+5215512340001|No más|Migrant Alliance: ya no te enviaremos
+639171230001|TIGIL|Migrant Alliance: hindi ka na makakatanggap
+14155550102|IDIOMA es|Migrant Alliance: te enviaremos los mensajes
EOF

tam g subscribers list --json >"$T/subs.json" 2>&1
contains "subscriber language" "$T/subs.json" \
    '"phone":"+14155550102","status":"active","language":"es"'
contains "subscriber opted out" "$T/subs.json" \
    '"phone":"+14155550101","status":"opted-out"'

# a second STOP gets silence
before=$(wc -l <"$T/m1.sent")
sim m1 sms +14155550101 "STOP" >/dev/null
# a text to a fresh number proves the STOP was processed first
sim m1 sms +14155550105 "JOIN" >/dev/null
sim m1 wait-sent $((before + 1)) "$WAIT_MAX" >/dev/null
check "second STOP is silent" "1" "$(sent_to m1 +14155550101 |
    grep -c unsubscribed)"

# inbox: a plain text, forwarded; an opt-out word inside a sentence is
# flagged, not obeyed; a long text arrives in parts
n=$(wc -l <"$T/m1.sent")
sim m1 sms +14155550103 "Is the rally still on tomorrow?" >/dev/null
sim m1 sms +14155550103 "Can we stop the march early? My kids are tired" \
    >/dev/null
long="Buenas tardes. Quiero saber si la asamblea del sabado sigue en pie, porque mi hermana y yo queremos llevar a los vecinos del edificio. Tambien quisiera saber si habra traduccion al mixteco. Gracias por todo lo que hacen."
sim m1 sms +5215512340002 "$long" >/dev/null
# no keyword, but asking to be let go: flagged for an organizer
sim m1 sms +14155550104 "remove me" >/dev/null
sim m1 sms +14155550106 "$(printf '\360\237\233\221')" >/dev/null	# 🛑
sim m1 wait-sent $((n + 5)) "$WAIT_MAX" >/dev/null || fail "forwards not sent"
tam g inbox --json >"$T/inbox.json" 2>&1
contains "inbox text" "$T/inbox.json" '"text":"Is the rally still on tomorrow?"'
contains "inbox review flag" "$T/inbox.json" '"flags":["review"]'
flagged() { # flagged TEXT: its inbox entry carries the review flag
	tr '{' '\n' <"$T/inbox.json" | grep -F "\"text\":\"$1\"" |
	    grep -cF '"flags":["review"]'
}
check "inbox: remove me flagged" 1 "$(flagged 'remove me')"
check "inbox: a stop sign flagged" 1 "$(flagged "$(printf '\360\237\233\221')")"
check "inbox: a plain text not flagged" 0 \
    "$(flagged 'Is the rally still on tomorrow?')"
contains "inbox multipart" "$T/inbox.json" "\"text\":\"$long\""
check "still subscribed after flagged text" "1" \
    "$(grep -c '"phone":"+14155550103","status":"active"' "$T/subs.json")"
sent_to m1 +14155550177 >"$T/fwd"
contains "forward" "$T/fwd" "From +14155550103: Is the rally still on tomorrow?"

# reply rate limit: at most 3 automatic replies per number per hour
for i in 1 2 3 4 5; do
	sim m1 sms +14155550199 "INFO" >/dev/null
done
sim m1 sms +14155550198 "INFO" >/dev/null
got_reply() {
	sent_to m1 "$1" | grep -q "Contact"
}
wait_until got_reply +14155550198
check "reply rate limit" "3" "$(sent_to m1 +14155550199 | grep -c Contact)"
# the STOP confirmation still goes out past the limit, in the keyword's
# language, which the opted-out number keeps
n=$(wc -l <"$T/m1.sent")
sim m1 sms +14155550199 "BAJA" >/dev/null
sim m1 wait-sent $((n + 1)) "$WAIT_MAX" >/dev/null
check "STOP past the reply limit" \
    "Migrant Alliance: ya no te enviaremos mensajes. Para volver a suscribirte responde UNIRSE." \
    "$(sent_to m1 +14155550199 | tail -n 1)"
tam g subscribers list --json >"$T/subs.json"
contains "opted-out language" "$T/subs.json" \
    '"phone":"+14155550199","status":"opted-out","language":"es"'

# ---- SIGHUP reloads the texts ----------------------------------------------
sed -i 's/^organization = .*/organization = Alianza Migrante/' "$T/g.conf"
kill -HUP "$gw_pid"
wait_until grep -q "configuration reloaded" "$T/g.log"
n=$(wc -l <"$T/m1.sent")
sim m1 sms +14155550188 "JOIN" >/dev/null
sim m1 wait-sent $((n + 1)) "$WAIT_MAX" >/dev/null
check "reload: new organization" \
    "Alianza Migrante: you are subscribed to our alerts. Text STOP to stop, INFO for help." \
    "$(sent_to m1 +14155550188)"

# ---- USSD through the daemon ----------------------------------------------
run_expect "daemon ussd balance" 0 tam g ussd '*100#'
check "daemon ussd balance" "Your balance is \$5.00. Valid until 2026-12-31." \
    "$(cat "$T/out")"
run_expect "daemon ussd menu" 0 tam g ussd '*123#' 2 1
check "daemon ussd menu" "1. Balance
2. Bundles
1. 100MB \$1
2. 1GB \$5
Bundle activated." "$(cat "$T/out")"
run_expect "daemon ussd menu left open" 0 tam g ussd --modem modem1 '*123#'
check "daemon ussd menu left open" "1. Balance
2. Bundles" "$(cat "$T/out")"
run_expect "daemon ussd unknown modem" 1 tam g ussd --modem nope '*100#'
contains "daemon ussd unknown modem" "$T/err" "no ready modem called nope"
long=$(printf '%0300d' 1)
run_expect "daemon ussd code too long" 1 tam g ussd "$long"
contains "daemon ussd code too long: why" "$T/err" "USSD code too long"
tam g status --json >"$T/status.json"
contains "status json" "$T/status.json" '"daemon":"running"'
contains "status json" "$T/status.json" '"name":"modem1","state":"ready"'

# ---- opt-out during a running broadcast ----------------------------------

sim_start m2 --latency 150
gw_start h m2
for i in 0 1 2 3 4 5 6 7 8 9; do
	sim m2 sms "+1415555020$i" "JOIN" >/dev/null
done
sim m2 wait-sent 10 "$WAIT_MAX" >/dev/null || fail "m2: joins"
id=$(tam h send "Rally moved to City Hall, 6pm" | head -n 1)
# the last member stops while the first alerts are going out
sim m2 sms +14155550209 "STOP" >/dev/null
wait_bc h "$id"
check "alert after STOP" "0" "$(sent_to m2 +14155550209 |
    grep -c 'Rally moved')"
tam h broadcast show --json "$id" >"$T/bc.json"
contains "broadcast counts" "$T/bc.json" '"recipients":10'
contains "broadcast counts" "$T/bc.json" '"failed":0,'
contains "broadcast counts" "$T/bc.json" '"skipped":1'

# ---- kill -9 mid-broadcast, restart: nothing lost -------------------------

before=$(wc -l <"$T/m2.sent")
id=$(tam h send --urgent "Checkpoint at 5th & Main, avoid the area" |
    head -n 1)
sim m2 wait-sent $((before + 3)) "$WAIT_MAX" >/dev/null
kill -9 "$gw_pid"
wait "$gw_pid" 2>/dev/null
gw_start h m2
wait_bc h "$id"
for i in 0 1 2 3 4 5 6 7 8; do
	c=$(sent_to m2 "+1415555020$i" | grep -c "Checkpoint at 5th")
	if [ "$c" -lt 1 ] || [ "$c" -gt 2 ]; then
		fail "after kill -9: +1415555020$i got the alert $c times"
	else
		ok
	fi
done
total=$(grep -c "Checkpoint at 5th" "$T/m2.sent")
if [ "$total" -ge 9 ] && [ "$total" -le 10 ]; then
	ok
else
	fail "after kill -9: $total alerts for 9 members (one duplicate allowed)"
fi

# ---- senders as the network writes them (Hong Kong) -----------------------
# A national number of 8 digits is a member, not a short code; a number
# whose "+" the network left out gets no second country code.
sim_start hk
cat >"$T/k.conf" <<'EOF'
[gateway]
country = 852
EOF
gw_start k hk
sim hk sms 91234567 "JOIN" >/dev/null
sim hk sms 85291234568 "JOIN" >/dev/null
sim hk wait-sent 2 "$WAIT_MAX" >/dev/null || fail "hk: JOIN replies"
tam k subscribers list --json >"$T/hk.json"
contains "hk: 8-digit sender joined" "$T/hk.json" \
    '{"phone":"+85291234567","status":"active",'
contains "hk: sender without + joined" "$T/hk.json" \
    '{"phone":"+85291234568","status":"active",'
check "hk: welcome to the member" 1 "$(grep -c '"to":"+85291234567"' \
    "$T/hk.sent")"
sim hk sms 91234567 "STOP" >/dev/null
sim hk sms 85291234568 "stop" >/dev/null
sim hk wait-sent 4 "$WAIT_MAX" >/dev/null || fail "hk: STOP replies"
tam k subscribers list --json >"$T/hk.json"
contains "hk: 8-digit sender opted out" "$T/hk.json" \
    '{"phone":"+85291234567","status":"opted-out",'
contains "hk: sender without + opted out" "$T/hk.json" \
    '{"phone":"+85291234568","status":"opted-out",'
check "hk: no other numbers" 2 "$(grep -o '"phone"' "$T/hk.json" | wc -l)"
run_expect "hk: re-adding refused" 1 tam k -c "$T/k.conf" subscribers add "9123 4567"
contains "hk: re-adding refused: why" "$T/err" "+85291234567"

summary
