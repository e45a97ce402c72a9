/*
 * tests/unit/test_at_lexer.c — the AT engine, driven by scripts.
 *
 * A script sets the command in flight ("cmd"), feeds what the modem sent
 * ("rx"), and lists the events expected ("ev").  Every script is replayed
 * whole, one byte at a time, split in two at every byte boundary, and in
 * random chunks (TT_SEED): the events must be identical every time, and
 * at_lexer_check() must hold after every push and every next.  Real-modem
 * transcripts are the tests/data/at/NAME.at files (the tests run from the top of
 * the tree); edge cases are inline below.
 *
 * Script lines:
 *	cmd "TEXT" "PREFIX" [bare] [prompt]	set the command in flight
 *	cmd none				no command in flight
 *	rx "BYTES"				C escapes: \r \n \t \0 \\ \" \xHH
 *	rxrep N "BYTES"				BYTES N times
 *	flush					the driver's timeout
 *	ev TEXT					expected event, as render() prints
 */
#include <stdlib.h>
#include <string.h>

#include "tt.h"
#include "at_lexer.h"

#define SCRIPT_STEPS	128
#define SCRIPT_EVS	256
#define RENDER_MAX	(AT_LEXER_LINE_MAX * 8 + 128)

enum step_type { STEP_RX, STEP_CMD, STEP_NOCMD, STEP_FLUSH };

struct step {
	enum step_type	 type;
	char		*buf;		/* rx bytes, or the command */
	size_t		 len;
	char		*prefix;
	unsigned	 flags;
};

struct script {
	struct step	 steps[SCRIPT_STEPS];
	size_t		 nsteps;
	char		*ev[SCRIPT_EVS];
	size_t		 nev;
	size_t		 rxlen;		/* total rx bytes */
};

struct evlist {
	char		*ev[SCRIPT_EVS];
	size_t		 n;
	int		 broken;	/* check failed or list overflowed */
};

