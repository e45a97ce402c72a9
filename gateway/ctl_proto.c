/*
 * gateway/ctl_proto.c — the control protocol codec: request parsing
 * against the verb table, quoting, reply formatting and the client-side
 * reply reader.  The protocol itself is described in ctl_proto.h.
 *
 * Modelled on tmux control mode (one command per line, %begin/%end
 * guards, no notification inside a guard) and SMTP-style numeric replies;
 * unlike tmux, the guard carries only the request number (no timestamp:
 * a pure codec has no clock) and the final line comes after %end, so
 * every request has exactly one final line whether it has a body or not.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "ctl_proto.h"

static const char *const ctl_proto_onoff[] = { "on", "off", NULL };
static const char *const ctl_proto_client[] = { "tambuli", NULL };
static const char *const ctl_proto_wipe[] = { "stop", "destroy", NULL };

#define CTL_PROTO_NONE	{ 0, NULL, 0, 0, NULL }
#define CTL_PROTO_ID	1, LLONG_MAX

/* Indexed by verb; append only, like enum ctl_verb. */
static const struct ctl_proto_verb ctl_proto_verbs[] = {
	[CTL_VERB_HELLO] = { CTL_VERB_HELLO, "HELLO", 2, 2, 0, {
	    { CTL_ARG_WORD, "client", 0, 0, ctl_proto_client },
	    { CTL_ARG_INT, "version", 0, 65535, NULL } },
	    "open the session: HELLO tambuli VERSION" },
	[CTL_VERB_STATUS] = { CTL_VERB_STATUS, "STATUS", 0, 1, 0, {
	    { CTL_ARG_WORD, "modem", 0, 0, NULL }, CTL_PROTO_NONE },
	    "modems, queue and broadcasts in progress" },
	[CTL_VERB_KICK] = { CTL_VERB_KICK, "KICK", 0, 0, 0, {
	    CTL_PROTO_NONE, CTL_PROTO_NONE },
	    "new work in the database: wake the scheduler" },
	[CTL_VERB_WATCH] = { CTL_VERB_WATCH, "WATCH", 1, 1, 0, {
	    { CTL_ARG_INT, "broadcast", CTL_PROTO_ID, NULL }, CTL_PROTO_NONE },
	    "stream a broadcast's progress as events" },
	[CTL_VERB_USSD] = { CTL_VERB_USSD, "USSD", 2, 2,
	    CTL_PROTO_F_PRIVILEGED, {
	    { CTL_ARG_WORD, "modem", 0, 0, NULL },
	    { CTL_ARG_STRING, "code", 0, 0, NULL } },
	    "run a USSD code on a modem (- for any)" },
	[CTL_VERB_USSD_REPLY] = { CTL_VERB_USSD_REPLY, "USSD-REPLY", 2, 2,
	    CTL_PROTO_F_PRIVILEGED, {
	    { CTL_ARG_WORD, "modem", 0, 0, NULL },
	    { CTL_ARG_STRING, "text", 0, 0, NULL } },
	    "answer a USSD menu (the session is the modem's)" },
	[CTL_VERB_USSD_CANCEL] = { CTL_VERB_USSD_CANCEL, "USSD-CANCEL", 1, 1,
	    CTL_PROTO_F_PRIVILEGED, {
	    { CTL_ARG_WORD, "modem", 0, 0, NULL }, CTL_PROTO_NONE },
	    "end a modem's USSD session" },
	[CTL_VERB_TRACE] = { CTL_VERB_TRACE, "TRACE", 1, 1,
	    CTL_PROTO_F_PRIVILEGED, {
	    { CTL_ARG_WORD, "names", 0, 0, NULL }, CTL_PROTO_NONE },
	    "set the traces (at,db,ctl,sched or none)" },
	[CTL_VERB_LOG_DEBUG] = { CTL_VERB_LOG_DEBUG, "LOG-DEBUG", 1, 1,
	    CTL_PROTO_F_PRIVILEGED, {
	    { CTL_ARG_WORD, "on|off", 0, 0, ctl_proto_onoff },
	    CTL_PROTO_NONE },
	    "turn debug logging on or off" },
	[CTL_VERB_RELOAD] = { CTL_VERB_RELOAD, "RELOAD", 0, 0,
	    CTL_PROTO_F_PRIVILEGED, { CTL_PROTO_NONE, CTL_PROTO_NONE },
	    "re-read the configuration" },
	[CTL_VERB_QUIT] = { CTL_VERB_QUIT, "QUIT", 0, 0, 0, {
	    CTL_PROTO_NONE, CTL_PROTO_NONE },
	    "end the session" },
	[CTL_VERB_BALANCE] = { CTL_VERB_BALANCE, "BALANCE", 1, 1,
	    CTL_PROTO_F_PRIVILEGED, {
	    { CTL_ARG_WORD, "modem", 0, 0, NULL }, CTL_PROTO_NONE },
	    "check SIM balances now (a modem, or - for every one)" },
	[CTL_VERB_WIPE] = { CTL_VERB_WIPE, "WIPE", 1, 2,
	    CTL_PROTO_F_PRIVILEGED, {
	    { CTL_ARG_STRING, "database", 0, 0, NULL },
	    { CTL_ARG_WORD, "stop|destroy", 0, 0, ctl_proto_wipe } },
	    "panic wipe of this daemon's database: stop at once and for good "
	    "(stop: the caller destroys the files; destroy: the daemon "
	    "does)" },
};
#define CTL_PROTO_NVERBS (sizeof ctl_proto_verbs / sizeof ctl_proto_verbs[0])

