#!/bin/sh
# tests/regress/cli_sub.sh — "tambuli subscribers|lists|inbox|reply"
# against a fresh database: no daemon, no modem.  Output is compared
# exactly; JSON timestamps are checked for their ISO 8601 UTC shape and
# then replaced with "T".
. "$(dirname "$0")/lib/common.sh"

: >"$T/t.conf"
tb() {
	"$BIN"/tambuli -c "$T/t.conf" --db "$T/x.db" --socket "$T/none.sock" "$@"
}
db_init "$T/x.db"
# the timestamps of a JSON document, in ISO 8601 UTC, become "T"
stamps() {
	sed 's/"20[0-9][0-9]-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]Z"/"T"/g' "$T/out"
}

# an empty store
run_expect "list empty" 0 tb subscribers list
check "list empty" "no subscribers" "$(cat "$T/out")"
run_expect "list empty json" 0 tb subscribers list --json
check "list empty json" "[]" "$(cat "$T/out")"

# add
run_expect "add" 0 tb subscribers add 4155550100
check "add" "subscribed +14155550100 to list default" "$(cat "$T/out")"
run_expect "add list" 0 tb subscribers add "+1 (415) 555-0101" --list Rally \
    --lang ES
check "add list" "created list rally
subscribed +14155550101 to list rally" "$(cat "$T/out")"
run_expect "add again" 0 tb subscribers add 14155550101 --list rally
check "add again" "already subscribed: +14155550101 is on list rally" \
    "$(cat "$T/out")"
run_expect "add bad number" 1 tb subscribers add "call me"
check "add bad number" \
    "tambuli: invalid number 'call me': invalid character 'c' in number" \
    "$(cat "$T/err")"
run_expect "add bad lang" 2 tb subscribers add 4155550102 --lang fr
check "add bad lang" "tambuli: subscribers add: unknown language 'fr' \
(known: en, es, tl, zh, vi, ht, ar)" "$(cat "$T/err")"
run_expect "add bad list" 2 tb subscribers add 4155550102 --list "a b"
contains "add bad list" "$T/err" "invalid list name 'a b'"
run_expect "add no number" 2 tb subscribers add

# list
run_expect "list" 0 tb subscribers list
check "list" "PHONE             STATUS     LANG  LISTS
+14155550100      active     -     default
+14155550101      active     es    rally" "$(cat "$T/out")"
run_expect "list json" 0 tb subscribers list --json
check "list json" '[{"phone":"+14155550100","status":"active","language":null,"lists":["default"],"created_at":"T","updated_at":"T"},{"phone":"+14155550101","status":"active","language":"es","lists":["rally"],"created_at":"T","updated_at":"T"}]' \
    "$(stamps)"
run_expect "list --list" 0 tb subscribers list --list RALLY --status active \
    --json
check "list --list" '[{"phone":"+14155550101","status":"active","language":"es","lists":["rally"],"created_at":"T","updated_at":"T"}]' \
    "$(stamps)"
run_expect "list opted-out" 0 tb subscribers list --status opted-out
check "list opted-out" "no subscribers" "$(cat "$T/out")"
run_expect "list unknown list" 1 tb subscribers list --list nope
check "list unknown list" \
    'tambuli: no such list: nope (see "tambuli lists")' "$(cat "$T/err")"
run_expect "list bad status" 2 tb subscribers list --status gone
contains "list bad status" "$T/err" "unknown status 'gone'"

# remove
run_expect "remove" 0 tb subscribers remove "(415) 555-0100"
check "remove" "removed +14155550100" "$(cat "$T/out")"
run_expect "remove again" 1 tb subscribers remove 4155550100
check "remove again" "tambuli: not subscribed: +14155550100" \
    "$(cat "$T/err")"

