#!/bin/sh
# tests/regress/credit.sh — the credit watch: balance checks by USSD
# between submissions, the low-balance text to the organizers (exactly
# once until a top-up, also across a restart), "tambuli balance", status
# (human and JSON), and a SIM out of credit (+CMS ERROR: 8) while a
# broadcast completes through the other modem, no attempt wasted.
. "$(dirname "$0")/lib/common.sh"

ORG=+14155550999

count() {
	grep -c "$2" "$T/$1.sent" 2>/dev/null || true
}
# to_org TEXT: texts the organizer received with TEXT, through any modem
to_org() {
	cat "$T"/a.sent "$T"/b.sent 2>/dev/null | grep "\"to\":\"$ORG\"" |
	    grep -c "$1" || true
}
queue_empty() {
	tam g status >"$T/st" 2>&1 && grep -q '^queue: 0 messages' "$T/st"
}
json_has() {
	tam g status --json 2>/dev/null | grep -qF -- "$1"
}
dbq() {
	sqlite3 "$T/g.db" "$1"
}

sim_start a --imsi 515020000000001 \
    --balance "Your balance is PHP 50.00 valid until 2026-12-31."
sim_start b --imsi 515020000000002 --balance "Your balance is PHP 80.00."
cat >"$T/g.conf" <<CONF
[gateway]
organization = Migrant Alliance
forward = $ORG

[modem a]
device = $T/a.tty
balance = *100#
balance_pattern = "balance is PHP ([0-9.,]+)"
balance_low = 20

[modem b]
device = $T/b.tty
balance = *100#
balance_pattern = "balance is PHP ([0-9.,]+)"
balance_low = 20
CONF
gw_start g

# ---- the first check, shortly after the modems are ready ------------------
wait_until json_has '"balance":{"amount":50,"text":"Your balance is PHP 50.00 valid until 2026-12-31.","checked_at":' ||
    fail "first check: modem a's balance not in status"
wait_until json_has '"balance":{"amount":80,"text":"Your balance is PHP 80.00.","checked_at":' ||
    fail "first check: modem b's balance not in status"
tam g status --json >"$T/st.json"
contains "status json: not low" "$T/st.json" '"low":false,"code":"*100#","error":null},"no_credit":false,"no_credit_at":null'
check "db: per SIM (IMSI)" "515020000000001|a|50.0|0|0" \
    "$(dbq "SELECT sim, modem, amount, low, no_credit_at FROM balances WHERE sim = '515020000000001'")"

# ---- tambuli balance --modem NAME ----------------------------------------
run_expect "balance: ok" 0 tam g balance --modem a
check "balance: output" 'a: 50.00 "Your balance is PHP 50.00 valid until 2026-12-31."' "$(cat "$T/out")"
run_expect "balance: every modem" 0 tam g balance
check "balance: every modem, output" 'a: 50.00 "Your balance is PHP 50.00 valid until 2026-12-31."
b: 80.00 "Your balance is PHP 80.00."' "$(cat "$T/out")"
run_expect "balance: unknown modem" 1 tam g balance --modem nosuch
check "balance: unknown modem, error" "tambuli: balance: no modem called nosuch" "$(cat "$T/err")"
run_expect "balance: json" 0 tam g balance --modem b --json
contains "balance: json" "$T/out" '[{"modem":"b","balance":{"amount":80,"text":"Your balance is PHP 80.00.","checked_at":'

# ---- an answer the pattern does not read ---------------------------------
sim a balance "Service unavailable, try later" >/dev/null
run_expect "balance: unread answer" 0 tam g balance --modem a
check "balance: unread answer, output" 'a: unknown "Service unavailable, try later"' "$(cat "$T/out")"
tam g status --json >"$T/st.json"
contains "status json: unknown amount" "$T/st.json" '"balance":{"amount":null,"text":"Service unavailable, try later",'

# ---- low balance: the organizers are told once ---------------------------
sim a balance "Your balance is PHP 12.50 valid until 2026-12-31." >/dev/null
run_expect "low: balance" 0 tam g balance --modem a
check "low: output" 'a: 12.50 "Your balance is PHP 12.50 valid until 2026-12-31.", LOW' "$(cat "$T/out")"
wait_until queue_empty || fail "low: the organizer text was not sent"
check "low: one text" 1 "$(to_org 'low on credit: 12.50 (below 20.00)')"
run_expect "low: again" 0 tam g balance --modem a
wait_until queue_empty
check "low: still one text" 1 "$(to_org 'low on credit')"
tam g status >"$T/st"
contains "status: human balance line" "$T/st" '  balance: 12.50 ('
contains "status: human low" "$T/st" 'valid until 2026-12-31.", LOW'
tam g status --json >"$T/st.json"
contains "status json: low" "$T/st.json" '"balance":{"amount":12.5,"text":"Your balance is PHP 12.50 valid until 2026-12-31.","checked_at":'
contains "status json: low flag" "$T/st.json" '"low":true,'
# a restart does not tell again
kill "$gw_pid"
wait "$gw_pid" 2>/dev/null
gw_start g
run_expect "low: after restart" 0 tam g balance --modem a
wait_until queue_empty
check "low: no text after a restart" 1 "$(to_org 'low on credit')"
# a top-up, then low again: told again
sim a balance "Your balance is PHP 60.00." >/dev/null
run_expect "top-up" 0 tam g balance --modem a
check "top-up: not low" 'a: 60.00 "Your balance is PHP 60.00."' "$(cat "$T/out")"
sim a balance "Your balance is PHP 5.00." >/dev/null
run_expect "low again" 0 tam g balance --modem a
wait_until queue_empty
check "low again: a second text" 1 "$(to_org 'low on credit: 5.00 (below 20.00)')"
check "low: two texts in all" 2 "$(to_org 'low on credit')"
sim a balance "Your balance is PHP 50.00." >/dev/null
tam g balance --modem a >/dev/null