static void
script_free(struct script *s)
{
	size_t	i;

	if (s == NULL)
		return;
	for (i = 0; i < s->nsteps; i++) {
		free(s->steps[i].buf);
		free(s->steps[i].prefix);
	}
	for (i = 0; i < s->nev; i++)
		free(s->ev[i]);
	free(s);
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Parse a quoted C-escaped string at *pp; malloc'd bytes in *out. */
static int
parse_quoted(const char **pp, char **out, size_t *outlen)
{
	const char	*p = *pp;
	char		*b;
	size_t		 n = 0;
	int		 h, l;

	while (*p == ' ' || *p == '\t')
		p++;
	if (*p++ != '"')
		return -1;
	if ((b = malloc(strlen(p) + 1)) == NULL)
		return -1;
	while (*p != '"') {
		if (*p == '\0' || *p == '\n')
			goto bad;
		if (*p != '\\') {
			b[n++] = *p++;
			continue;
		}
		p++;
		switch (*p) {
		case 'r': b[n++] = '\r'; p++; break;
		case 'n': b[n++] = '\n'; p++; break;
		case 't': b[n++] = '\t'; p++; break;
		case '0': b[n++] = '\0'; p++; break;
		case '\\': b[n++] = '\\'; p++; break;
		case '"': b[n++] = '"'; p++; break;
		case 'x':
			if ((h = hexval(p[1])) == -1 || (l = hexval(p[2])) == -1)
				goto bad;
			b[n++] = (char)(h << 4 | l);
			p += 3;
			break;
		default:
			goto bad;
		}
	}
	b[n] = '\0';
	*pp = p + 1;
	*out = b;
	*outlen = n;
	return 0;
bad:
	free(b);
	return -1;
}

/* Parse script text; NULL (and a message on stderr) if malformed. */
static struct script *
script_parse(const char *name, const char *text)
{
	struct script	*s;
	struct step	*st;
	const char	*p = text, *eol;
	char		*tmp;
	size_t		 lineno = 0, len, i;
	long		 rep;

	if ((s = calloc(1, sizeof *s)) == NULL)
		return NULL;
	for (; *p != '\0'; p = *eol == '\0' ? eol : eol + 1) {
		lineno++;
		eol = strchr(p, '\n');
		if (eol == NULL)
			eol = p + strlen(p);
		if (p == eol || *p == '#')
			continue;
		if (strncmp(p, "ev ", 3) == 0) {
			if (s->nev == SCRIPT_EVS)
				goto bad;
			len = (size_t)(eol - p - 3);
			if ((s->ev[s->nev] = malloc(len + 1)) == NULL)
				goto bad;
			memcpy(s->ev[s->nev], p + 3, len);
			s->ev[s->nev++][len] = '\0';
			continue;
		}
		if (s->nsteps == SCRIPT_STEPS)
			goto bad;
		st = &s->steps[s->nsteps];
		memset(st, 0, sizeof *st);
		if (strncmp(p, "flush", 5) == 0) {
			st->type = STEP_FLUSH;
		} else if (strncmp(p, "cmd none", 8) == 0) {
			st->type = STEP_NOCMD;
		} else if (strncmp(p, "cmd ", 4) == 0) {
			st->type = STEP_CMD;
			p += 4;
			if (parse_quoted(&p, &st->buf, &st->len) == -1)
				goto bad;
			s->nsteps++;	/* so a failure frees buf */
			if (parse_quoted(&p, &st->prefix, &len) == -1)
				goto bad;
			s->nsteps--;
			for (; p < eol; p++) {
				if (strncmp(p, "bare", 4) == 0)
					st->flags |= AT_RESP_CTX_BARE;
				if (strncmp(p, "prompt", 6) == 0)
					st->flags |= AT_RESP_CTX_PROMPT;
			}
		} else if (strncmp(p, "rxrep ", 6) == 0) {
			st->type = STEP_RX;
			rep = strtol(p + 6, &tmp, 10);
			p = tmp;
			if (rep <= 0 || rep > 100000 ||
			    parse_quoted(&p, &tmp, &len) == -1)
				goto bad;
			if ((st->buf = malloc(len * (size_t)rep + 1)) == NULL) {
				free(tmp);
				goto bad;
			}
			for (i = 0; i < (size_t)rep; i++)
				memcpy(st->buf + i * len, tmp, len);
			st->len = len * (size_t)rep;
			free(tmp);
		} else if (strncmp(p, "rx ", 3) == 0) {
			st->type = STEP_RX;
			p += 3;
			if (parse_quoted(&p, &st->buf, &st->len) == -1)
				goto bad;
		} else
			goto bad;
		if (st->type == STEP_RX)
			s->rxlen += st->len;
		s->nsteps++;
	}
	return s;
bad:
	fprintf(stderr, "  %s:%zu: bad script line\n", name, lineno);
	script_free(s);
	return NULL;
}

static size_t
render_bytes(char *out, const char *s, size_t len)
{
	static const char	 hex[] = "0123456789abcdef";
	size_t			 i, n = 0;
	unsigned char		 c;

	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		/* a trailing blank is escaped so that scripts show it */
		if (c < 0x20 || c >= 0x7f || c == '\\' ||
		    (c == ' ' && i + 1 == len)) {
			out[n++] = '\\';
			out[n++] = 'x';
			out[n++] = hex[c >> 4];
			out[n++] = hex[c & 0xf];
		} else
			out[n++] = (char)c;
	}
	out[n] = '\0';
	return n;
}

