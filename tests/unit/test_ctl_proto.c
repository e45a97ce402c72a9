/*
 * tests/unit/test_ctl_proto.c — the control protocol codec: request
 * parsing against the verb table, quoting round trips, reply formatting
 * and the client-side reply reader.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl_proto.h"
#include "tt.h"

/* ===== request parsing ===== */

struct parse_case {
	const char	*line;
	size_t		 len;		/* 0: strlen(line) */
	int		 verb;		/* 0 when err */
	size_t		 argc;
	const char	*args[3];
	long long	 n[3];		/* integer args */
	const char	*err;
};

static const struct parse_case parse_cases[] = {
	{ "HELLO tambuli 1", 0, CTL_VERB_HELLO, 2, { "tambuli", "1" },
	    { 0, 1 }, NULL },
	{ "HELLO tambuli 65535", 0, CTL_VERB_HELLO, 2, { "tambuli", "65535" },
	    { 0, 65535 }, NULL },
	{ "STATUS", 0, CTL_VERB_STATUS, 0, { NULL }, { 0 }, NULL },
	{ "STATUS modem1", 0, CTL_VERB_STATUS, 1, { "modem1" }, { 0 }, NULL },
	{ "STATUS   modem1  ", 0, CTL_VERB_STATUS, 1, { "modem1" }, { 0 },
	    NULL },
	{ "KICK", 0, CTL_VERB_KICK, 0, { NULL }, { 0 }, NULL },
	{ "KICK\r", 0, CTL_VERB_KICK, 0, { NULL }, { 0 }, NULL },
	{ "KICK ", 0, CTL_VERB_KICK, 0, { NULL }, { 0 }, NULL },
	{ "WATCH 12", 0, CTL_VERB_WATCH, 1, { "12" }, { 12 }, NULL },
	{ "WATCH 1", 0, CTL_VERB_WATCH, 1, { "1" }, { 1 }, NULL },
	{ "WATCH 9223372036854775807", 0, CTL_VERB_WATCH, 1,
	    { "9223372036854775807" }, { 9223372036854775807LL }, NULL },
	{ "USSD - *100#", 0, CTL_VERB_USSD, 2, { "-", "*100#" }, { 0 },
	    NULL },
	{ "USSD modem1 \"*100#\"", 0, CTL_VERB_USSD, 2, { "modem1", "*100#" },
	    { 0 }, NULL },
	{ "USSD-REPLY 3 \"1 2\"", 0, CTL_VERB_USSD_REPLY, 2, { "3", "1 2" },
	    { 0 }, NULL },
	{ "USSD-REPLY 3 \"say \\\"hi\\\"\\n\\t\\x01\\x7F\\\\\"", 0,
	    CTL_VERB_USSD_REPLY, 2, { "3", "say \"hi\"\n\t\x01\x7f\\" },
	    { 0 }, NULL },
	{ "USSD-REPLY 3 \xc3\x91" "and\xc3\xba", 0, CTL_VERB_USSD_REPLY, 2,
	    { "3", "\xc3\x91" "and\xc3\xba" }, { 0 }, NULL },
	{ "USSD-REPLY 3 \"\"", 0, CTL_VERB_USSD_REPLY, 2, { "3", "" }, { 0 },
	    NULL },
	{ "USSD-REPLY 3 \"\xe4\xbd\xa0 \xe5\xa5\xbd\"", 0, CTL_VERB_USSD_REPLY,
	    2, { "3", "\xe4\xbd\xa0 \xe5\xa5\xbd" }, { 0 }, NULL },
	{ "USSD-CANCEL 7", 0, CTL_VERB_USSD_CANCEL, 1, { "7" }, { 0 }, NULL },
	{ "TRACE at,db", 0, CTL_VERB_TRACE, 1, { "at,db" }, { 0 }, NULL },
	{ "LOG-DEBUG on", 0, CTL_VERB_LOG_DEBUG, 1, { "on" }, { 0 }, NULL },
	{ "LOG-DEBUG off", 0, CTL_VERB_LOG_DEBUG, 1, { "off" }, { 0 }, NULL },
	{ "RELOAD", 0, CTL_VERB_RELOAD, 0, { NULL }, { 0 }, NULL },
	{ "QUIT", 0, CTL_VERB_QUIT, 0, { NULL }, { 0 }, NULL },
	{ "BALANCE modem1", 0, CTL_VERB_BALANCE, 1, { "modem1" }, { 0 }, NULL },
	{ "BALANCE -", 0, CTL_VERB_BALANCE, 1, { "-" }, { 0 }, NULL },
	{ "BALANCE", 0, 0, 0, { NULL }, { 0 }, "too few arguments" },

	{ "", 0, 0, 0, { NULL }, { 0 }, "empty request" },
	{ "\r", 0, 0, 0, { NULL }, { 0 }, "empty request" },
	{ " STATUS", 0, 0, 0, { NULL }, { 0 }, "space before verb" },
	{ "FROB", 0, 0, 0, { NULL }, { 0 }, "unknown verb" },
	{ "status", 0, 0, 0, { NULL }, { 0 }, "unknown verb" },
	{ "STATUSX", 0, 0, 0, { NULL }, { 0 }, "unknown verb" },
	{ "STATUS\tmodem1", 0, 0, 0, { NULL }, { 0 }, "unknown verb" },
	{ "KICK now", 0, 0, 0, { NULL }, { 0 }, "too many arguments" },
	{ "STATUS a b", 0, 0, 0, { NULL }, { 0 }, "too many arguments" },
	{ "STATUS a b c d e f g h i j k l m n o p q", 0, 0, 0, { NULL }, { 0 },
	    "too many arguments" },
	{ "WATCH", 0, 0, 0, { NULL }, { 0 }, "too few arguments" },
	{ "HELLO tambuli", 0, 0, 0, { NULL }, { 0 }, "too few arguments" },
	{ "WATCH abc", 0, 0, 0, { NULL }, { 0 }, "bad integer argument" },
	{ "WATCH 012", 0, 0, 0, { NULL }, { 0 }, "bad integer argument" },
	{ "WATCH +5", 0, 0, 0, { NULL }, { 0 }, "bad integer argument" },
	{ "WATCH -0", 0, 0, 0, { NULL }, { 0 }, "bad integer argument" },
	{ "WATCH 5x", 0, 0, 0, { NULL }, { 0 }, "bad integer argument" },
	{ "WATCH 9223372036854775808", 0, 0, 0, { NULL }, { 0 },
	    "bad integer argument" },
	{ "WATCH 99999999999999999999", 0, 0, 0, { NULL }, { 0 },
	    "bad integer argument" },
	{ "WATCH 0", 0, 0, 0, { NULL }, { 0 }, "integer argument out of range" },
	{ "WATCH -5", 0, 0, 0, { NULL }, { 0 }, "integer argument out of range" },
	{ "HELLO tambuli 65536", 0, 0, 0, { NULL }, { 0 },
	    "integer argument out of range" },
	{ "HELLO smtpctl 1", 0, 0, 0, { NULL }, { 0 },
	    "argument is not one of the allowed words" },
	{ "LOG-DEBUG maybe", 0, 0, 0, { NULL }, { 0 },
	    "argument is not one of the allowed words" },
	{ "LOG-DEBUG ON", 0, 0, 0, { NULL }, { 0 },
	    "argument is not one of the allowed words" },
	{ "TRACE a/b", 0, 0, 0, { NULL }, { 0 }, "bad word argument" },
	{ "TRACE \"\"", 0, 0, 0, { NULL }, { 0 }, "bad word argument" },
	{ "USSD mod\xc3\xa9m *100#", 0, 0, 0, { NULL }, { 0 },
	    "bad word argument" },
	{ "USSD-REPLY 3 \"abc", 0, 0, 0, { NULL }, { 0 },
	    "unterminated quote" },
	{ "USSD-REPLY 3 \"abc\\", 0, 0, 0, { NULL }, { 0 },
	    "unterminated quote" },
	{ "USSD-REPLY 3 \"abc\\\"", 0, 0, 0, { NULL }, { 0 },
	    "unterminated quote" },
	{ "USSD-REPLY 3 \"a\\qb\"", 0, 0, 0, { NULL }, { 0 },
	    "bad escape in quoted argument" },
	{ "USSD-REPLY 3 \"a\\x4\"", 0, 0, 0, { NULL }, { 0 },
	    "bad \\x escape (want two hex digits)" },
	{ "USSD-REPLY 3 \"a\\x4", 0, 0, 0, { NULL }, { 0 },
	    "bad \\x escape (want two hex digits)" },
	{ "USSD-REPLY 3 \"a\\xg0\"", 0, 0, 0, { NULL }, { 0 },
	    "bad \\x escape (want two hex digits)" },
	{ "USSD-REPLY 3 \"a\\x00\"", 0, 0, 0, { NULL }, { 0 },
	    "NUL byte in argument" },
	{ "USSD-REPLY 3 \"a\"b", 0, 0, 0, { NULL }, { 0 },
	    "text after closing quote" },
	{ "USSD-REPLY 3 a\"b\"", 0, 0, 0, { NULL }, { 0 },
	    "quote or backslash in unquoted argument" },
	{ "USSD-REPLY 3 a\\n", 0, 0, 0, { NULL }, { 0 },
	    "quote or backslash in unquoted argument" },
	{ "USSD-REPLY 3 a\tb", 0, 0, 0, { NULL }, { 0 },
	    "control character in unquoted argument" },
	{ "USSD-REPLY 3 a\x7f", 0, 0, 0, { NULL }, { 0 },
	    "control character in unquoted argument" },
	{ "USSD-REPLY 3 \"a\tb\"", 0, 0, 0, { NULL }, { 0 },
	    "control character in quoted argument (use \\xHH)" },
	{ "STATUS\0x", 8, 0, 0, { NULL }, { 0 }, "NUL byte in request" },
	{ "USSD-REPLY 3 \"a\0b\"", 18, 0, 0, { NULL }, { 0 },
	    "NUL byte in request" },
};

