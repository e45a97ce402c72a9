/*
 * tests/unit/test_orgcmd.c — the commands of an organizer's phone
 * (gateway/orgcmd.c): every verb in several spellings and spacings, texts
 * that are no command, the CANCEL id, the ASK words, the redacted copy,
 * truncation, NUL bytes and every prefix of a command.
 */
#include <stdio.h>
#include <string.h>

#include "orgcmd.h"
#include "tt.h"

struct pcase {
	const char		*text;
	enum orgcmd_verb	 verb;
	const char		*digits;
	const char		*rest;		/* "" when none */
	const char		*word;		/* ASK: first word of the rest */
	const char		*after;		/* what follows it */
	long long		 id;		/* CANCEL */
	const char		*redacted;
};

static const struct pcase parse_cases[] = {
	{ "ALERT 2468 Checkpoint at 5th & Main", ORGCMD_ALERT, "2468",
	  "Checkpoint at 5th & Main", "Checkpoint", "at 5th & Main", 0,
	  "ALERT **** Checkpoint at 5th & Main" },
	{ "alert 2468 main Checkpoint", ORGCMD_ALERT, "2468",
	  "main Checkpoint", "main", "Checkpoint", 0,
	  "ALERT **** main Checkpoint" },
	{ "  Alert\t12345678 \n text  \r\n", ORGCMD_ALERT, "12345678",
	  "text", "text", "", 0, "ALERT **** text" },
	{ "ALERT 2468", ORGCMD_ALERT, "2468", "", "", "", 0, "ALERT ****" },
	{ "URGENT 0000 Raid now", ORGCMD_URGENT, "0000", "Raid now", "Raid",
	  "now", 0, "URGENT **** Raid now" },
	{ "uRgEnT\n9999\nline one\nline two", ORGCMD_URGENT, "9999",
	  "line one\nline two", "line", "one\nline two", 0,
	  "URGENT **** line one\nline two" },
	{ "ASK 2468 SAFE,HELP Are you safe?", ORGCMD_ASK, "2468",
	  "SAFE,HELP Are you safe?", "SAFE,HELP", "Are you safe?", 0,
	  "ASK **** SAFE,HELP Are you safe?" },
	{ "YES 482101", ORGCMD_YES, "482101", "", "", "", 0, "YES ****" },
	{ "yes 4821 thanks", ORGCMD_YES, "4821", "thanks", "thanks", "", 0,
	  "YES **** thanks" },
	{ "STATUS 2468", ORGCMD_STATUS, "2468", "", "", "", 0,
	  "STATUS ****" },
	{ "CANCEL 2468 7", ORGCMD_CANCEL, "2468", "7", "7", "", 7,
	  "CANCEL **** 7" },
	{ "cancel 2468   12  ", ORGCMD_CANCEL, "2468", "12", "12", "", 12,
	  "CANCEL **** 12" },
	{ "CANCEL 2468", ORGCMD_CANCEL, "2468", "", "", "", 0,
	  "CANCEL ****" },
	{ "CANCEL 2468 seven", ORGCMD_CANCEL, "2468", "seven", "seven", "", 0,
	  "CANCEL **** seven" },
	{ "CANCEL 2468 0", ORGCMD_CANCEL, "2468", "0", "0", "", 0,
	  "CANCEL **** 0" },
	{ "CANCEL 2468 99999999999999999", ORGCMD_CANCEL, "2468",
	  "99999999999999999", "99999999999999999", "", 0,
	  "CANCEL **** 99999999999999999" },
	{ "CANCEL 2468 9007199254740992", ORGCMD_CANCEL, "2468",
	  "9007199254740992", "9007199254740992", "", 9007199254740992LL,
	  "CANCEL **** 9007199254740992" },
	{ "WIPE 2468", ORGCMD_WIPE, "2468", "", "", "", 0, "WIPE ****" },
	{ "wipe 123456", ORGCMD_WIPE, "123456", "", "", "", 0,
	  "WIPE ****" },
	/* punctuation a hurried thumb adds after the verb or digits */
	{ "Yes, 123456", ORGCMD_YES, "123456", "", "", "", 0, "YES ****" },
	{ "YES 123456.", ORGCMD_YES, "123456", "", "", "", 0, "YES ****" },
	{ "ALERT: 2468: Raid", ORGCMD_ALERT, "2468", "Raid", "Raid", "", 0,
	  "ALERT **** Raid" },
	{ "status 2468!", ORGCMD_STATUS, "2468", "", "", "", 0,
	  "STATUS ****" },
	{ "ALERT,, 2468 x", ORGCMD_ALERT, "2468", "x", "x", "", 0,
	  "ALERT **** x" },
	/* no command: an ordinary text */
	{ ",,, 2468", ORGCMD_NONE, "", "", "", "", 0, "" },
	{ "YES ....", ORGCMD_NONE, "", "", "", "", 0, "" },
	{ "", ORGCMD_NONE, "", "", "", "", 0, "" },
	{ "   ", ORGCMD_NONE, "", "", "", "", 0, "" },
	{ "ALERT", ORGCMD_NONE, "", "", "", "", 0, "" },
	{ "YES", ORGCMD_NONE, "", "", "", "", 0, "" },
	{ "yes please", ORGCMD_NONE, "", "", "", "", 0, "" },
	{ "ALERT the others", ORGCMD_NONE, "", "", "", "", 0, "" },
	{ "ALERT 123 short", ORGCMD_NONE, "", "", "", "", 0, "" },
	{ "ALERT 123456789 long", ORGCMD_NONE, "", "", "", "", 0, "" },
	{ "ALERT 12a4 text", ORGCMD_NONE, "", "", "", "", 0, "" },
	{ "ALERT2468 text", ORGCMD_NONE, "", "", "", "", 0, "" },
	{ "ALERTS 2468 text", ORGCMD_NONE, "", "", "", "", 0, "" },
	{ "STOP 2468", ORGCMD_NONE, "", "", "", "", 0, "" },
	{ "Hello ALERT 2468 x", ORGCMD_NONE, "", "", "", "", 0, "" },
	{ "ＡＬＥＲＴ 2468 x", ORGCMD_NONE, "", "", "", "", 0, "" },
	{ "ALERT ２４６８ x", ORGCMD_NONE, "", "", "", "", 0, "" },
};