/* One line of text per event; see the .at files for examples. */
static void
render(const struct at_event *ev, char *out)
{
	const struct at_resp	*r = &ev->resp;
	size_t			 n;

	switch (ev->type) {
	case AT_EV_PROMPT:
		strcpy(out, "PROMPT");
		return;
	case AT_EV_OVERFLOW:
		sprintf(out, "OVERFLOW %zu", ev->len);
		return;
	case AT_EV_FINAL:
		n = (size_t)sprintf(out, "FINAL %s",
		    at_resp_final_name(r->final));
		if (r->final == AT_FINAL_CME || r->final == AT_FINAL_CMS) {
			n += (size_t)sprintf(out + n, " %d", r->err);
			if (r->err == -1) {
				out[n++] = ' ';
				n += render_bytes(out + n, r->value,
				    r->valuelen);
			}
		}
		return;
	case AT_EV_ECHO:
		n = (size_t)sprintf(out, "ECHO ");
		break;
	case AT_EV_INTERMEDIATE:
		n = (size_t)sprintf(out, "INT ");
		break;
	case AT_EV_URC:
		n = (size_t)sprintf(out, "URC %s ", at_resp_urc_name(r->urc));
		break;
	default:
		strcpy(out, "?");
		return;
	}
	n += render_bytes(out + n, ev->line, ev->len);
	if (r->index != -1 || r->mem[0] != '\0')
		n += (size_t)sprintf(out + n, " mem=%s index=%d", r->mem,
		    r->index);
	if (r->stat != -1)
		n += (size_t)sprintf(out + n, " stat=%d", r->stat);
	if (ev->pdu != NULL) {
		n += (size_t)sprintf(out + n, " PDU ");
		n += render_bytes(out + n, ev->pdu, ev->pdulen);
	} else if (r->flags & AT_RESP_PDU)
		n += (size_t)sprintf(out + n, " NOPDU");
}

static void
evlist_clear(struct evlist *l)
{
	size_t	i;

	for (i = 0; i < l->n; i++)
		free(l->ev[i]);
	l->n = 0;
	l->broken = 0;
}

/* Take every ready event; returns how many. */
static size_t
drain(struct at_lexer *lx, struct evlist *l)
{
	static char		 buf[RENDER_MAX];
	struct at_event		 ev;
	size_t			 n = 0;

	while (at_lexer_next(lx, &ev)) {
		n++;
		if (ev.line == NULL || ev.line[ev.len] != '\0' ||
		    (ev.pdu != NULL && ev.pdu[ev.pdulen] != '\0'))
			l->broken = 1;
		if (at_lexer_check(lx) != 0)
			l->broken = 1;
		render(&ev, buf);
		if (l->n == SCRIPT_EVS || (l->ev[l->n] = strdup(buf)) == NULL)
			l->broken = 1;
		else
			l->n++;
	}
	if (at_lexer_check(lx) != 0)
		l->broken = 1;
	return n;
}

/* Push len bytes, draining as we go. */
static void
feed(struct at_lexer *lx, const char *buf, size_t len, struct evlist *l)
{
	size_t	n, got;

	for (;;) {
		got = drain(lx, l);
		if (len == 0)
			break;
		n = at_lexer_push(lx, buf, len);
		if (at_lexer_check(lx) != 0)
			l->broken = 1;
		if (n == 0 && got == 0) {
			l->broken = 1;	/* no progress at all */
			break;
		}
		buf += n;
		len -= n;
	}
}

/*
 * Run the script.  chunk 0: each rx whole; 1: byte by byte; split > 0:
 * cut the stream in two at byte offset split; chunk > 1: random chunks
 * of 1..chunk bytes.
 */
static void
run(const struct script *s, size_t chunk, size_t split, struct evlist *l)
{
	struct at_lexer		*lx;
	const struct step	*st;
	size_t			 i, off = 0, pos, n;

	if ((lx = at_lexer_new()) == NULL) {
		l->broken = 1;
		return;
	}
	for (i = 0; i < s->nsteps; i++) {
		st = &s->steps[i];
		switch (st->type) {
		case STEP_CMD:
			if (at_lexer_cmd(lx, st->buf, st->prefix, st->flags) !=
			    NULL)
				l->broken = 1;
			break;
		case STEP_NOCMD:
			(void)at_lexer_cmd(lx, NULL, NULL, 0);
			break;
		case STEP_FLUSH:
			at_lexer_flush(lx);
			break;
		case STEP_RX:
			for (pos = 0; pos < st->len; pos += n) {
				n = st->len - pos;
				if (chunk == 1)
					n = 1;
				else if (chunk > 1)
					n = 1 + (size_t)rand() % chunk;
				else if (split > off + pos && split < off + n +
				    pos)
					n = split - off - pos;
				if (n > st->len - pos)
					n = st->len - pos;
				feed(lx, st->buf + pos, n, l);
			}
			off += st->len;
			break;
		}
		if (at_lexer_check(lx) != 0)
			l->broken = 1;
	}
	feed(lx, NULL, 0, l);
	at_lexer_free(lx);
}