static void
test_parse_table(void)
{
	const struct parse_case	*c;
	struct ctl_request	*req;
	const char		*err;
	size_t			 i, k, len;
	int			 rc;

	req = malloc(sizeof *req);
	tt_assert(req != NULL);
	for (i = 0; i < TT_NELEM(parse_cases); i++) {
		c = &parse_cases[i];
		len = c->len != 0 ? c->len : strlen(c->line);
		err = NULL;
		memset(req, 0xa5, sizeof *req);
		rc = ctl_proto_parse(c->line, len, req, &err);
		if (c->err != NULL) {
			if (rc != -1 || err == NULL ||
			    strcmp(err, c->err) != 0)
				fprintf(stderr, "case %zu: \"%s\"\n", i,
				    c->line);
			tt_int_op(rc, ==, -1);
			tt_str_op(err, ==, c->err);
			tt_int_op(req->verb, ==, 0);
			continue;
		}
		if (rc != 0)
			fprintf(stderr, "case %zu: \"%s\": %s\n", i, c->line,
			    err);
		tt_int_op(rc, ==, 0);
		tt_int_op(req->verb, ==, c->verb);
		tt_uint_op(req->argc, ==, c->argc);
		for (k = 0; k < c->argc; k++) {
			tt_str_op(req->argv[k].s, ==, c->args[k]);
			tt_uint_op(req->argv[k].len, ==, strlen(c->args[k]));
			if (c->n[k] != 0)
				tt_int_op(req->argv[k].n, ==, c->n[k]);
		}
	}
end:
	free(req);
}