# ---- a SIM out of credit: the broadcast completes through the other -------
i=0
while [ "$i" -lt 6 ]; do
	tam g subscribers add "+1415555200$i" >/dev/null ||
	    fail "subscribers add +1415555200$i"
	i=$((i + 1))
done
sim a fault no-credit >/dev/null
id=$(tam g send "Credit test" | head -n 1)
wait_bc g "$id"
check "no credit: all sent" 6 "$(($(count a 'Credit test') + $(count b 'Credit test')))"
check "no credit: none through a" 0 "$(count a 'Credit test')"
tam g broadcast show --json "$id" >"$T/bc.json"
contains "no credit: none failed" "$T/bc.json" '"failed":0,'
check "no credit: no attempt wasted" 0 \
    "$(dbq "SELECT count(*) FROM outbox WHERE broadcast_id = $id AND attempts != 1")"
wait_until queue_empty
check "no credit: organizers told once" 1 "$(to_org 'modem a is out of credit')"
tam g status --json >"$T/st.json"
contains "no credit: status json" "$T/st.json" '"no_credit":true,"no_credit_at":'
tam g status >"$T/st"
contains "no credit: status human" "$T/st" '  OUT OF CREDIT since '
check "no credit: stored" 1 "$(dbq "SELECT count(*) FROM balances WHERE sim = '515020000000001' AND no_credit_at > 0")"
# a top-up: a balance check puts it back to work; then b runs dry and
# everything goes through a
sim a fault no-credit off >/dev/null
run_expect "no credit: check after top-up" 0 tam g balance --modem a
tam g status --json >"$T/st.json"
contains "no credit: back" "$T/st.json" '"no_credit":false,"no_credit_at":null'
sim b fault no-credit >/dev/null
id=$(tam g send "Second credit test" | head -n 1)
wait_bc g "$id"
check "resumed: all through a" 6 "$(count a 'Second credit test')"
wait_until queue_empty
check "resumed: b's organizer text" 1 "$(to_org 'modem b is out of credit')"

# ---- a check asked while a message is in flight waits for it --------------
sim a fault latency 400 >/dev/null
sim a balance "Your balance is PHP 44.00." >/dev/null
id=$(tam g send "Busy test" | head -n 1)
sim a wait-sent "$(($(wc -l <"$T/a.sent") + 1))" "$WAIT_MAX" >/dev/null
run_expect "busy: balance during a broadcast" 0 tam g balance --modem a
check "busy: balance output" 'a: 44.00 "Your balance is PHP 44.00."' "$(cat "$T/out")"
wait_bc g "$id"
check "busy: all sent through a" 6 "$(count a 'Busy test')"
tam g broadcast show --json "$id" >"$T/bc.json"
contains "busy: none failed" "$T/bc.json" '"failed":0,'

# ---- a balance answered as a menu: read, and the session closed -----------
printf '%s\n' '*100# -> 1|Balance: PHP 1.234,50\n1. Buy load\n2. Exit' \
    >"$T/menu.ussd"
sim_start c --ussd-script "$T/menu.ussd" --ussd-timeout 3600
sim_start d
cat >"$T/h.conf" <<CONF
[modem c]
device = $T/c.tty
balance = *100#
balance_pattern = "Balance: PHP ([0-9.,]+)"

[modem d]
device = $T/d.tty
CONF
gw_start h
run_expect "menu: balance" 0 tam h balance --modem c
check "menu: amount" 'c: 1234.50 "Balance: PHP 1.234,50
1. Buy load
2. Exit"' "$(cat "$T/out")"
sim_closed() {
	sim c status | grep -q '"ussd_session":false'
}
# closed at once (AT+CUSD=2), not by a timeout (the driver's is 30 s, the
# simulated network's an hour)
wait_max=$WAIT_MAX
WAIT_MAX=10
wait_until sim_closed || fail "menu: the USSD session was left open"
WAIT_MAX=$wait_max
run_expect "no code: balance" 1 tam h balance --modem d
check "no code: error" "tambuli: balance: modem d: no balance code for this modem (balance = in its [modem] section)" "$(cat "$T/err")"
run_expect "no code: every modem" 0 tam h balance
check "no code: every modem, only c" 'c: 1234.50 "Balance: PHP 1.234,50
1. Buy load
2. Exit"' "$(cat "$T/out")"

summary
