#!/bin/sh
# tests/regress/codec.sh — SMS codec conformance through the CLI and the
# gateway: the <length> a modem prints before a PDU (TS 27.005) decides
# whether SMSC information is there; status report parameters (TS 23.040
# §9.2.3.27); malformed UCS-2; accent stripping only where it makes GSM
# 7-bit fit; a surrogate pair split across two parts of a message.
. "$(dirname "$0")/lib/common.sh"

P=""$BIN"/tambuli pdu"

# ---- the announced TPDU length ---------------------------------------------
# the same deliver ("Hi!" from +141555501000), 22 TPDU octets, with SMSC
# information (8 octets) and bare
SC=0791448720003023
TP=040C9141515505010000007121819000002B03C87408
run_expect "len: with SMSC" 0 sh -c "echo '22 $SC$TP' | $P decode"
contains "len: with SMSC" "$T/out" '"smsc":"+447802000332","from":"+141555501000"'
contains "len: with SMSC text" "$T/out" '"text":"Hi!"'
run_expect "len: bare TPDU" 0 sh -c "echo '22 $TP' | $P decode"
contains "len: bare TPDU" "$T/out" '"smsc":null,"from":"+141555501000"'
contains "len: bare TPDU text" "$T/out" '"text":"Hi!"'
# the length as an argument, too
run_expect "len: bare TPDU argument" 0 $P decode "22 $TP"
contains "len: bare TPDU argument" "$T/out" '"text":"Hi!"'
run_expect "len: bare TPDU two arguments" 0 $P decode 22 "$TP" 22 "$SC$TP"
check "len: bare TPDU two arguments" 2 \
    "$(grep -c '"from":"+141555501000","pid":0,"dcs":0,"class":null,"encoding":"gsm7","text":"Hi!"' "$T/out")"
run_expect "len: mismatch two arguments" 1 $P decode 23 "$TP"
contains "len: mismatch two arguments" "$T/out" '"error":"PDU of 22 octets does not match the announced TPDU length 23'
# a length that fits neither reading: an error naming it, exit 1
run_expect "len: mismatch" 1 sh -c "echo '23 $TP' | $P decode"
check "len: mismatch" \
    "{\"error\":\"PDU of 22 octets does not match the announced TPDU length 23, with or without SMSC information\",\"pdu\":\"$TP\"}" \
    "$(cat "$T/out")"
# the other PDUs of the input are still decoded
run_expect "len: mismatch among others" 1 sh -c \
    "printf '21 %s\n22 %s\n' $TP $TP | $P decode"
check "len: mismatch among others" 2 "$(wc -l <"$T/out")"
contains "len: mismatch among others" "$T/out" '"text":"Hi!"'
# no length: SMSC information first, as before
run_expect "len: none" 0 $P decode "$SC$TP"
contains "len: none" "$T/out" '"smsc":"+447802000332"'
# a bare deliver whose first octet (04) would be read as an SMSC length
BARE=040B914151550100F00000712181900000000CC8329BFD06DDDF72363904
run_expect "len: bare deliver" 0 $P decode "30 $BARE"
check "len: bare deliver" \
    '{"type":"deliver","smsc":null,"from":"+14155510000","pid":0,"dcs":0,"class":null,"encoding":"gsm7","text":"Hello world!","timestamp":"2017-12-18T09:00:00+00:00","concat":null,"report":false}' \
    "$(cat "$T/out")"

# ---- status reports ----------------------------------------------------------
R=0006050B914151550501F0712181900000007121819001000000
# TP-PI 03: TP-PID 0x41 and TP-DCS 0x08, no user data
run_expect "report: pid dcs" 0 $P decode "${R}034108"
check "report: pid dcs" \
    '{"type":"status-report","smsc":null,"to":"+14155550100","recipient":"+14155550100","reference":5,"status":0,"timestamp":"2017-12-18T09:00:00+00:00","discharge_time":"2017-12-18T09:10:00+00:00","pid":65,"dcs":8,"concat":null}' \
    "$(cat "$T/out")"