/* Compare what came out with the script; 0 if equal. */
static int
compare(const char *name, const char *how, const struct script *s,
    const struct evlist *l)
{
	size_t	i;

	if (l->broken) {
		tt_fail(__FILE__, __LINE__, "%s (%s): invariant broken", name,
		    how);
		return -1;
	}
	for (i = 0; i < s->nev || i < l->n; i++) {
		if (i < s->nev && i < l->n && strcmp(s->ev[i], l->ev[i]) == 0)
			continue;
		tt_fail(__FILE__, __LINE__, "%s (%s): event %zu:\n"
		    "    want: %s\n    got:  %s", name, how, i,
		    i < s->nev ? s->ev[i] : "(none)",
		    i < l->n ? l->ev[i] : "(none)");
		return -1;
	}
	return 0;
}

static void
replay(const char *name, const char *text)
{
	struct script	*s;
	struct evlist	*l;
	char		 how[64];
	size_t		 k, r;

	l = calloc(1, sizeof *l);
	s = script_parse(name, text);
	tt_assert(l != NULL && s != NULL);
	tt_assert(s->nev > 0);

	run(s, 0, 0, l);
	tt_assert(compare(name, "whole", s, l) == 0);
	evlist_clear(l);
	run(s, 1, 0, l);
	tt_assert(compare(name, "bytewise", s, l) == 0);
	for (k = 1; k < s->rxlen; k++) {
		evlist_clear(l);
		run(s, 0, k, l);
		snprintf(how, sizeof how, "split at %zu", k);
		tt_assert(compare(name, how, s, l) == 0);
	}
	for (r = 0; r < 20; r++) {
		evlist_clear(l);
		run(s, 2 + r, 0, l);
		snprintf(how, sizeof how, "chunks of 1..%zu, seed %u", 2 + r,
		    tt_seed());
		tt_assert(compare(name, how, s, l) == 0);
	}
end:
	if (l != NULL)
		evlist_clear(l);
	free(l);
	script_free(s);
}

static char *
slurp(const char *path)
{
	FILE	*f;
	char	*buf = NULL;
	long	 len;

	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (len = ftell(f)) >= 0 &&
	    fseek(f, 0, SEEK_SET) == 0 &&
	    (buf = malloc((size_t)len + 1)) != NULL) {
		if (fread(buf, 1, (size_t)len, f) != (size_t)len) {
			free(buf);
			buf = NULL;
		} else
			buf[len] = '\0';
	}
	fclose(f);
	return buf;
}

static void
replay_file(const char *name)
{
	char	 path[256];
	char	*text;

	snprintf(path, sizeof path, "tests/data/at/%s.at", name);
	text = slurp(path);
	tt_assert(text != NULL);
	replay(path, text);
end:
	free(text);
}

static void
test_sim800(void)
{
	replay_file("sim800_boot");
}

static void
test_huawei(void)
{
	replay_file("huawei_e3131");
}

static void
test_quectel(void)
{
	replay_file("quectel_ec25");
}

static void
test_terminators(void)
{
	replay("terminators",
	    "rx \"OK\\r\"\n"			/* lone CR: final at once */
	    "ev FINAL OK\n"
	    "rx \"OK\\n\"\n"			/* lone LF */
	    "ev FINAL OK\n"
	    "rx \"OK\\r\\r\\n\"\n"		/* CR CR LF */
	    "ev FINAL OK\n"
	    "rx \"\\n\\n\\r\\r  \\t \\r\\n\"\n"	/* empty and blank lines */
	    "rx \"RING\\r\\nRING\\n\\rRING\\r\\r\"\n"
	    "ev URC RING RING\n"
	    "ev URC RING RING\n"
	    "ev URC RING RING\n"
	    "cmd \"AT\" \"\"\n"			/* echo ends with CR alone */
	    "rx \"AT\\rOK\\r\"\n"
	    "ev ECHO AT\n"
	    "ev FINAL OK\n"
	    "rx \"+CMTI: \\\"SM\\\",4\"\n");	/* no terminator: nothing */
}