/* The line cap: CTL_PROTO_LINE_MAX bytes pass (a CR more too), one more
 * fails. */
static void
test_parse_long(void)
{
	struct ctl_request	*req;
	char			*line;
	const char		*err = NULL;
	size_t			 n = CTL_PROTO_LINE_MAX;

	req = malloc(sizeof *req);
	line = malloc(n + 2);
	tt_assert(req != NULL && line != NULL);
	memcpy(line, "USSD-REPLY 1 ", 13);
	memset(line + 13, 'a', n - 13);
	line[n] = '\r';
	tt_int_op(ctl_proto_parse(line, n, req, &err), ==, 0);
	tt_uint_op(req->argv[1].len, ==, n - 13);
	tt_int_op(ctl_proto_parse(line, n + 1, req, &err), ==, 0);
	line[n] = 'a';
	tt_int_op(ctl_proto_parse(line, n + 1, req, &err), ==, -1);
	tt_str_op(err, ==, "line too long");

	/* the longest quoted argument that fits unquotes into buf */
	line[13] = '"';
	memset(line + 14, 'b', n - 15);
	line[n - 1] = '"';
	tt_int_op(ctl_proto_parse(line, n, req, &err), ==, 0);
	tt_uint_op(req->argv[1].len, ==, n - 15);
end:
	free(line);
	free(req);
}

static void
test_verb_table(void)
{
	const struct ctl_proto_verb	*vp;
	int				 v;

	/* numbering is part of the protocol: never renumber */
	tt_int_op(CTL_VERB_HELLO, ==, 1);
	tt_int_op(CTL_VERB_QUIT, ==, 11);
	tt_int_op(CTL_VERB_BALANCE, ==, 12);
	for (v = 1; v <= CTL_VERB_LAST; v++) {
		vp = ctl_proto_verb((enum ctl_verb)v);
		tt_assert(vp != NULL);
		tt_int_op(vp->verb, ==, v);
		tt_assert(vp->min <= vp->max);
		tt_assert(vp->max <= CTL_PROTO_ARGS_MAX);
		tt_assert(vp->help != NULL);
		tt_assert(ctl_proto_verb_find(vp->name, strlen(vp->name)) ==
		    vp);
	}
	tt_assert(ctl_proto_verb(0) == NULL);
	tt_assert(ctl_proto_verb((enum ctl_verb)(CTL_VERB_LAST + 1)) == NULL);
	tt_assert(ctl_proto_verb((enum ctl_verb)-1) == NULL);
	tt_str_op(ctl_proto_verb_name(CTL_VERB_USSD_REPLY), ==, "USSD-REPLY");
	tt_str_op(ctl_proto_verb_name(0), ==, "?");
	tt_assert(ctl_proto_verb(CTL_VERB_RELOAD)->flags &
	    CTL_PROTO_F_PRIVILEGED);
	tt_assert(!(ctl_proto_verb(CTL_VERB_STATUS)->flags &
	    CTL_PROTO_F_PRIVILEGED));
end:
	;
}