const struct ctl_proto_verb *
ctl_proto_verb(enum ctl_verb v)
{
	if ((size_t)v == 0 || (size_t)v >= CTL_PROTO_NVERBS ||
	    ctl_proto_verbs[v].name == NULL)
		return NULL;
	return &ctl_proto_verbs[v];
}

const struct ctl_proto_verb *
ctl_proto_verb_find(const char *name, size_t len)
{
	size_t	i;

	for (i = 1; i < CTL_PROTO_NVERBS; i++) {
		if (ctl_proto_verbs[i].name != NULL &&
		    strlen(ctl_proto_verbs[i].name) == len &&
		    memcmp(ctl_proto_verbs[i].name, name, len) == 0)
			return &ctl_proto_verbs[i];
	}
	return NULL;
}

const char *
ctl_proto_verb_name(enum ctl_verb v)
{
	const struct ctl_proto_verb	*vp;

	return (vp = ctl_proto_verb(v)) != NULL ? vp->name : "?";
}

static int
ctl_proto_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* A byte that forces quoting (and is escaped inside quotes). */
static int
ctl_proto_special(unsigned char c)
{
	return c < 0x20 || c == 0x7f || c == ' ' || c == '"' || c == '\\';
}

int
ctl_proto_split(const char *s, size_t len, char *buf, size_t buflen,
    struct ctl_arg *argv, size_t maxargs, size_t *argc, const char **err)
{
	size_t		i = 0, o = 0, start;
	int		hi, lo;
	unsigned char	c;

	*argc = 0;
	for (;;) {
		while (i < len && s[i] == ' ')
			i++;
		if (i == len)
			break;
		if (*argc == maxargs) {
			*err = "too many arguments";
			return -1;
		}
		if (o >= buflen) {
			*err = "arguments too long";
			return -1;
		}
		start = o;
		if (s[i] == '"') {
			for (i++;; i++) {
				if (i == len) {
					*err = "unterminated quote";
					return -1;
				}
				c = (unsigned char)s[i];
				if (c == '"')
					break;
				if (c == '\0') {
					*err = "NUL byte in argument";
					return -1;
				}
				if (c < 0x20 || c == 0x7f) {
					*err = "control character in quoted "
					    "argument (use \\xHH)";
					return -1;
				}
				if (c == '\\') {
					if (++i == len) {
						*err = "unterminated quote";
						return -1;
					}
					switch (s[i]) {
					case '"':
					case '\\':
						c = (unsigned char)s[i];
						break;
					case 'n':
						c = '\n';
						break;
					case 't':
						c = '\t';
						break;
					case 'x':
						if (len - i < 3 ||
						    (hi = ctl_proto_hexval(
						    s[i + 1])) < 0 ||
						    (lo = ctl_proto_hexval(
						    s[i + 2])) < 0) {
							*err = "bad \\x escape "
							    "(want two hex "
							    "digits)";
							return -1;
						}
						c = (unsigned char)(hi << 4 |
						    lo);
						if (c == '\0') {
							*err = "NUL byte in "
							    "argument";
							return -1;
						}
						i += 2;
						break;
					default:
						*err = "bad escape in quoted "
						    "argument";
						return -1;
					}
				}
				if (o + 1 >= buflen) {
					*err = "arguments too long";
					return -1;
				}
				buf[o++] = (char)c;
			}
			i++;	/* closing quote */
			if (i < len && s[i] != ' ') {
				*err = "text after closing quote";
				return -1;
			}
		} else {
			for (; i < len && s[i] != ' '; i++) {
				c = (unsigned char)s[i];
				if (c == '\0') {
					*err = "NUL byte in argument";
					return -1;
				}
				if (c == '"' || c == '\\') {
					*err = "quote or backslash in unquoted "
					    "argument";
					return -1;
				}
				if (c < 0x20 || c == 0x7f) {
					*err = "control character in unquoted "
					    "argument";
					return -1;
				}
				if (o + 1 >= buflen) {
					*err = "arguments too long";
					return -1;
				}
				buf[o++] = (char)c;
			}
		}
		buf[o] = '\0';
		argv[*argc].s = buf + start;
		argv[*argc].len = o - start;
		argv[*argc].n = 0;
		(*argc)++;
		o++;
	}
	return 0;
}