# import: good rows in, bad rows named by file line; a BOM, CRLF, quotes,
# a record over two lines, blank lines, a duplicate
printf '\357\273\277Name,Mobile,Lang,Lists\r\n' >"$T/in.csv"
printf '"Ana, M.",415 555 0102,es,rally;vigil\r\n' >>"$T/in.csv"
printf 'Bo,+14155550101,,rally\r\n' >>"$T/in.csv"
printf '\r\n' >>"$T/in.csv"
printf 'Cy,call me,en,\r\n' >>"$T/in.csv"
printf 'Dee,4155550103,fr,\r\n' >>"$T/in.csv"
printf 'Ed,,en,\r\n' >>"$T/in.csv"
printf 'Fay,4155550104\r\n' >>"$T/in.csv"
printf '"Gil ""G""",(415) 555-0105,TL,"vigil|default"\r\n' >>"$T/in.csv"
printf ',,,\r\n' >>"$T/in.csv"
printf '"Ivy\nby the door",4155550106,,\r\n' >>"$T/in.csv"
printf 'Jo,4155550102,,RALLY\r\n' >>"$T/in.csv"
printf 'Kay,4155550107,ar,bad list\r\n' >>"$T/in.csv"
printf '"Lu" x,4155550108,,\r\n' >>"$T/in.csv"
run_expect "import" 1 tb subscribers import "$T/in.csv" --list members
check "import out" "created list vigil
created list members
imported 3, already subscribed 2, skipped 0 (opted out), 6 bad rows" \
    "$(cat "$T/out")"
check "import err" "$T/in.csv:5: invalid number 'call me': invalid character 'c' in number
$T/in.csv:6: unknown language 'fr' (known: en, es, tl, zh, vi, ht, ar)
$T/in.csv:7: empty phone number
$T/in.csv:8: 2 fields, the header has 4
$T/in.csv:14: invalid list name 'bad list': a list name is letters and digits, joined by single '-' or '_'
$T/in.csv:15: text after the closing quote of a field" "$(cat "$T/err")"

run_expect "import no phone column" 1 tb subscribers import /dev/null
contains "import no phone column" "$T/err" "empty file"
printf 'name,email\nAna,a@example.org\n' >"$T/nophone.csv"
run_expect "import no phone column" 1 tb subscribers import "$T/nophone.csv"
check "import no phone column" "tambuli: $T/nophone.csv:1: no phone column \
in the header (name one phone, number, mobile, telephone or tel)" \
    "$(cat "$T/err")"
run_expect "import missing file" 1 tb subscribers import "$T/none.csv"
check "import missing file" "tambuli: $T/none.csv: No such file or directory" \
    "$(cat "$T/err")"
printf 'phone\n4155550109\n' | tb subscribers import - >"$T/out" 2>"$T/err"
check "import stdin" "0 imported 1, already subscribed 0, skipped 0 (opted out), 0 bad rows" \
    "$? $(cat "$T/out")"

# export: CSV with quoting rules, lists joined with ';'
run_expect "export" 0 tb subscribers export
check "export" "phone,status,language,lists
+14155550101,active,es,rally
+14155550102,active,es,rally;vigil
+14155550105,active,tl,default;vigil
+14155550106,active,,members
+14155550109,active,,default" "$(cat "$T/out")"
run_expect "export json" 0 tb subscribers export --json
check "export json" '[{"phone":"+14155550101","status":"active","language":"es","lists":["rally"],"created_at":"T","updated_at":"T"},{"phone":"+14155550102","status":"active","language":"es","lists":["rally","vigil"],"created_at":"T","updated_at":"T"},{"phone":"+14155550105","status":"active","language":"tl","lists":["default","vigil"],"created_at":"T","updated_at":"T"},{"phone":"+14155550106","status":"active","language":null,"lists":["members"],"created_at":"T","updated_at":"T"},{"phone":"+14155550109","status":"active","language":null,"lists":["default"],"created_at":"T","updated_at":"T"}]' \
    "$(stamps)"
run_expect "export both" 2 tb subscribers export --csv --json

# an opt-out carried in by import (status column, as export writes it) is
# kept: the organizer can neither add that number nor reply to it
printf 'phone,status\n+14155550110,opted-out\n+14155550101,opted-out\n' \
    >"$T/out.csv"