/* ===== quoting ===== */

static const struct {
	const char	*in;
	const char	*out;
} quote_cases[] = {
	{ "abc", "abc" },
	{ "*100#", "*100#" },
	{ "", "\"\"" },
	{ "a b", "\"a b\"" },
	{ "a\"b", "\"a\\\"b\"" },
	{ "a\\b", "\"a\\\\b\"" },
	{ "\n\t", "\"\\n\\t\"" },
	{ "\x01\x1f\x7f", "\"\\x01\\x1f\\x7f\"" },
	{ "\r", "\"\\x0d\"" },
	{ "\xc3\xa9t\xc3\xa9", "\xc3\xa9t\xc3\xa9" },
	{ "%begin 1", "\"%begin 1\"" },
};

static void
test_quote_table(void)
{
	char	out[64];
	size_t	i;

	for (i = 0; i < TT_NELEM(quote_cases); i++) {
		tt_int_op(ctl_proto_quote(quote_cases[i].in, out, sizeof out),
		    ==, (int)strlen(quote_cases[i].out));
		tt_str_op(out, ==, quote_cases[i].out);
	}
	/* exact fits */
	tt_int_op(ctl_proto_quote("abc", out, 4), ==, 3);
	tt_int_op(ctl_proto_quote("abc", out, 3), ==, -1);
	tt_int_op(ctl_proto_quote("a b", out, 6), ==, 5);
	tt_int_op(ctl_proto_quote("a b", out, 5), ==, -1);
	tt_int_op(ctl_proto_quote("", out, 3), ==, 2);
	tt_int_op(ctl_proto_quote("", out, 2), ==, -1);
	tt_int_op(ctl_proto_quote("\x01", out, 7), ==, 6);
	tt_int_op(ctl_proto_quote("\x01", out, 6), ==, -1);
	tt_int_op(ctl_proto_quote("x", out, 0), ==, -1);
end:
	;
}

/* Random strings (biased towards the bytes that need care) survive
 * quote -> parse and format_request -> parse unchanged. */
static void
test_quote_random(void)
{
	static const char	 special[] = " \"\\\n\t\r\x01\x7f%#\xc3\xa9";
	struct ctl_request	*req;
	char			 s[80], s2[80], q[400], line[1000];
	const char		*argv[3], *err;
	unsigned		 seed = tt_seed();
	size_t			 len, k;
	int			 iter, n;

	req = malloc(sizeof *req);
	tt_assert(req != NULL);
	srand(seed);
	for (iter = 0; iter < 20000; iter++) {
		len = (size_t)rand() % 40;
		for (k = 0; k < len; k++) {
			if (rand() % 2)
				s[k] = special[rand() % (sizeof special - 1)];
			else
				s[k] = (char)(1 + rand() % 255);
		}
		s[len] = '\0';
		n = ctl_proto_quote(s, q, sizeof q);
		tt_assert(n > 0);
		n = snprintf(line, sizeof line, "USSD-REPLY 42 %s", q);
		err = NULL;
		if (ctl_proto_parse(line, (size_t)n, req, &err) != 0) {
			fprintf(stderr, "seed %u iter %d: %s\n", seed, iter,
			    err);
			tt_hexdump("arg", s, len);
		}
		tt_int_op(req->verb, ==, CTL_VERB_USSD_REPLY);
		tt_uint_op(req->argv[1].len, ==, len);
		tt_mem_op(req->argv[1].s, ==, s, len + 1);

		/* and as a two-argument request built by the formatter */
		for (k = 0; k < len; k++)
			s2[k] = s[len - 1 - k];
		s2[len] = '\0';
		argv[0] = s[0] == '\0' ? "-" : "m1";
		argv[1] = s2;
		argv[2] = NULL;
		n = ctl_proto_format_request(CTL_VERB_USSD, argv, line,
		    sizeof line, &err);
		tt_assert(n > 0);
		tt_int_op(line[n - 1], ==, '\n');
		tt_int_op(ctl_proto_parse(line, (size_t)n - 1, req, &err), ==,
		    0);
		tt_str_op(req->argv[0].s, ==, argv[0]);
		tt_str_op(req->argv[1].s, ==, s2);
	}
end:
	free(req);
}

/* ===== formatting ===== */