static void
test_garbage(void)
{
	replay("garbage",
	    "rx \"O\\0K\\r\\n\"\n"		/* NUL dropped */
	    "ev FINAL OK\n"
	    "rx \"\\0\\0\\0\\r\\n\\0\"\n"	/* NULs alone: no line */
	    "rx \"+CMTI: \\\"SM\\\",\\0\" \n"
	    "rx \"5\\r\\n\"\n"
	    "ev URC NEW_MSG_INDEX +CMTI: \"SM\",5 mem=SM index=5\n"
	    "rx \"\\xc3\\x28\\xff garbage\\x7f\\r\\n\"\n"
	    "ev URC OTHER \\xc3(\\xff garbage\\x7f\n"
	    "rx \"\\xff\\xfeRDY\\r\\n\"\n"
	    "ev URC BOOT \\xff\\xfeRDY\n"
	    "rx \"> not a prompt\\r\\n\"\n"	/* no prompt awaited */
	    "ev URC OTHER > not a prompt\n"
	    "rx \">\\r\\n\"\n"
	    "ev URC OTHER >\n");
}

static void
test_overflow(void)
{
	replay("overflow",
	    "rxrep 1100 \"A\"\n"
	    "rx \"\\r\\nOK\\r\\n\"\n"
	    "ev OVERFLOW 1024\n"
	    "ev FINAL OK\n"
	    "rxrep 1024 \"B\"\n"		/* exactly the cap: fits */
	    "rx \"\\r\\n\"\n"
	    "ev URC OTHER " /* 1024 B follow */
	    "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB"
	    "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB"
	    "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB"
	    "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB"
	    "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB"
	    "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB"
	    "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB"
	    "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB"
	    "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB"
	    "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB"
	    "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB"
	    "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB"
	    "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB"
	    "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB"
	    "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB"
	    "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB"
	    "\n"
	    "rxrep 1025 \"C\"\n"		/* one over */
	    "rx \"\\nRING\\r\\n\"\n"
	    "ev OVERFLOW 1024\n"
	    "ev URC RING RING\n"
	    "rx \"+CMT: ,23\\r\\n\"\n"		/* a PDU line far too long */
	    "rxrep 3000 \"0\"\n"
	    "rx \"\\r\\n+CMTI: \\\"SM\\\",1\\r\\n\"\n"
	    "ev URC MSG +CMT: ,23 NOPDU\n"
	    "ev OVERFLOW 1024\n"
	    "ev URC NEW_MSG_INDEX +CMTI: \"SM\",1 mem=SM index=1\n");
}

static void
test_urc_inside(void)
{
	replay("urc_inside",
	    "cmd \"AT+CSQ\" \"+CSQ:\"\n"
	    "rx \"\\r\\n+CMTI: \\\"SM\\\",2\\r\\n\\r\\n+CSQ: 20,99\\r\\n\"\n"
	    "rx \"\\r\\n+CREG: 1\\r\\n\\r\\nOK\\r\\n\"\n"
	    "ev URC NEW_MSG_INDEX +CMTI: \"SM\",2 mem=SM index=2\n"
	    "ev INT +CSQ: 20,99\n"
	    "ev URC REG +CREG: 1 stat=1\n"
	    "ev FINAL OK\n"
	    /* the command is over: the same line is now unsolicited */
	    "rx \"\\r\\n+CSQ: 20,99\\r\\n\"\n"
	    "ev URC OTHER +CSQ: 20,99\n"
	    /* the echo is recognised once; a second copy is not echo */
	    "cmd \"AT+CGMI\" \"\" bare\n"
	    "rx \"AT+CGMI\\r\\r\\nAT+CGMI\\r\\n\\r\\nOK\\r\\n\"\n"
	    "ev ECHO AT+CGMI\n"
	    "ev INT AT+CGMI\n"
	    "ev FINAL OK\n");
}