static int
check_one(const char *text, size_t len, const struct pcase *c)
{
	struct orgcmd	o;
	char		buf[256];
	size_t		n;

	tt_int_op(orgcmd_parse(text, len, &o), ==, c->verb);
	tt_int_op(o.verb, ==, c->verb);
	tt_str_op(o.digits, ==, c->digits);
	tt_int_op(o.rest_len, ==, strlen(c->rest));
	tt_assert(o.rest_off + o.rest_len <= len);
	tt_assert(memcmp(text + o.rest_off, c->rest, o.rest_len) == 0);
	tt_int_op(o.word_len, ==, strlen(c->word));
	tt_assert(memcmp(text + o.word_off, c->word, o.word_len) == 0);
	tt_int_op(o.after_len, ==, strlen(c->after));
	tt_assert(memcmp(text + o.after_off, c->after, o.after_len) == 0);
	tt_int_op(o.id, ==, c->id);
	n = orgcmd_redact(text, len, &o, buf, sizeof buf);
	tt_int_op(n, ==, strlen(c->redacted));
	tt_str_op(buf, ==, c->redacted);
	/* the digits never reach the copy */
	if (o.digits[0] != '\0')
		tt_assert(strstr(buf, o.digits) == NULL ||
		    strstr(c->rest, o.digits) != NULL);
end:
	if (tt_failed_now) {
		fprintf(stderr, "  text: \"%s\"\n", text);
		return -1;
	}
	return 0;
}

static void
test_parse_table(void)
{
	size_t	i;

	for (i = 0; i < sizeof parse_cases / sizeof parse_cases[0]; i++) {
		if (check_one(parse_cases[i].text,
		    strlen(parse_cases[i].text), &parse_cases[i]) == -1)
			return;
	}
}

/* Every prefix of a command parses to something well formed, and a
 * prefix that stops inside the digits is no command. */