static int
ctl_proto_isword(const char *s, size_t len)
{
	size_t	i;
	char	c;

	if (len == 0)
		return 0;
	for (i = 0; i < len; i++) {
		c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || strchr("_.,:+-", c) != NULL) ||
		    c == '\0')
			return 0;
	}
	return 1;
}

/* Strict decimal: optional '-', digits, no leading zeros, no overflow. */
static int
ctl_proto_number(const char *s, size_t len, long long *v)
{
	unsigned long long	n = 0, lim;
	size_t			i = 0;
	int			neg = 0;

	if (len > 0 && s[0] == '-') {
		neg = 1;
		i = 1;
	}
	if (i == len || (s[i] == '0' && len - i > 1))
		return -1;
	lim = neg ? (unsigned long long)LLONG_MAX + 1 : LLONG_MAX;
	for (; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		if (n > (lim - (unsigned)(s[i] - '0')) / 10)
			return -1;
		n = n * 10 + (unsigned)(s[i] - '0');
	}
	if (neg && n == 0)
		return -1;	/* "-0" */
	if (neg)
		*v = n == (unsigned long long)LLONG_MAX + 1 ? LLONG_MIN :
		    -(long long)n;
	else
		*v = (long long)n;
	return 0;
}

static int
ctl_proto_check_arg(const struct ctl_proto_argspec *as, struct ctl_arg *a,
    const char **err)
{
	size_t	i;

	switch (as->type) {
	case CTL_ARG_STRING:
		return 0;
	case CTL_ARG_INT:
		if (ctl_proto_number(a->s, a->len, &a->n) != 0) {
			*err = "bad integer argument";
			return -1;
		}
		if (a->n < as->min || a->n > as->max) {
			*err = "integer argument out of range";
			return -1;
		}
		return 0;
	case CTL_ARG_WORD:
		if (as->words != NULL) {
			for (i = 0; as->words[i] != NULL; i++) {
				if (strcmp(as->words[i], a->s) == 0)
					return 0;
			}
			*err = "argument is not one of the allowed words";
			return -1;
		}
		if (!ctl_proto_isword(a->s, a->len)) {
			*err = "bad word argument";
			return -1;
		}
		return 0;
	}
	*err = "bad argument type in verb table";
	return -1;
}

static int
ctl_proto_check(const struct ctl_proto_verb *vp, struct ctl_arg *argv,
    size_t argc, const char **err)
{
	const struct ctl_proto_argspec	*as;
	size_t				 i;

	if (argc < vp->min) {
		*err = "too few arguments";
		return -1;
	}
	if (argc > vp->max) {
		*err = "too many arguments";
		return -1;
	}
	for (i = 0; i < argc; i++) {
		as = &vp->args[i < 2 ? i : 1];
		if (ctl_proto_check_arg(as, &argv[i], err) != 0)
			return -1;
	}
	return 0;
}