static void
test_prompt(void)
{
	replay("prompt",
	    /* "> " with no newline, echo off */
	    "cmd \"AT+CMGS=10\" \"+CMGS:\" prompt\n"
	    "rx \"\\r\\n> \"\n"
	    "ev PROMPT\n"
	    "rx \"\\r\\n+CMGS: 7\\r\\n\\r\\nOK\\r\\n\"\n"
	    "ev INT +CMGS: 7\n"
	    "ev FINAL OK\n"
	    /* ">" alone, then the answer straight after */
	    "cmd \"AT+CMGS=10\" \"+CMGS:\" prompt\n"
	    "rx \"\\r\\n>\"\n"
	    "ev PROMPT\n"
	    "rx \"+CMGS: 8\\r\\n\\r\\nOK\\r\\n\"\n"
	    "ev INT +CMGS: 8\n"
	    "ev FINAL OK\n"
	    /* +CMTI between AT+CMGS and "> ", echo on */
	    "cmd \"AT+CMGS=10\" \"+CMGS:\" prompt\n"
	    "rx \"AT+CMGS=10\\r\\r\\n+CMTI: \\\"ME\\\",9\\r\\n\\r\\n> \"\n"
	    "ev ECHO AT+CMGS=10\n"
	    "ev URC NEW_MSG_INDEX +CMTI: \"ME\",9 mem=ME index=9\n"
	    "ev PROMPT\n"
	    /* a second '>' is no second prompt; ESC cancels: echoed */
	    "rx \"\\x1b\\r\\n> \\r\\n\\r\\nOK\\r\\n\"\n"
	    "ev ECHO \\x1b\n"
	    "ev URC OTHER >\\x20\n"
	    "ev FINAL OK\n"
	    /* the prompt never comes: an error ends the command */
	    "cmd \"AT+CMGS=10\" \"+CMGS:\" prompt\n"
	    "rx \"\\r\\n+CMS ERROR: 304\\r\\n\\r\\n> \\r\\n\"\n"
	    "ev FINAL +CMS ERROR 304\n"
	    "ev URC OTHER >\\x20\n");
}

static void
test_two_line(void)
{
	replay("two_line",
	    /* a final result cuts in: the header alone, then the final */
	    "rx \"+CMT: ,23\\r\\nOK\\r\\n\"\n"
	    "ev URC MSG +CMT: ,23 NOPDU\n"
	    "ev FINAL OK\n"
	    /* a URC cuts in */
	    "rx \"+CDS: 25\\r\\n+CMTI: \\\"SM\\\",2\\r\\n\"\n"
	    "ev URC STATUS_REPORT +CDS: 25 NOPDU\n"
	    "ev URC NEW_MSG_INDEX +CMTI: \"SM\",2 mem=SM index=2\n"
	    /* empty lines between header and PDU are skipped */
	    "rx \"+CMT: ,5\\r\\n\\r\\n\\r\\n0011AABBCC\\r\\n\"\n"
	    "ev URC MSG +CMT: ,5 PDU 0011AABBCC\n"
	    /* an empty slot followed by a full one */
	    "cmd \"AT+CMGL=4\" \"+CMGL:\"\n"
	    "rx \"+CMGL: 1,0,,0\\r\\n+CMGL: 2,0,,5\\r\\n0011AABBCC\\r\\n\"\n"
	    "rx \"+CMGL: 3,0,,0\\r\\nOK\\r\\n\"\n"
	    "ev INT +CMGL: 1,0,,0 NOPDU\n"
	    "ev INT +CMGL: 2,0,,5 PDU 0011AABBCC\n"
	    "ev INT +CMGL: 3,0,,0 NOPDU\n"
	    "ev FINAL OK\n"
	    /* a +CMT header followed by another */
	    "rx \"+CMT: ,1\\r\\n+CMT: ,2\\r\\n00\\r\\n\"\n"
	    "ev URC MSG +CMT: ,1 NOPDU\n"
	    "ev URC MSG +CMT: ,2 PDU 00\n"
	    /* a prompt is not taken while a PDU line is owed */
	    "cmd \"AT+CMGS=10\" \"+CMGS:\" prompt\n"
	    "rx \"+CMT: ,1\\r\\n> \\r\\n> \"\n"
	    "ev URC MSG +CMT: ,1 NOPDU\n"
	    "ev URC OTHER >\\x20\n"
	    "ev PROMPT\n");
}