# TP-PI 07 but the PDU ends before the user data: still a report
run_expect "report: user data cut" 0 $P decode "${R}074108"
contains "report: user data cut" "$T/out" '"reference":5,"status":0,'
contains "report: user data cut pid" "$T/out" '"pid":65,"dcs":8,'
run_expect "report: user data short" 0 $P decode "${R}07410804004100"
contains "report: user data short" "$T/out" '"status":0,'
# the same, failed (TP-ST 0x41) and bare with its length
run_expect "report: bare failed" 0 $P decode \
    "30 06050B914151550501F07121819000000071218190010000410741080400"
contains "report: bare failed" "$T/out" '"smsc":null,"to":"+14155550100"'
contains "report: bare failed status" "$T/out" '"status":65,'
# complete user data
run_expect "report: user data" 0 $P decode "${R}0700080400410042"
contains "report: user data" "$T/out" '"pid":0,"dcs":8,"class":null,"encoding":"ucs2","text":"AB"'

# ---- malformed UCS-2 ---------------------------------------------------------
U=00040B914151550100F00008712181900000000300410042
run_expect "ucs2 odd" 1 $P decode "$U"
check "ucs2 odd" \
    "{\"error\":\"UCS-2 user data has an odd number of octets\",\"pdu\":\"$U\"}" \
    "$(cat "$T/out")"
# ---- accent stripping only where it makes GSM 7-bit fit ---------------------
# the dotless ı is a letter, not an accented i: without the Turkish tables
# the text needs UCS-2, and then nothing is changed, ş and the quotes too
TR="“Işık” bugün"
run_expect "strip: Turkish" 0 sh -c "$P encode --strip-accents '$TR' | $P decode"
contains "strip: Turkish" "$T/out" "\"encoding\":\"ucs2\",\"text\":\"$TR\""
run_expect "strip smart: Turkish" 0 sh -c \
    "$P encode --smart --strip-accents '$TR' | $P decode"
contains "strip smart: Turkish" "$T/out" "\"encoding\":\"ucs2\",\"text\":\"$TR\""
# with them: GSM 7-bit, exact; smart still fixes the quotes
run_expect "strip: Turkish shift" 0 sh -c \
    "$P encode --smart --strip-accents --shift tr '$TR' | $P decode"
contains "strip: Turkish shift" "$T/out" '"encoding":"gsm7","text":"\"Işık\" bugün"'
# where stripping does make it fit, it strips
run_expect "strip: Spanish" 0 sh -c "$P encode --strip-accents 'Café rápido' | $P decode"
contains "strip: Spanish" "$T/out" '"encoding":"gsm7","text":"Café rapido"'
# accents next to Chinese: UCS-2, untouched
run_expect "strip: Chinese" 0 sh -c "$P encode --smart --strip-accents 'Rápido “你好”' | $P decode"
contains "strip: Chinese" "$T/out" '"encoding":"ucs2","text":"Rápido “你好”"'
run_expect "plan: Turkish" 0 $P plan --strip-accents "$TR"
contains "plan: Turkish" "$T/out" "encoding:   UCS-2 (UTF-16)"
contains "plan: Turkish" "$T/out" "'ı' (U+0131) at 4"

# ---- through the gateway -----------------------------------------------------
# inbox_wait NAME COUNT: until the inbox (all of it) has COUNT messages
inbox_wait() {
	i=0
	while :; do
		tam "$1" inbox --all --json >"$T/inbox.json" 2>&1
		[ "$(grep -o '"id":' "$T/inbox.json" | wc -l)" -ge "$2" ] && return 0
		i=$((i + 1))
		if [ "$i" -gt "$((WAIT_MAX * 10))" ]; then
			fail "inbox of $1 has not $2 messages:"
			sed 's/^/    /' "$T/inbox.json" | head -20
			return 1
		fi
		sleep 0.1	# polling a condition, not a fixed wait
	done
}

sim_start m1
cat >"$T/g.conf" <<'EOF'
[gateway]
organization = Migrant Alliance
encoding = strip-accents
EOF
gw_start g m1

# a bare TPDU (no SMSC information) with its true length: read, not
# taken for SMSC information
sim m1 pdu 30 "$BARE" >/dev/null || fail "sim pdu bare"
inbox_wait g 1
contains "gateway: bare TPDU" "$T/inbox.json" \
    '"from":"+14155510000","text":"Hello world!"'

