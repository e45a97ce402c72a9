#!/bin/sh
# tests/regress/modemsim.sh — the simulated modem, driven like a host
# drives a real one: AT conversations through "$BIN"/atchat, phones and faults
# through "modemsim ctl".  Waits on conditions (ready lines, wait-ready,
# wait-sent, expected replies), never on fixed sleeps.
#
# usage: tests/regress/modemsim.sh   (from anywhere; needs "$BIN"/modemsim,
# "$BIN"/atchat and "$BIN"/tambuli)
. "$(dirname "$0")/lib/common.sh"

start() {
	sim_start "$@"
}

ctl() {
	sim "$@"
}

# chat NAME WHAT ATCHAT-ARGS...: one conversation that must succeed
chat() {
	name=$1
	what=$2
	shift 2
	if "$BIN"/atchat -t "$WAIT_MAX" "$@" >"$T/chat.out" 2>"$T/chat.err"; then
		ok
	else
		fail "$name: $what"
		sed 's/^/  | /' "$T/chat.err"
	fi
}

# succeeds WHAT COMMAND...: a command that must succeed
succeeds() {
	what=$1
	shift
	if "$@" >/dev/null 2>&1; then
		ok
	else
		fail "$what"
	fi
}

# send NAME TTY PDU-ENCODE-ARGS...: submit each segment tambuli encodes
send() {
	name=$1
	tty=$2
	shift 2
	"$BIN"/tambuli pdu encode "$@" >"$T/pdus" || {
		fail "$name: tambuli pdu encode $*"
		return
	}
	while read -r len hex; do
		chat "$name" "AT+CMGS=$len" "$tty" \
		    "AT+CMGS=$len" '> ' "$hex\\z\\c" 're:\+CMGS: [0-9]+' \
		    '' 'OK'
	done <"$T/pdus"
}

# ===== generic: init, send, receive =====
start g
G=$T/g.tty

chat g "echo at power-on" "$G" 'AT' 'AT\r\r\nOK\r\n'
chat g "init" "$G" \
    'ATE0' 'OK' \
    'AT+CMEE=1' 'OK' \
    'AT+CPIN?' '+CPIN: READY' '' 'OK' \
    'AT+CGMI' 'tambuli' '' 'OK' \
    'AT+CGSN' '352099000000001' '' 'OK' \
    'AT+CSQ' '+CSQ: 20,99' '' 'OK' \
    'AT+COPS?' '+COPS: 0,0,"SimNet",7' '' 'OK' \
    'AT+CREG?' '+CREG: 0,1' '' 'OK' \
    'AT+CSCA?' '+CSCA: "+15550100999",145' '' 'OK' \
    'AT+CMGF=0;+CNMI=2,1,0,1,0' '\r\nOK\r\n' \
    'AT+CNMI?' '+CNMI: 2,1,0,1,0' '' 'OK' \
    'AT+CPMS="SM","SM","SM"' '+CPMS: 0,30,0,30,0,30' '' 'OK' \
    'AT+BOGUS' '\r\nERROR\r\n' \
    'AT+CPIN="1234"' '+CME ERROR: 3'

send g "$G" --to +14155550100 --report "JOIN the rally"
chat g "status report +CDS" -n "$G" '' 're:\+CDS: [0-9]+\r\n07'
succeeds "g: wait-sent 1" ctl g wait-sent 1 "$WAIT_MAX"
ctl g sent >"$T/sent.out"
succeeds "g: recorded recipient and text" grep -q \
    '"to":"+14155550100","text":"JOIN the rally","segments":1,"encoding":"gsm7","report":true,"mr":\[0\]' \
    "$T/sent.out"
succeeds "g: -o file" grep -q '"text":"JOIN the rally"' "$T/g.sent"

long="Rally for International Migrants Day, Dec 18, 5pm, City Hall. Bring your family and friends; know your rights. Text INFO for details or STOP to opt out of these alerts."
send g "$G" --to +14155550101 "$long"
succeeds "g: wait-sent 2" ctl g wait-sent 2 "$WAIT_MAX"
ctl g sent | tail -n 1 >"$T/sent.out"
succeeds "g: multipart reassembled" grep -qF \
    "\"to\":\"+14155550101\",\"text\":\"$long\",\"segments\":2" \
    "$T/sent.out"
succeeds "g: mr per part" grep -q '"mr":\[1,2\]' "$T/sent.out"

send g "$G" --to +14155550102 "Avísame — ¿dónde?"
succeeds "g: wait-sent 3" ctl g wait-sent 3 "$WAIT_MAX"
succeeds "g: ucs2 recorded" sh -c ""$BIN"/modemsim ctl $T/g.sock sent | tail -n 1 | grep -q '\"encoding\":\"ucs2\"'"