static void
test_format_request(void)
{
	static const struct {
		int		 verb;
		const char	*argv[4];
		const char	*out;
		const char	*err;
	} cases[] = {
		{ CTL_VERB_HELLO, { "tambuli", "1" }, "HELLO tambuli 1\n",
		    NULL },
		{ CTL_VERB_KICK, { NULL }, "KICK\n", NULL },
		{ CTL_VERB_USSD, { "-", "*100#" }, "USSD - *100#\n", NULL },
		{ CTL_VERB_USSD_REPLY, { "1", "yes please" },
		    "USSD-REPLY 1 \"yes please\"\n", NULL },
		{ CTL_VERB_USSD_REPLY, { "1", "" }, "USSD-REPLY 1 \"\"\n",
		    NULL },
		{ CTL_VERB_LOG_DEBUG, { "off" }, "LOG-DEBUG off\n", NULL },
		{ CTL_VERB_WATCH, { "x" }, NULL, "bad integer argument" },
		{ CTL_VERB_WATCH, { NULL }, NULL, "too few arguments" },
		{ CTL_VERB_KICK, { "x" }, NULL, "too many arguments" },
		{ CTL_VERB_LOG_DEBUG, { "yes" }, NULL,
		    "argument is not one of the allowed words" },
		{ CTL_VERB_TRACE, { "a b" }, NULL, "bad word argument" },
		{ 0, { NULL }, NULL, "unknown verb" },
		{ 99, { NULL }, NULL, "unknown verb" },
	};
	char		 out[64];
	const char	*err;
	size_t		 i;
	int		 n;

	for (i = 0; i < TT_NELEM(cases); i++) {
		err = NULL;
		n = ctl_proto_format_request((enum ctl_verb)cases[i].verb,
		    cases[i].argv, out, sizeof out, &err);
		if (cases[i].out != NULL) {
			tt_int_op(n, ==, (int)strlen(cases[i].out));
			tt_str_op(out, ==, cases[i].out);
		} else {
			tt_int_op(n, ==, -1);
			tt_str_op(err, ==, cases[i].err);
		}
	}
	tt_int_op(ctl_proto_format_request(CTL_VERB_HELLO,
	    (const char *[]){ "tambuli", "1", NULL }, out, 17, &err), ==, 16);
	tt_int_op(ctl_proto_format_request(CTL_VERB_HELLO,
	    (const char *[]){ "tambuli", "1", NULL }, out, 16, &err), ==, -1);
	tt_str_op(err, ==, "request too long");
end:
	;
}

static void
test_format_reply(void)
{
	char	out[32];

	tt_int_op(ctl_proto_format_final(200, "ok", out, sizeof out), ==, 7);
	tt_str_op(out, ==, "200 ok\n");
	tt_int_op(ctl_proto_format_final(404, "no modem \"x\"\n", out,
	    sizeof out), ==, 18);
	tt_str_op(out, ==, "404 no modem \"x\"?\n");
	tt_int_op(ctl_proto_format_final(250, NULL, out, sizeof out), ==, 4);
	tt_str_op(out, ==, "250\n");
	tt_int_op(ctl_proto_format_final(199, "x", out, sizeof out), ==, -1);
	tt_int_op(ctl_proto_format_final(600, "x", out, sizeof out), ==, -1);
	tt_int_op(ctl_proto_format_final(200, "ok", out, 8), ==, 7);
	tt_int_op(ctl_proto_format_final(200, "ok", out, 7), ==, -1);

	tt_int_op(ctl_proto_format_begin(12, out, sizeof out), ==, 10);
	tt_str_op(out, ==, "%begin 12\n");
	tt_int_op(ctl_proto_format_end(12, out, sizeof out), ==, 8);
	tt_str_op(out, ==, "%end 12\n");
	tt_int_op(ctl_proto_format_end(0, out, sizeof out), ==, -1);
	tt_int_op(ctl_proto_format_end(12, out, 8), ==, -1);

	tt_int_op(ctl_proto_format_body("a line", 6, out, sizeof out), ==, 7);
	tt_str_op(out, ==, "a line\n");
	tt_int_op(ctl_proto_format_body("%end 1", 6, out, sizeof out), ==, 8);
	tt_str_op(out, ==, "%%end 1\n");
	tt_int_op(ctl_proto_format_body("", 0, out, sizeof out), ==, 1);
	tt_str_op(out, ==, "\n");
	tt_int_op(ctl_proto_format_body("one\ntwo", 7, out, sizeof out), ==,
	    4);
	tt_str_op(out, ==, "one\n");
	tt_int_op(ctl_proto_format_body("%x", 2, out, 4), ==, -1);
	tt_int_op(ctl_proto_format_body("%x", 2, out, 5), ==, 4);

	tt_int_op(ctl_proto_format_event("progress",
	    (const char *[]){ "12", "340", "400", NULL }, out, sizeof out), ==,
	    27);
	tt_str_op(out, ==, "%event progress 12 340 400\n");
	tt_int_op(ctl_proto_format_event("ussd",
	    (const char *[]){ "3", "Bal: 5", NULL }, out, sizeof out), ==, 23);
	tt_str_op(out, ==, "%event ussd 3 \"Bal: 5\"\n");
	tt_int_op(ctl_proto_format_event("modem-gone", NULL, out, sizeof out),
	    ==, 18);
	tt_int_op(ctl_proto_format_event("a b", NULL, out, sizeof out), ==,
	    -1);
	tt_int_op(ctl_proto_format_event("", NULL, out, sizeof out), ==, -1);
	/* "%event gone\n" and its NUL fit in 13 bytes, not in 12 */
	tt_int_op(ctl_proto_format_event("gone", NULL, out, 13), ==, 12);
	tt_str_op(out, ==, "%event gone\n");
	tt_int_op(ctl_proto_format_event("gone", NULL, out, 12), ==, -1);
end:
	;
}