int
ctl_proto_parse(const char *line, size_t len, struct ctl_request *req,
    const char **err)
{
	const struct ctl_proto_verb	*vp;
	size_t				 vlen;

	req->verb = 0;
	req->argc = 0;
	if (len > 0 && line[len - 1] == '\r')
		len--;
	if (len > CTL_PROTO_LINE_MAX) {
		*err = "line too long";
		return -1;
	}
	if (memchr(line, '\0', len) != NULL) {
		*err = "NUL byte in request";
		return -1;
	}
	for (vlen = 0; vlen < len && line[vlen] != ' '; vlen++)
		;
	if (vlen == 0) {
		*err = len == 0 ? "empty request" : "space before verb";
		return -1;
	}
	if ((vp = ctl_proto_verb_find(line, vlen)) == NULL) {
		*err = "unknown verb";
		return -1;
	}
	if (ctl_proto_split(line + vlen, len - vlen, req->buf,
	    sizeof req->buf, req->argv, CTL_PROTO_ARGS_MAX, &req->argc,
	    err) != 0)
		return -1;
	if (ctl_proto_check(vp, req->argv, req->argc, err) != 0)
		return -1;
	req->verb = vp->verb;
	return 0;
}

int
ctl_proto_quote(const char *arg, char *out, size_t outlen)
{
	static const char	 hex[] = "0123456789abcdef";
	const unsigned char	*p;
	size_t			 o = 0;
	int			 quote;
	char			 esc[4];
	size_t			 n, k;

	quote = *arg == '\0';
	for (p = (const unsigned char *)arg; *p != '\0'; p++) {
		if (ctl_proto_special(*p))
			quote = 1;
	}
	if (!quote) {
		n = strlen(arg);
		if (n >= outlen || n > INT_MAX)
			return -1;
		memcpy(out, arg, n + 1);
		return (int)n;
	}
	if (outlen < 3)
		return -1;
	out[o++] = '"';
	for (p = (const unsigned char *)arg; *p != '\0'; p++) {
		n = 0;
		switch (*p) {
		case '"':
		case '\\':
			esc[n++] = '\\';
			esc[n++] = (char)*p;
			break;
		case '\n':
			esc[n++] = '\\';
			esc[n++] = 'n';
			break;
		case '\t':
			esc[n++] = '\\';
			esc[n++] = 't';
			break;
		default:
			if (*p < 0x20 || *p == 0x7f) {
				esc[n++] = '\\';
				esc[n++] = 'x';
				esc[n++] = hex[*p >> 4];
				esc[n++] = hex[*p & 0xf];
			} else
				esc[n++] = (char)*p;
			break;
		}
		/* room for this, the closing quote and the NUL */
		if (o + n + 2 > outlen || o + n + 2 > INT_MAX)
			return -1;
		for (k = 0; k < n; k++)
			out[o++] = esc[k];
	}
	out[o++] = '"';
	out[o] = '\0';
	return (int)o;
}

/* Append " ARG" (quoted as needed) for each of argv. */
static int
ctl_proto_append_args(const char *const *argv, char *out, size_t outlen,
    size_t *o)
{
	int	n;

	for (; argv != NULL && *argv != NULL; argv++) {
		if (*o + 1 >= outlen)
			return -1;
		out[(*o)++] = ' ';
		if ((n = ctl_proto_quote(*argv, out + *o, outlen - *o)) < 0)
			return -1;
		*o += (size_t)n;
	}
	return 0;
}

int
ctl_proto_format_request(enum ctl_verb verb, const char *const *argv,
    char *out, size_t outlen, const char **err)
{
	const struct ctl_proto_verb	*vp;
	struct ctl_arg			 args[CTL_PROTO_ARGS_MAX];
	size_t				 argc, o;

	if ((vp = ctl_proto_verb(verb)) == NULL) {
		*err = "unknown verb";
		return -1;
	}
	for (argc = 0; argv != NULL && argv[argc] != NULL; argc++) {
		if (argc == CTL_PROTO_ARGS_MAX) {
			*err = "too many arguments";
			return -1;
		}
		args[argc].s = argv[argc];
		args[argc].len = strlen(argv[argc]);
		args[argc].n = 0;
	}
	if (ctl_proto_check(vp, args, argc, err) != 0)
		return -1;
	o = strlen(vp->name);
	if (o + 1 >= outlen) {
		*err = "request too long";
		return -1;
	}
	memcpy(out, vp->name, o);
	if (ctl_proto_append_args(argv, out, outlen, &o) != 0 ||
	    o > CTL_PROTO_LINE_MAX || o + 2 > outlen) {
		*err = "request too long";
		return -1;
	}
	out[o++] = '\n';
	out[o] = '\0';
	return (int)o;
}