chat g "wrong length is 304" "$G" \
    'AT+CMGS=25' '> ' '0021000B914151550501F000000ECA67D209A2A3CB207998CDCE03\z\c' \
    '+CMS ERROR: 304'
chat g "ESC cancels" "$G" 'AT+CMGS=26' '> ' '0011\e\c' '\r\nOK\r\n'
chat g "garbage PDU is 304" "$G" 'AT+CMGS=26' '> ' 'ZZ\z\c' '+CMS ERROR: 304'

succeeds "g: fail-next" ctl g fault fail-next 332
chat g "forced +CMS ERROR: 332" "$G" \
    'AT+CMGS=26' '> ' '0021000B914151550501F000000ECA67D209A2A3CB207998CDCE03\z\c' \
    '+CMS ERROR: 332' \
    'AT+CMGS=26' '> ' '0021000B914151550501F000000ECA67D209A2A3CB207998CDCE03\z\c' \
    '+CMGS: 4'

# a phone texts in: +CMTI, then read, list and delete it
succeeds "g: sms" ctl g sms +14155550123 Hola, quiero UNIRME
chat g "+CMTI" -n "$G" '' '+CMTI: "SM",1'
chat g "AT+CMGR" -p "$G" 'AT+CMGR=1' '+CMGR: 0,,' '' 'OK'
pdu=$(sed -n '/^+CMGR:/{n;p;}' "$T/chat.out")
"$BIN"/tambuli pdu decode "$pdu" >"$T/dec.out" 2>&1
succeeds "g: CMGR PDU from" grep -q '"from":"+14155550123"' "$T/dec.out"
succeeds "g: CMGR PDU text" grep -q '"text":"Hola, quiero UNIRME"' "$T/dec.out"
chat g "AT+CMGL" "$G" 'AT+CMGL=4' 're:\+CMGL: 1,1,,[0-9]+\r\n07' '' 'OK' \
    'AT+CMGL=0' '\r\nOK\r\n' \
    'AT+CMGD=1' 'OK' 'AT+CPMS?' '+CPMS: "SM",0,30' '' 'OK' \
    'AT+CMGR=1' '\r\nOK\r\n' 'AT+CMGR=31' '+CMS ERROR: 321'

# +CMT with +CSMS service 1 needs +CNMA
chat g "mt=2" "$G" 'AT+CSMS=1' '+CSMS: 1,1,1' '' 'OK' \
    'AT+CNMI=2,2,0,1,0' 'OK' 'AT+CNMA' '+CMS ERROR: 340'
succeeds "g: sms for +CMT" ctl g sms +14155550124 STOP
chat g "+CMT then +CNMA" -n "$G" '' 're:\+CMT: ,[0-9]+\r\n07' \
    'AT+CNMA' '\r\nOK\r\n'
succeeds "g: +CMT not stored" sh -c ""$BIN"/modemsim ctl $T/g.sock storage | grep -q '\"used\":0'"

# storage full: the network holds the message until a slot frees up
chat g "back to +CMTI" "$G" 'AT+CSMS=0;+CNMI=2,1,0,1,0' 'OK'
succeeds "g: storage-full" ctl g fault storage-full
succeeds "g: sms while full" ctl g sms +14155550125 INFO
succeeds "g: held" sh -c ""$BIN"/modemsim ctl $T/g.sock storage | grep -q '\"used\":30,\"total\":30,\"held\":1'"
chat g "delete frees a slot" "$G" 'AT+CMGD=3' 'OK' '' '+CMTI: "SM",3'
chat g "delete all" "$G" 'AT+CMGD=1,4' 'OK' 'AT+CPMS?' '+CPMS: "SM",0,30'

# USSD
chat g "USSD *100#" "$G" 'AT+CUSD=1,"*100#",15' 'OK' '' \
    '+CUSD: 0,"Your balance is $5.00. Valid until 2026-12-31.",15'
chat g "USSD menu" "$G" \
    'AT+CUSD=1,"*123#",15' 'OK' '' '+CUSD: 1,"1. Balance\n2. Bundles",15' \
    'AT+CUSD=1,"2",15' 'OK' '' '+CUSD: 1,"1. 100MB $1\n2. 1GB $5",15' \
    'AT+CUSD=1,"1",15' 'OK' '' '+CUSD: 0,"Bundle activated.",15' \
    'AT+CUSD=1,"*999#",15' 'OK' '' '+CUSD: 4'
chat g "USSD in GSM charset" "$G" 'AT+CSCS="GSM"' 'OK' \
    'AT+CUSD=1,"*100#",15' 'OK' '' '+CUSD: 0,"Your balance is \x025.00.'

