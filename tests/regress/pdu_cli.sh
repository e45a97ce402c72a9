#!/bin/sh
# tests/regress/pdu_cli.sh — the "tambuli pdu" contract: encode lines,
# decode JSON, plan report, errors and exit codes.
. "$(dirname "$0")/lib/common.sh"

P=""$BIN"/tambuli pdu"

# encode: one "<tpdu_length> <HEX>" line per segment, SMSC part "00"
run_expect "encode" 0 $P encode --to +14155550100 "Hello world"
check "encode" "23 0001000B914151550501F000000BC8329BFD06DDDF723619" \
    "$(cat "$T/out")"
run_expect "encode report smsc" 0 $P encode --to 4155550100 --report \
    --smsc +447802000332 "Hello world"
# 21: SUBMIT with SRR; 0A 81: 10 national digits; 00 00: PID, DCS
check "encode report smsc" \
    "22 07914487200030232100\
0A81145555100000000BC8329BFD06DDDF723619" "$(cat "$T/out")"
run_expect "encode 161" 0 $P encode --to +14155550100 \
    "$(printf 'a%.0s' $(seq 1 161))"
check "encode 161: two segments" 2 "$(wc -l <"$T/out")"
run_expect "encode 160" 0 $P encode "$(printf 'a%.0s' $(seq 1 160))"
check "encode 160: one segment" 1 "$(wc -l <"$T/out")"

# encode then decode: the same text back, with concatenation
text="Reunión mañana — ¡vengan todos! 🎉 $(printf 'x%.0s' $(seq 1 70))"
$P encode --to +639171234567 --ref 77 "$text" | $P decode >"$T/dec" ||
    fail "decode of encode output"
check "round trip parts" 2 "$(grep -c '"type":"submit"' "$T/dec")"
contains "round trip concat" "$T/dec" '"concat":{"ref":77,"parts":2,"part":1}'
contains "round trip encoding" "$T/dec" '"encoding":"ucs2"'
contains "round trip to" "$T/dec" '"to":"+639171234567"'

# --smart keeps GSM 7-bit
run_expect "smart" 0 $P encode --smart "Don’t go — it’s closed…"
$P decode $(cut -d' ' -f2 "$T/out") >"$T/dec"
contains "smart text" "$T/dec" "\"text\":\"Don't go - it's closed...\""
contains "smart encoding" "$T/dec" '"encoding":"gsm7"'

# decode: a deliver with its timestamp and sender
run_expect "decode deliver" 0 $P decode \
    0791448720003023040C9141515505010000007121819000002B03C87408
contains "decode deliver" "$T/out" '"type":"deliver"'
contains "decode deliver" "$T/out" '"from":"+141555501000"'
contains "decode deliver" "$T/out" '"timestamp":"2017-12-18T09:00:00-08:00"'
contains "decode deliver" "$T/out" '"text":"Hi!"'
contains "decode deliver" "$T/out" '"smsc":"+447802000332"'

# bad input: exit 1 with a message naming the problem; usage: exit 2
run_expect "decode odd" 1 $P decode 0011A
contains "decode odd" "$T/out" '"error":"odd number of hex digits"'
run_expect "decode bad + good" 1 $P decode zz \
    0791448720003023040C9141515505010000007121819000002B03C87408
check "decode bad + good: both lines" 2 "$(wc -l <"$T/out")"
run_expect "encode empty" 1 $P encode ""
contains "encode empty" "$T/err" "empty text"
run_expect "encode bad number" 1 $P encode --to "12ab" "hi"
contains "encode bad number" "$T/err" "invalid character 'a'"
run_expect "encode gsm7 impossible" 1 $P encode --encoding gsm7 "你好"
contains "encode gsm7 impossible" "$T/err" "cannot be encoded in GSM 7-bit"
run_expect "encode bad utf-8" 1 $P encode "$(printf 'ab\377')"
contains "encode bad utf-8" "$T/err" "invalid UTF-8 at byte 3"
run_expect "encode usage" 2 $P encode --bogus "hi"
run_expect "encode missing text" 2 $P encode

# plan: the report a person reads
run_expect "plan" 0 $P plan "It’s at 5½ — ok"
contains "plan encoding" "$T/out" "encoding:   UCS-2 (UTF-16)"
contains "plan forcing" "$T/out" "'’' (U+2019) at 3"
contains "plan smart" "$T/out" "--smart                    GSM 7-bit, 1 segment"

summary