run_expect "import opt-outs" 0 tb subscribers import "$T/out.csv"
check "import opt-outs" \
    "imported 0, already subscribed 0, skipped 2 (opted out), 0 bad rows" \
    "$(cat "$T/out")"
run_expect "add opted out" 1 tb subscribers add 4155550110
check "add opted out" "tambuli: +14155550110 opted out: only the member can \
rejoin, by texting JOIN" "$(cat "$T/err")"
printf 'phone,list\n4155550101,rally\n' >"$T/again.csv"
run_expect "import opted out" 0 tb subscribers import "$T/again.csv"
check "import opted out" "$T/again.csv:2: skipped +14155550101: opted out \
(only the member can rejoin, by texting JOIN)" "$(cat "$T/err")"
check "import opted out" \
    "imported 0, already subscribed 0, skipped 1 (opted out), 0 bad rows" \
    "$(cat "$T/out")"
run_expect "reply opted out" 1 tb reply 4155550101 "see you there"
check "reply opted out" "tambuli: opted out: +14155550101 receives nothing \
until they text JOIN again" "$(cat "$T/err")"
run_expect "remove opted out" 0 tb subscribers remove 4155550101
check "remove opted out" \
    "removed +14155550101 from every list (the opt-out is kept)" \
    "$(cat "$T/out")"
run_expect "list opted-out" 0 tb subscribers list --status opted-out
check "list opted-out" "PHONE             STATUS     LANG  LISTS
+14155550101      opted-out  es    -
+14155550110      opted-out  -     -" "$(cat "$T/out")"

# lists: active and opted-out members
run_expect "lists" 0 tb lists
check "lists" "LIST                                ACTIVE  OPTED-OUT
default                                  2          0
members                                  1          0
rally                                    1          0
vigil                                    2          0" "$(cat "$T/out")"
run_expect "lists json" 0 tb lists --json
check "lists json" '[{"name":"default","active":2,"opted_out":0},{"name":"members","active":1,"opted_out":0},{"name":"rally","active":1,"opted_out":0},{"name":"vigil","active":2,"opted_out":0}]' \
    "$(cat "$T/out")"

# inbox and reply (the daemon is down: the reply waits in the database)
run_expect "inbox empty" 0 tb inbox
check "inbox empty" \
    "no messages to read (--all shows keywords and handled ones)" \
    "$(cat "$T/out")"
run_expect "inbox empty json" 0 tb inbox --all --json
check "inbox empty json" "[]" "$(cat "$T/out")"
run_expect "reply" 0 tb reply 4155550102 "Thanks — see you at the rally"
check "reply" "queued reply 1 to +14155550102: gsm7, 1 segment" \
    "$(cat "$T/out")"
run_expect "reply ucs2" 0 tb reply 4155550102 \
    "Salamat po 🙏 $(printf 'z%.0s' $(seq 1 60))"
check "reply ucs2" "queued reply 2 to +14155550102: ucs2, 2 segments" \
    "$(cat "$T/out")"
run_expect "reply empty" 1 tb reply 4155550102 ""
check "reply empty" "tambuli: reply: empty text" "$(cat "$T/err")"
run_expect "reply bad number" 1 tb reply 12 hi
contains "reply bad number" "$T/err" "invalid number '12'"
run_expect "reply no text" 2 tb reply 4155550102
run_expect "inbox after reply" 0 tb inbox --json
check "inbox after reply" "[]" "$(cat "$T/out")"

# other tools' words for it (RapidPro, Twilio, mailing lists) count too
printf 'phone,status,language,list\n+14155550111,Stopped,fil,a b\n+14155550112,unsubscribed,,\n+14155550113,OPT-OUT,,\n' \
    >"$T/other.csv"
run_expect "import other tools' opt-outs" 0 tb subscribers import \
    "$T/other.csv"
check "import other tools' opt-outs" \
    "imported 0, already subscribed 0, skipped 3 (opted out), 0 bad rows" \
    "$(cat "$T/out")"
run_expect "import other tools' opt-outs: kept" 1 tb subscribers add \
    4155550112

summary