# robustness: garbage, hang and reset, reboot resets volatile settings
chat g "garbage from the host" "$G" '\xff\x00\x01\x1bgarbage' '' \
    'AT' '\r\nOK\r\n'
succeeds "g: fault hang" ctl g fault hang
if "$BIN"/atchat -t 1 "$G" 'AT' 'OK' >/dev/null 2>&1; then
	fail "g: hung modem answered AT"
else
	ok
fi
chat g "AT+CFUN=1,1 resets a hung modem" "$G" 'AT+CFUN=1,1' 'OK'
succeeds "g: ready after reset" ctl g wait-ready "$WAIT_MAX"
chat g "volatile settings reset" "$G" 'AT' 'AT\r\r\nOK\r\n' \
    'AT+CNMI?' '+CNMI: 0,0,0,0,0'
succeeds "g: reboot" ctl g reboot
succeeds "g: ready after reboot" ctl g wait-ready "$WAIT_MAX"

# unplug and replug: a new /dev/pts/N behind the same link
old=$(readlink "$G")
succeeds "g: unplug" ctl g unplug
if [ -e "$G" ] || [ -L "$G" ]; then
	fail "g: link still there after unplug"
else
	ok
fi
ctl g replug >"$T/replug.out" || fail "g: replug"
new=$(readlink "$G")
if [ -z "$new" ] || [ "$new" = "$old" ]; then
	fail "g: replug gave '$new' (was '$old')"
else
	ok
fi
succeeds "g: replug prints the path" grep -q "^$new\$" "$T/replug.out"
succeeds "g: ready after replug" ctl g wait-ready "$WAIT_MAX"
chat g "AT after replug" "$G" 'ATE0' 'OK' 'AT+CPMS?' '+CPMS: "SM",0,30'
ctl g replug "$T/g2.tty" >/dev/null || fail "g: replug under a new name"
succeeds "g: new link" test -L "$T/g2.tty"
succeeds "g: old link gone" test ! -e "$G"
succeeds "g: ready after rename" ctl g wait-ready "$WAIT_MAX"
chat g "AT under the new name" "$T/g2.tty" 'AT' 'OK'
succeeds "g: status" sh -c ""$BIN"/modemsim ctl $T/g.sock status | grep -q '\"personality\":\"generic\",\"plugged\":true'"
if ctl g frobnicate >/dev/null 2>&1; then
	fail "g: unknown ctl command accepted"
else
	ok
fi

# ===== huawei =====
start h -p huawei --urc-interval 50
H=$T/h.tty
chat h "identity and ^RSSI" "$H" 'ATE0' 'OK' \
    'AT+CGMI' '\r\nhuawei\r\n' 'AT+CGMM' 'E3131' '' '^RSSI:20'
chat h "huawei storage" "$H" 'AT^CURC=0' 'OK' \
    'AT+CPMS="SM","SM","SM"' '+CPMS: 0,23,0,23,0,23' \
    'AT+CMGR=0' '+CMGR: 0,,0' '' 'OK'
chat h "packed-hex USSD" "$H" 'AT+CUSD=1,"AA180C3602",15' 'OK' '' \
    '+CUSD: 0,"D9775D0E1287D961F7B80C4ACF41829A0B067381AC61769A0CAABBE96936480693D95A31596B167301",15'
chat h "plain USSD refused" "$H" 'AT+CUSD=1,"*100#",15' 'ERROR'
chat h "index from 0" "$H" 'AT+CNMI=2,1,0,0,0' 'OK'
succeeds "h: sms" ctl h sms +14155550126 JOIN
chat h "+CMTI at 0" -n "$H" '' '+CMTI: "SM",0'

# ===== simcom: boot URCs, ds=2 refused =====
start s -p simcom
chat s "boot URCs" -n "$T/s.tty" '' 'RDY' '' '+CPIN: READY' '' 'SMS Ready'
chat s "ds=2 refused" "$T/s.tty" 'AT+CNMI=2,1,0,2,0' '+CMS ERROR: 303' \
    'AT+CGMM' 'SIMCOM_SIM800L'

# ===== quectel with a PIN =====
nowait=1
start q -p quectel --pin 1234
nowait=
chat q "PIN" -n "$T/q.tty" '' '+CPIN: SIM PIN' 'ATE0' 'OK' 'AT+CMEE=1' 'OK' \
    'AT+CPIN?' '+CPIN: SIM PIN' 'AT+CMGL=4' '+CMS ERROR: 311' \
    'AT+CPIN="0000"' '+CME ERROR: 16' \
    'AT+CPIN="1234"' 'OK' '' '+QIND: SMS DONE'
succeeds "q: ready after PIN" ctl q wait-ready "$WAIT_MAX"

succeeds "quit" ctl g quit

summary
