#!/bin/sh
# tests/regress/keywords_conf.sh — [keywords] in the configuration:
# "tambulid -n" and a start agree.  A word without :LANG is accepted by
# both and answered in the member's language (here the default); a word
# that a start refuses (another family's) is refused by -n too, with the
# same message, and a refused start creates nothing.
. "$(dirname "$0")/lib/common.sh"

# ---- a word without a language: accepted, answered ------------------------

cat >"$T/k.conf" <<'EOF2'
[gateway]
organization = Migrant Alliance

[keywords]
join = BASTA, ENTRAR:es
forget = OLVIDAME:es
EOF2
run_expect "-n: a word without a language" 0 "$BIN"/tambulid -n \
    -c "$T/k.conf"
check "-n: a word without a language" "configuration OK" "$(cat "$T/out")"
check "-n: nothing on stderr" "" "$(cat "$T/err")"

sim_start k1
gw_start k k1
sim k1 sms +14155550101 "Basta" >/dev/null
sim k1 sms +14155550102 "entrar" >/dev/null
sim k1 wait-sent 2 "$WAIT_MAX" >/dev/null || fail "no replies"
check "BASTA joins, in the default language" "Migrant Alliance: you are \
subscribed to our alerts. Text STOP to stop, INFO for help." \
    "$(sent_to k1 +14155550101)"
check "ENTRAR:es joins, in Spanish" 1 \
    "$(sent_to k1 +14155550102 | grep -c '^Migrant Alliance: ')"
check "ENTRAR:es joins, in Spanish: not English" 0 \
    "$(sent_to k1 +14155550102 | grep -c 'you are subscribed')"
tam k subscribers list >"$T/subs" 2>&1
contains "BASTA: subscribed" "$T/subs" "+14155550101"
# a configured forget word deletes the number, and says so in Spanish
sim k1 sms +14155550102 "Olvídame, por favor" >/dev/null
sim k1 wait-sent 3 "$WAIT_MAX" >/dev/null || fail "no reply to OLVIDAME"
check "OLVIDAME:es forgets, in Spanish" 1 \
    "$(sent_to k1 +14155550102 | grep -c '^Migrant Alliance: borramos tu')"
tam k subscribers list >"$T/subs" 2>&1
check "OLVIDAME: the number is gone" 0 "$(grep -c 14155550102 "$T/subs")"
kill "$gw_pid"
wait "$gw_pid" 2>/dev/null

# ---- a word a start refuses: -n refuses it too, with the same words ---------

cat >"$T/bad.conf" <<'EOF2'
[keywords]
join = STOP
EOF2
why="keyword STOP: word is a keyword of another family"
run_expect "-n: another family's word" 1 "$BIN"/tambulid -n -c "$T/bad.conf"
check "-n: another family's word" "tambulid: $why" "$(cat "$T/err")"
check "-n: not OK" "" "$(cat "$T/out")"
run_expect "start: another family's word" 1 "$BIN"/tambulid \
    -c "$T/bad.conf" --db "$T/bad.db" --socket "$T/bad.sock"
check "start: the same message" 1 \
    "$(grep -c "tambulid: $why\$" "$T/err")"
check "start: no database made" no \
    "$([ -e "$T/bad.db" ] && echo yes || echo no)"

summary