/* ===== the reply reader ===== */

#define RD_SENT		{ 'S', NULL, 0, 0, 0, NULL, NULL }
#define RD_END		{ 0, NULL, 0, 0, 0, NULL, NULL }
#define RD_IDLE		{ 'I', NULL, 0, 0, 0, NULL, NULL }
#define RD_BUSY		{ 'B', NULL, 0, 0, 0, NULL, NULL }
#define RD(l, t, r, c, x)	{ 'L', l, t, r, c, x, NULL }
#define RD_ERR(l, e)	{ 'L', l, 0, 0, 0, NULL, e }

struct rd_step {
	int			 op;
	const char		*line;
	int			 type;
	unsigned long long	 reqno;
	int			 code;
	const char		*text;	/* BODY/FINAL text, EVENT name */
	const char		*err;
};

static const struct rd_step rd_hello[] = {
	RD_IDLE, RD_SENT, RD_BUSY,
	RD("250 tambulid 1", CTL_ITEM_FINAL, 1, 250, "tambulid 1"),
	RD_IDLE, RD_END
};
static const struct rd_step rd_block[] = {
	RD_SENT, RD_SENT,
	RD("200 ok", CTL_ITEM_FINAL, 1, 200, "ok"),
	RD("%begin 2", CTL_ITEM_BEGIN, 2, 0, NULL), RD_BUSY,
	RD("line one", CTL_ITEM_BODY, 2, 0, "line one"),
	RD("%%literal", CTL_ITEM_BODY, 2, 0, "%literal"),
	RD("%%", CTL_ITEM_BODY, 2, 0, "%"),
	RD("", CTL_ITEM_BODY, 2, 0, ""),
	RD("200 looks final", CTL_ITEM_BODY, 2, 0, "200 looks final"),
	RD("%end 2", CTL_ITEM_END, 2, 0, NULL), RD_BUSY,
	RD("200 ok\r", CTL_ITEM_FINAL, 2, 200, "ok"),
	RD("%event progress 12 340 400", CTL_ITEM_EVENT, 0, 0, "progress"),
	RD_IDLE, RD_SENT,
	RD("%begin 3", CTL_ITEM_BEGIN, 3, 0, NULL),
	RD("%end 3", CTL_ITEM_END, 3, 0, NULL),
	RD("404 no such broadcast", CTL_ITEM_FINAL, 3, 404,
	    "no such broadcast"),
	RD_SENT, RD("200", CTL_ITEM_FINAL, 4, 200, ""),
	RD_IDLE, RD_END
};
static const struct rd_step rd_event_in_block[] = {
	RD_SENT, RD("%begin 1", CTL_ITEM_BEGIN, 1, 0, NULL),
	RD_ERR("%event progress 1", "%event inside a block"),
	RD_ERR("%end 1", "connection already broken by a protocol error"),
	RD_BUSY, RD_END
};
static const struct rd_step rd_nested[] = {
	RD_SENT, RD_SENT, RD("%begin 1", CTL_ITEM_BEGIN, 1, 0, NULL),
	RD("200 ok", CTL_ITEM_BODY, 1, 0, "200 ok"),
	/* the daemon forgot %end: the final was read as body, and the next
	 * reply's %begin gives it away */
	RD_ERR("%begin 2", "%begin inside a block"), RD_END
};
static const struct rd_step rd_end_mismatch[] = {
	RD_SENT, RD("%begin 1", CTL_ITEM_BEGIN, 1, 0, NULL),
	RD_ERR("%end 2", "%end does not match %begin"), RD_END
};
static const struct rd_step rd_unknown_in_block[] = {
	RD_SENT, RD("%begin 1", CTL_ITEM_BEGIN, 1, 0, NULL),
	RD_ERR("%bogus", "unknown control line inside a block"), RD_END
};
static const struct rd_step rd_end_bad[] = {
	RD_SENT, RD("%begin 1", CTL_ITEM_BEGIN, 1, 0, NULL),
	RD_ERR("%end 01", "unknown control line inside a block"), RD_END
};
static const struct rd_step rd_begin_wrong[] = {
	RD_SENT, RD_ERR("%begin 2", "%begin for the wrong request"), RD_END
};
static const struct rd_step rd_begin_none[] = {
	RD_ERR("%begin 1", "%begin with no request outstanding"), RD_END
};
static const struct rd_step rd_final_none[] = {
	RD_SENT, RD("200 ok", CTL_ITEM_FINAL, 1, 200, "ok"),
	RD_ERR("200 ok", "reply with no request outstanding"), RD_END
};
static const struct rd_step rd_end_outside[] = {
	RD_SENT, RD_ERR("%end 1", "%end outside a block"), RD_END
};
static const struct rd_step rd_body_outside[] = {
	RD_SENT, RD_ERR("%%x", "body line outside a block"), RD_END
};
static const struct rd_step rd_unknown[] = {
	RD_SENT, RD_ERR("%weird", "unknown control line"), RD_END
};
static const struct rd_step rd_bad_final1[] = {
	RD_SENT, RD_ERR("20 ok", "bad reply line"), RD_END
};
static const struct rd_step rd_bad_final2[] = {
	RD_SENT, RD_ERR("2000", "bad reply line"), RD_END
};
static const struct rd_step rd_bad_final3[] = {
	RD_SENT, RD_ERR("600 x", "bad reply code"), RD_END
};
static const struct rd_step rd_bad_final4[] = {
	RD_SENT, RD_ERR("099 x", "bad reply code"), RD_END
};
static const struct rd_step rd_bad_final5[] = {
	RD_SENT, RD_ERR("2a0 x", "bad reply line"), RD_END
};
static const struct rd_step rd_bad_final6[] = {
	RD_SENT, RD_ERR("", "bad reply line"), RD_END
};
static const struct rd_step rd_bad_event1[] = {
	RD_ERR("%event \"a b\" 1", "bad event name"), RD_END
};
static const struct rd_step rd_bad_event2[] = {
	RD_ERR("%event ussd \"open", "unterminated quote"), RD_END
};
static const struct rd_step rd_bad_event3[] = {
	RD_ERR("%event ", "bad event name"), RD_END
};
static const struct rd_step rd_nul[] = {
	RD_SENT, RD("%begin 1", CTL_ITEM_BEGIN, 1, 0, NULL),
	RD_ERR("a\0b", "NUL byte in reply"), RD_END
};