# a UCS-2 message in two parts whose emoji (U+1F600, D83D DE00) straddles
# them: "Hi " + D83D | DE00 + "!" comes out whole
P1=440B914151550100F00008712181900000000E0500032A0201004800690020D83D
P2=440B914151550100F00008712181900000000A0500032A0202DE000021
sim m1 pdu 33 "$P1" >/dev/null || fail "sim pdu part 1"
sim m1 pdu 29 "$P2" >/dev/null || fail "sim pdu part 2"
inbox_wait g 2
contains "gateway: split surrogate pair" "$T/inbox.json" \
    '"from":"+14155510000","text":"Hi 😀!"'
# a modem that counts the SMSC information in its <length> (30, not 22),
# or prints a length that fits nothing: the message is still read
sim m1 pdu 30 "$SC$TP" >/dev/null || fail "sim pdu wrong length"
sim m1 pdu 5 "$SC$TP" >/dev/null || fail "sim pdu wrong length"
# (the same text twice in a row from one number is one inbox row that
# counts the repeat)
i=0
until grep -q '"from":"+141555501000","text":"Hi!".*"repeats":1' \
    "$T/inbox.json"; do
	i=$((i + 1))
	[ "$i" -gt "$((WAIT_MAX * 10))" ] && break
	sleep 0.1	# polling a condition, not a fixed wait
	tam g inbox --all --json >"$T/inbox.json" 2>&1
done
check "gateway: wrong lengths" 1 \
    "$(grep -o '"from":"+141555501000","text":"Hi!","received_at":"[^"]*","flags":\[\],"keyword":null,"modem":"modem1","handled":false,"repeats":1' "$T/inbox.json" | wc -l)"
# each part alone: U+FFFD where its half of the pair is, no failure
run_expect "part alone" 0 $P decode "33 $P1" "29 $P2"
contains "part 1 alone" "$T/out" '"text":"Hi �","timestamp"'
contains "part 2 alone" "$T/out" '"text":"�!","timestamp"'

# the gateway's strip-accents policy: the same rule
sim m1 sms +14155550111 JOIN >/dev/null
sim m1 wait-sent 1 "$WAIT_MAX" >/dev/null || fail "JOIN reply not sent"
id=$(tam g send "$TR" | head -n 1)
wait_bc g "$id"
sim m1 wait-sent 2 "$WAIT_MAX" >/dev/null || fail "alert not sent"
grep '"to":"+14155550111"' "$T/m1.sent" | tail -n 1 >"$T/alert"
contains "gateway strip: Turkish exact" "$T/alert" "\"text\":\"$TR\""
contains "gateway strip: UCS-2" "$T/alert" '"encoding":"ucs2"'
id=$(tam g send "Café rápido" | head -n 1)
wait_bc g "$id"
sim m1 wait-sent 3 "$WAIT_MAX" >/dev/null || fail "alert not sent"
grep '"to":"+14155550111"' "$T/m1.sent" | tail -n 1 >"$T/alert"
contains "gateway strip: Spanish" "$T/alert" '"text":"Café rapido"'

# a bare status report whose announced user data is cut off: the daemon
# still takes its status (no match here: reference 200 was never sent)
RP=06C80B914151550511F171218190000000712181900100004107000005C834
sim m1 pdu 31 "$RP" >/dev/null || fail "sim pdu report"
i=0
until grep -q 'status-report mr=200 .*status=65' "$T/g.log"; do
	i=$((i + 1))
	if [ "$i" -gt "$((WAIT_MAX * 10))" ]; then
		fail "report with cut user data not taken:"
		tail -5 "$T/g.log" | sed 's/^/    /'
		break
	fi
	sleep 0.1	# polling a condition, not a fixed wait
done
[ "$i" -le "$((WAIT_MAX * 10))" ] && ok
tam g inbox --all --json >"$T/inbox.json" 2>&1
check "report not in the inbox" 0 \
    "$(grep -o 'undecodable' "$T/inbox.json" | wc -l)"

summary