static void
test_flush(void)
{
	replay("flush",
	    "cmd \"AT+CSQ\" \"+CSQ:\"\n"
	    "rx \"\\r\\n+CSQ: 5,0\"\n"
	    "flush\n"
	    "ev INT +CSQ: 5,0\n"
	    "rx \"\\r\\nOK\"\n"
	    "flush\n"
	    "ev FINAL OK\n"
	    "rx \"+CMT: ,5\\r\\n\"\n"
	    "flush\n"
	    "ev URC MSG +CMT: ,5 NOPDU\n"
	    "rx \"+CMT: ,5\\r\\nRI\"\n"
	    "flush\n"
	    "ev URC MSG +CMT: ,5 NOPDU\n"
	    "ev URC OTHER RI\n"
	    "rx \"+CDS: 5\\r\\n0011\"\n"
	    "flush\n"
	    "ev URC STATUS_REPORT +CDS: 5 PDU 0011\n"
	    "flush\n"
	    "rxrep 1500 \"x\"\n"
	    "flush\n"
	    "rx \"ING\\r\\nRING\\r\\n\"\n"
	    "ev OVERFLOW 1024\n"
	    "ev URC OTHER ING\n"
	    "ev URC RING RING\n");
}

/* API contract: push stops at a ready event; errors; reset; pointers. */
static void
test_api(void)
{
	struct at_lexer	*lx;
	struct at_event	 ev;
	char		 big[AT_LEXER_CMD_MAX + 2];
	const char	*in = "OK\r\nRING\r\n";

	lx = at_lexer_new();
	tt_assert(lx != NULL);
	tt_int_op(at_lexer_check(lx), ==, 0);
	tt_int_op(at_lexer_next(lx, &ev), ==, 0);
	tt_uint_op(at_lexer_push(lx, NULL, 0), ==, 0);

	/* stops after "OK\r" and then refuses more until drained */
	tt_uint_op(at_lexer_push(lx, in, strlen(in)), ==, 3);
	tt_int_op(at_lexer_check(lx), ==, 0);
	tt_uint_op(at_lexer_push(lx, in + 3, strlen(in) - 3), ==, 0);
	tt_int_op(at_lexer_next(lx, &ev), ==, 1);
	tt_int_op(ev.type, ==, AT_EV_FINAL);
	tt_str_op(ev.line, ==, "OK");
	tt_uint_op(ev.len, ==, 2);
	tt_int_op(at_lexer_next(lx, &ev), ==, 0);
	tt_uint_op(at_lexer_push(lx, in + 3, strlen(in) - 3), ==, 6);
	tt_int_op(at_lexer_next(lx, &ev), ==, 1);
	tt_int_op(ev.type, ==, AT_EV_URC);
	tt_int_op(ev.resp.urc, ==, AT_URC_RING);

	/* over-long context strings are refused and change nothing */
	memset(big, 'A', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	tt_assert(at_lexer_cmd(lx, big, NULL, 0) != NULL);
	tt_assert(at_lexer_cmd(lx, "AT", "+XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX:",
	    0) != NULL);
	tt_uint_op(at_lexer_push(lx, "AT\r", 3), ==, 3);
	tt_int_op(at_lexer_next(lx, &ev), ==, 1);
	tt_int_op(ev.type, ==, AT_EV_URC);		/* not an echo */
	tt_assert(at_lexer_cmd(lx, "AT", NULL, 0) == NULL);
	tt_uint_op(at_lexer_push(lx, "AT\r", 3), ==, 3);
	tt_int_op(at_lexer_next(lx, &ev), ==, 1);
	tt_int_op(ev.type, ==, AT_EV_ECHO);

	/* reset forgets partial lines and the command */
	tt_uint_op(at_lexer_push(lx, "+CMT: ,5\r\nOK", 12), ==, 12);
	at_lexer_reset(lx);
	tt_int_op(at_lexer_check(lx), ==, 0);
	tt_uint_op(at_lexer_push(lx, "\r\n", 2), ==, 2);
	tt_int_op(at_lexer_next(lx, &ev), ==, 0);
	tt_uint_op(at_lexer_push(lx, "AT\r", 3), ==, 3);
	tt_int_op(at_lexer_next(lx, &ev), ==, 1);
	tt_int_op(ev.type, ==, AT_EV_URC);

	tt_str_op(at_lexer_ev_name(AT_EV_PROMPT), ==, "PROMPT");
	tt_str_op(at_lexer_ev_name((enum at_ev)42), ==, "?");
end:
	at_lexer_free(lx);
}

/* A modem streaming garbage forever: bounded, one event per line. */
static void
test_endless(void)
{
	struct at_lexer	*lx;
	struct at_event	 ev;
	char		 buf[4096];
	size_t		 i, n, events = 0, off;

	lx = at_lexer_new();
	tt_assert(lx != NULL);
	memset(buf, 0xff, sizeof buf);
	for (i = 0; i < 2048; i++) {	/* 8 MB, no terminator */
		for (off = 0; off < sizeof buf; off += n) {
			n = at_lexer_push(lx, buf + off, sizeof buf - off);
			while (at_lexer_next(lx, &ev)) {
				tt_int_op(ev.type, ==, AT_EV_OVERFLOW);
				events++;
			}
			tt_int_op(at_lexer_check(lx), ==, 0);
		}
	}
	tt_uint_op(events, ==, 1);
	tt_uint_op(at_lexer_push(lx, "\nOK\n", 4), ==, 4);
	tt_int_op(at_lexer_next(lx, &ev), ==, 1);
	tt_int_op(ev.type, ==, AT_EV_FINAL);
end:
	at_lexer_free(lx);
}

/* The header's <length> travels with its PDU line (TS 27.005). */
static void
test_pdu_len(void)
{
	static const char	 in[] = "+CMT: ,22\r\n0011AABBCC\r\n"
	    "+CDS: 25\r\n06050B\r\n";
	struct at_lexer		*lx = at_lexer_new();
	struct at_event		 ev;
	size_t			 n;

	tt_assert(lx != NULL);
	/* the lexer stops taking bytes once an event is ready */
	n = at_lexer_push(lx, in, sizeof in - 1);
	tt_int_op(at_lexer_next(lx, &ev), ==, 1);
	tt_assert(ev.pdu != NULL);
	tt_int_op(ev.resp.urc, ==, AT_URC_MSG);
	tt_int_op(ev.resp.pdu_len, ==, 22);
	(void)at_lexer_push(lx, in + n, sizeof in - 1 - n);
	tt_int_op(at_lexer_next(lx, &ev), ==, 1);
	tt_assert(ev.pdu != NULL);
	tt_int_op(ev.resp.urc, ==, AT_URC_STATUS_REPORT);
	tt_int_op(ev.resp.pdu_len, ==, 25);
end:
	at_lexer_free(lx);
}

static const struct tt_case cases[] = {
	{ "lexer/sim800_boot", test_sim800 },
	{ "lexer/huawei_e3131", test_huawei },
	{ "lexer/quectel_ec25", test_quectel },
	{ "lexer/terminators", test_terminators },
	{ "lexer/garbage", test_garbage },
	{ "lexer/overflow", test_overflow },
	{ "lexer/urc_inside", test_urc_inside },
	{ "lexer/prompt", test_prompt },
	{ "lexer/two_line", test_two_line },
	{ "lexer/flush", test_flush },
	{ "lexer/api", test_api },
	{ "lexer/endless", test_endless },
	{ "lexer/pdu_len", test_pdu_len },
	TT_END
};

int
main(int argc, char **argv)
{
	return tt_main(argc, argv, cases);
}