static const struct {
	const char		*name;
	const struct rd_step	*steps;
} rd_seqs[] = {
	{ "hello", rd_hello },
	{ "block", rd_block },
	{ "event_in_block", rd_event_in_block },
	{ "nested", rd_nested },
	{ "end_mismatch", rd_end_mismatch },
	{ "unknown_in_block", rd_unknown_in_block },
	{ "end_bad", rd_end_bad },
	{ "begin_wrong", rd_begin_wrong },
	{ "begin_none", rd_begin_none },
	{ "final_none", rd_final_none },
	{ "end_outside", rd_end_outside },
	{ "body_outside", rd_body_outside },
	{ "unknown", rd_unknown },
	{ "bad_final1", rd_bad_final1 },
	{ "bad_final2", rd_bad_final2 },
	{ "bad_final3", rd_bad_final3 },
	{ "bad_final4", rd_bad_final4 },
	{ "bad_final5", rd_bad_final5 },
	{ "bad_final6", rd_bad_final6 },
	{ "bad_event1", rd_bad_event1 },
	{ "bad_event2", rd_bad_event2 },
	{ "bad_event3", rd_bad_event3 },
	{ "nul", rd_nul },
};

static void
test_reader_sequences(void)
{
	struct ctl_proto_reader	 r;
	struct ctl_proto_item	*it;
	const struct rd_step	*st;
	const char		*err;
	size_t			 i, len;
	int			 rc;

	it = malloc(sizeof *it);
	tt_assert(it != NULL);
	for (i = 0; i < TT_NELEM(rd_seqs); i++) {
		ctl_proto_reader_init(&r);
		for (st = rd_seqs[i].steps; st->op != 0; st++) {
			switch (st->op) {
			case 'S':
				ctl_proto_reader_sent(&r);
				continue;
			case 'I':
				tt_int_op(ctl_proto_reader_idle(&r), ==, 1);
				continue;
			case 'B':
				tt_int_op(ctl_proto_reader_idle(&r), ==, 0);
				continue;
			}
			len = strlen(st->line);
			if (strcmp(rd_seqs[i].name, "nul") == 0 && len == 1)
				len = 3;
			err = NULL;
			rc = ctl_proto_reader_line(&r, st->line, len, it, &err);
			if ((st->err != NULL) != (rc == -1))
				fprintf(stderr, "%s: \"%s\": %s\n",
				    rd_seqs[i].name, st->line,
				    err != NULL ? err : "no error");
			if (st->err != NULL) {
				tt_int_op(rc, ==, -1);
				tt_str_op(err, ==, st->err);
				continue;
			}
			tt_int_op(rc, ==, 0);
			tt_int_op(it->type, ==, st->type);
			tt_uint_op(it->reqno, ==, st->reqno);
			tt_int_op(it->code, ==, st->code);
			if (st->type == CTL_ITEM_EVENT)
				tt_str_op(it->name, ==, st->text);
			else if (st->text != NULL) {
				tt_str_op(it->text, ==, st->text);
				tt_uint_op(it->len, ==, strlen(st->text));
			}
		}
	}
end:
	free(it);
}