int
ctl_proto_format_final(int code, const char *text, char *out, size_t outlen)
{
	size_t	o, i;

	if (code < 200 || code > 599 || outlen < 6)
		return -1;
	snprintf(out, outlen, "%03d", code);
	o = 3;
	if (text != NULL && *text != '\0') {
		out[o++] = ' ';
		for (i = 0; text[i] != '\0'; i++) {
			if (o + 2 >= outlen || o >= CTL_PROTO_LINE_MAX)
				return -1;
			out[o++] = (unsigned char)text[i] < 0x20 ||
			    text[i] == 0x7f ? '?' : text[i];
		}
	}
	out[o++] = '\n';
	out[o] = '\0';
	return (int)o;
}

static int
ctl_proto_format_guard(const char *what, unsigned long long reqno,
    char *out, size_t outlen)
{
	int	n;

	if (reqno == 0)
		return -1;
	n = snprintf(out, outlen, "%%%s %llu\n", what, reqno);
	if (n < 0 || (size_t)n >= outlen)
		return -1;
	return n;
}

int
ctl_proto_format_begin(unsigned long long reqno, char *out, size_t outlen)
{
	return ctl_proto_format_guard("begin", reqno, out, outlen);
}

int
ctl_proto_format_end(unsigned long long reqno, char *out, size_t outlen)
{
	return ctl_proto_format_guard("end", reqno, out, outlen);
}

int
ctl_proto_format_body(const char *line, size_t len, char *out, size_t outlen)
{
	const char	*nl;
	size_t		 o = 0;

	if ((nl = memchr(line, '\n', len)) != NULL)
		len = (size_t)(nl - line);
	if (outlen < 3)
		return -1;
	if (len > 0 && line[0] == '%')
		out[o++] = '%';		/* outlen checked below */
	if (o + len > CTL_PROTO_LINE_MAX || o + len + 2 > outlen)
		return -1;
	memcpy(out + o, line, len);
	o += len;
	out[o++] = '\n';
	out[o] = '\0';
	return (int)o;
}

int
ctl_proto_format_event(const char *name, const char *const *argv, char *out,
    size_t outlen)
{
	static const char	 tag[] = "%event ";
	size_t			 nl = strlen(name), o;

	if (!ctl_proto_isword(name, nl))
		return -1;
	o = sizeof tag - 1 + nl;
	if (o + 2 > outlen)
		return -1;
	/* the length is checked above: copy, no format to truncate */
	memcpy(out, tag, sizeof tag - 1);
	memcpy(out + sizeof tag - 1, name, nl);
	out[o] = '\0';
	if (ctl_proto_append_args(argv, out, outlen, &o) != 0 ||
	    o > CTL_PROTO_LINE_MAX || o + 2 > outlen)
		return -1;
	out[o++] = '\n';
	out[o] = '\0';
	return (int)o;
}

void
ctl_proto_reader_init(struct ctl_proto_reader *r)
{
	memset(r, 0, sizeof *r);
}

void
ctl_proto_reader_sent(struct ctl_proto_reader *r)
{
	r->sent++;
}

int
ctl_proto_reader_idle(const struct ctl_proto_reader *r)
{
	return !r->broken && !r->inblock && r->done == r->sent;
}

/* "%WORD N" exactly, N a request number without leading zeros. */
static int
ctl_proto_reader_guard(const char *line, size_t len, const char *word,
    unsigned long long *reqno)
{
	size_t		wl = strlen(word);
	long long	v;

	if (len < wl + 3 || memcmp(line + 1, word, wl) != 0 ||
	    line[wl + 1] != ' ')
		return -1;
	if (ctl_proto_number(line + wl + 2, len - wl - 2, &v) != 0 || v <= 0)
		return -1;
	*reqno = (unsigned long long)v;
	return 0;
}

static int
ctl_proto_reader_fail(struct ctl_proto_reader *r, const char **err,
    const char *msg)
{
	r->broken = 1;
	*err = msg;
	return -1;
}

static int
ctl_proto_reader_event(struct ctl_proto_reader *r, const char *line,
    size_t len, struct ctl_proto_item *it, const char **err)
{
	size_t	i;

	/* "%event NAME [ARGS]" */
	if (ctl_proto_split(line + 7, len - 7, it->buf, sizeof it->buf,
	    it->argv, CTL_PROTO_ARGS_MAX, &it->argc, err) != 0)
		return ctl_proto_reader_fail(r, err, *err);
	if (it->argc == 0 || !ctl_proto_isword(it->argv[0].s,
	    it->argv[0].len))
		return ctl_proto_reader_fail(r, err, "bad event name");
	it->type = CTL_ITEM_EVENT;
	it->name = it->argv[0].s;
	for (i = 1; i < it->argc; i++)
		it->argv[i - 1] = it->argv[i];
	it->argc--;
	return 0;
}