static void
test_parse_prefixes(void)
{
	static const char	 t[] = "CANCEL 24681357 12";
	struct orgcmd		 o;
	size_t			 len;
	char			 buf[64];

	for (len = 0; len <= sizeof t - 1; len++) {
		orgcmd_parse(t, len, &o);
		/* "CANCEL 2468" is the shortest command */
		tt_int_op(o.verb, ==, len < 11 ? ORGCMD_NONE : ORGCMD_CANCEL);
		tt_assert(o.rest_off + o.rest_len <= len);
		tt_assert(o.word_off + o.word_len <= len);
		tt_assert(o.after_off + o.after_len <= len);
		orgcmd_redact(t, len, &o, buf, sizeof buf);
		tt_assert(strstr(buf, "2468") == NULL);
	}
	orgcmd_parse(t, sizeof t - 1, &o);
	tt_int_op(o.id, ==, 12);
	orgcmd_parse(t, sizeof t - 2, &o);
	tt_int_op(o.id, ==, 1);
end:
	;
}

/* NUL bytes are bytes: no command around them, the length counts. */
static void
test_parse_nul(void)
{
	static const char	 t[] = "ALERT 2468 a\0b";
	static const char	 u[] = "ALERT 24\00068 a";
	struct orgcmd		 o;

	tt_int_op(orgcmd_parse(t, sizeof t - 1, &o), ==, ORGCMD_ALERT);
	tt_int_op(o.rest_len, ==, 3);
	tt_int_op(orgcmd_parse(u, sizeof u - 1, &o), ==, ORGCMD_NONE);
	tt_int_op(orgcmd_parse(NULL, 0, &o), ==, ORGCMD_NONE);
end:
	;
}

/* The copy is truncated like snprintf, never past the buffer. */
static void
test_redact_truncate(void)
{
	static const char	 t[] = "URGENT 2468 Checkpoint";
	struct orgcmd		 o;
	char			 buf[32];
	size_t			 n, k, j;

	orgcmd_parse(t, sizeof t - 1, &o);
	for (k = 0; k < sizeof buf; k++) {
		memset(buf, 'x', sizeof buf);
		n = orgcmd_redact(t, sizeof t - 1, &o, buf, k);
		tt_int_op(n, ==, strlen("URGENT **** Checkpoint"));
		if (k > 0) {
			tt_int_op(strlen(buf), ==, n < k ? n : k - 1);
			tt_assert(strncmp(buf, "URGENT **** Checkpoint",
			    strlen(buf)) == 0);
		} else
			tt_int_op(buf[0], ==, 'x');
		for (j = k; j < sizeof buf; j++)
			tt_int_op(buf[j], ==, 'x');	/* never past k */
	}
end:
	;
}

static void
test_word(void)
{
	size_t	off, wlen, next, nlen;

	orgcmd_word("  main  text here  ", 19, &off, &wlen, &next, &nlen);
	tt_int_op(off, ==, 2);
	tt_int_op(wlen, ==, 4);
	tt_int_op(next, ==, 8);
	tt_int_op(nlen, ==, 9);
	orgcmd_word("   ", 3, &off, &wlen, &next, &nlen);
	tt_int_op(wlen, ==, 0);
	tt_int_op(nlen, ==, 0);
	orgcmd_word("", 0, &off, &wlen, &next, &nlen);
	tt_int_op(wlen, ==, 0);
	tt_int_op(nlen, ==, 0);
end:
	;
}

static void
test_verb_name(void)
{
	tt_str_op(orgcmd_verb_name(ORGCMD_NONE), ==, "NONE");
	tt_str_op(orgcmd_verb_name(ORGCMD_ALERT), ==, "ALERT");
	tt_str_op(orgcmd_verb_name(ORGCMD_WIPE), ==, "WIPE");
end:
	;
}

static const struct tt_case cases[] = {
	{ "parse/table", test_parse_table },
	{ "parse/prefixes", test_parse_prefixes },
	{ "parse/nul", test_parse_nul },
	{ "redact/truncate", test_redact_truncate },
	{ "word", test_word },
	{ "verb/name", test_verb_name },
	TT_END
};

int
main(int argc, char **argv)
{
	return tt_main(argc, argv, cases);
}