static void
test_reader_event_args(void)
{
	struct ctl_proto_reader	 r;
	struct ctl_proto_item	*it;
	const char		*err, *line;

	it = malloc(sizeof *it);
	tt_assert(it != NULL);
	ctl_proto_reader_init(&r);
	line = "%event ussd 3 \"Balance: \\\"5.00\\\"\\n\" \xc3\xa9";
	tt_int_op(ctl_proto_reader_line(&r, line, strlen(line), it, &err), ==,
	    0);
	tt_int_op(it->type, ==, CTL_ITEM_EVENT);
	tt_str_op(it->name, ==, "ussd");
	tt_uint_op(it->argc, ==, 3);
	tt_str_op(it->argv[0].s, ==, "3");
	tt_str_op(it->argv[1].s, ==, "Balance: \"5.00\"\n");
	tt_str_op(it->argv[2].s, ==, "\xc3\xa9");
	tt_int_op(ctl_proto_reader_idle(&r), ==, 1);
end:
	free(it);
}

/* What the daemon's formatters write, the reader reads back exactly. */
static void
test_reader_roundtrip(void)
{
	static const char *const body[] = {
		"modem1 ready", "%begin 1", "%%", "", "%event x", "200 ok",
	};
	struct ctl_proto_reader	 r;
	struct ctl_proto_item	*it;
	char			 line[128];
	const char		*err;
	size_t			 i;
	int			 n;

	it = malloc(sizeof *it);
	tt_assert(it != NULL);
	ctl_proto_reader_init(&r);
	ctl_proto_reader_sent(&r);
	n = ctl_proto_format_begin(1, line, sizeof line);
	tt_int_op(ctl_proto_reader_line(&r, line, (size_t)n - 1, it, &err), ==,
	    0);
	tt_int_op(it->type, ==, CTL_ITEM_BEGIN);
	for (i = 0; i < TT_NELEM(body); i++) {
		n = ctl_proto_format_body(body[i], strlen(body[i]), line,
		    sizeof line);
		tt_assert(n > 0);
		tt_int_op(ctl_proto_reader_line(&r, line, (size_t)n - 1, it,
		    &err), ==, 0);
		tt_int_op(it->type, ==, CTL_ITEM_BODY);
		tt_str_op(it->text, ==, body[i]);
	}
	n = ctl_proto_format_end(1, line, sizeof line);
	tt_int_op(ctl_proto_reader_line(&r, line, (size_t)n - 1, it, &err), ==,
	    0);
	tt_int_op(it->type, ==, CTL_ITEM_END);
	n = ctl_proto_format_event("sent", (const char *[]){ "a b", "",
	    NULL }, line, sizeof line);
	tt_int_op(ctl_proto_reader_line(&r, line, (size_t)n - 1, it, &err), ==,
	    0);
	tt_int_op(it->type, ==, CTL_ITEM_EVENT);
	tt_uint_op(it->argc, ==, 2);
	tt_str_op(it->argv[0].s, ==, "a b");
	tt_str_op(it->argv[1].s, ==, "");
	n = ctl_proto_format_final(CTL_CODE_OK, "ok", line, sizeof line);
	tt_int_op(ctl_proto_reader_line(&r, line, (size_t)n - 1, it, &err), ==,
	    0);
	tt_int_op(it->type, ==, CTL_ITEM_FINAL);
	tt_int_op(it->code, ==, 200);
	tt_int_op(ctl_proto_reader_idle(&r), ==, 1);
end:
	free(it);
}

static const struct tt_case cases[] = {
	{ "parse/table", test_parse_table },
	{ "parse/long", test_parse_long },
	{ "parse/verbs", test_verb_table },
	{ "quote/table", test_quote_table },
	{ "quote/random", test_quote_random },
	{ "format/request", test_format_request },
	{ "format/reply", test_format_reply },
	{ "reader/sequences", test_reader_sequences },
	{ "reader/event_args", test_reader_event_args },
	{ "reader/roundtrip", test_reader_roundtrip },
	TT_END
};

int
main(int argc, char **argv)
{
	return tt_main(argc, argv, cases);
}