int
ctl_proto_reader_line(struct ctl_proto_reader *r, const char *line,
    size_t len, struct ctl_proto_item *it, const char **err)
{
	unsigned long long	 reqno;
	size_t			 i;

	memset(it, 0, offsetof(struct ctl_proto_item, buf));
	it->buf[0] = '\0';
	if (r->broken) {
		*err = "connection already broken by a protocol error";
		return -1;
	}
	if (len > 0 && line[len - 1] == '\r')
		len--;
	if (len > CTL_PROTO_LINE_MAX)
		return ctl_proto_reader_fail(r, err, "reply line too long");
	if (memchr(line, '\0', len) != NULL)
		return ctl_proto_reader_fail(r, err, "NUL byte in reply");

	if (r->inblock) {
		if (len > 0 && line[0] == '%' && (len < 2 || line[1] != '%')) {
			if (ctl_proto_reader_guard(line, len, "end",
			    &reqno) == 0) {
				if (reqno != r->done + 1)
					return ctl_proto_reader_fail(r, err,
					    "%end does not match %begin");
				r->inblock = 0;
				it->type = CTL_ITEM_END;
				it->reqno = reqno;
				return 0;
			}
			if (len >= 6 && memcmp(line, "%begin", 6) == 0)
				return ctl_proto_reader_fail(r, err,
				    "%begin inside a block");
			if (len >= 6 && memcmp(line, "%event", 6) == 0)
				return ctl_proto_reader_fail(r, err,
				    "%event inside a block");
			return ctl_proto_reader_fail(r, err,
			    "unknown control line inside a block");
		}
		if (len > 0 && line[0] == '%') {
			line++;		/* "%%..." */
			len--;
		}
		memcpy(it->buf, line, len);
		it->buf[len] = '\0';
		it->type = CTL_ITEM_BODY;
		it->reqno = r->done + 1;
		it->text = it->buf;
		it->len = len;
		return 0;
	}

	if (len > 0 && line[0] == '%') {
		if (ctl_proto_reader_guard(line, len, "begin", &reqno) == 0) {
			if (r->done == r->sent)
				return ctl_proto_reader_fail(r, err,
				    "%begin with no request outstanding");
			if (reqno != r->done + 1)
				return ctl_proto_reader_fail(r, err,
				    "%begin for the wrong request");
			r->inblock = 1;
			it->type = CTL_ITEM_BEGIN;
			it->reqno = reqno;
			return 0;
		}
		if (len >= 7 && memcmp(line, "%event ", 7) == 0)
			return ctl_proto_reader_event(r, line, len, it, err);
		if (len >= 4 && memcmp(line, "%end", 4) == 0)
			return ctl_proto_reader_fail(r, err,
			    "%end outside a block");
		if (len >= 2 && line[1] == '%')
			return ctl_proto_reader_fail(r, err,
			    "body line outside a block");
		return ctl_proto_reader_fail(r, err, "unknown control line");
	}

	/* a final line: "NNN" or "NNN text", NNN in 200..599 */
	if (len < 3 || (len > 3 && line[3] != ' '))
		return ctl_proto_reader_fail(r, err, "bad reply line");
	for (i = 0; i < 3; i++) {
		if (line[i] < '0' || line[i] > '9')
			return ctl_proto_reader_fail(r, err, "bad reply line");
	}
	if (line[0] < '2' || line[0] > '5')
		return ctl_proto_reader_fail(r, err, "bad reply code");
	if (r->done == r->sent)
		return ctl_proto_reader_fail(r, err,
		    "reply with no request outstanding");
	it->type = CTL_ITEM_FINAL;
	it->code = (line[0] - '0') * 100 + (line[1] - '0') * 10 +
	    (line[2] - '0');
	it->reqno = ++r->done;
	if (len > 4) {
		memcpy(it->buf, line + 4, len - 4);
		it->len = len - 4;
	}
	it->buf[it->len] = '\0';
	it->text = it->buf;
	return 0;
}
