/*
 * gateway/conf.c — the tambulid configuration parser: an INI dialect
 * read against one table of directives (type, range, default, help), with
 * every error collected as "FILE:LINE: message".
 *
 * Deviations from the usual INI readers, on purpose:
 * - keys and section names are case-sensitive (lowercase); a near miss
 *   ("Database", "databse") gets a "did you mean" hint instead;
 * - a repeated key or section is an error, never "last one wins": with
 *   sensitive settings (who gets forwarded texts) a silent override is a
 *   trap;
 * - ';' and '#' start a comment only at the start of a line or after
 *   whitespace, so "end;INFO" in a reply template survives unquoted.
 */
#include <limits.h>
#include <regex.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "amount.h"
#include "compat.h"
#include "conf.h"

enum conf_sect {
	CONF_S_NONE = 0,	/* before the first section */
	CONF_S_GATEWAY,
	CONF_S_KEYWORDS,
	CONF_S_REPLY,
	CONF_S_MODEM,
	CONF_S_SKIP,		/* after a bad header: ignore its keys */
};

enum conf_type {
	CONF_T_STRING,		/* min..max bytes, no control characters */
	CONF_T_PATH,		/* absolute, at most max bytes */
	CONF_T_TEMPLATE,	/* string with {placeholders}, may hold \n */
	CONF_T_DIGITS,		/* min..max digits */
	CONF_T_INT,		/* min..max */
	CONF_T_DURATION,	/* seconds, min..max */
	CONF_T_BOOL,
	CONF_T_ENUM,		/* index into words */
	CONF_T_NUMBERS,		/* "+digits" list of at most max */
	CONF_T_KEYWORDS,	/* WORD[:LANG] list of at most max */
	CONF_T_LANG,
	CONF_T_REGEX,		/* POSIX extended, with a group; min..max bytes */
	CONF_T_AMOUNT,		/* a decimal number, min..max; unset: -1 */
};

struct conf_directive {
	enum conf_sect		 sect;
	const char		*name;
	enum conf_type		 type;
	long long		 min, max;
	const char		*def;	/* as written in a file; NULL: none */
	size_t			 off;
	int			 flags;
#define CONF_F_REQUIRED	0x1
	const char *const	*words;
	const char		*help;
};

static const char *const conf_encodings[] = {
	"smart", "exact", "strip-accents", NULL	/* enum conf_encoding */
};

/* Languages with built-in keywords and replies. */
static const char *const conf_langs[] = {
	"en", "es", "tl", "zh", "vi", "ht", "ar", NULL
};

static const char *const conf_placeholders[] = {
	"org", "contact", "list", "keyword", NULL
};

#define CONF_MINUTE	60LL
#define CONF_HOUR	3600LL
#define CONF_DAY	86400LL
#define CONF_WEEK	604800LL

#define GW(n, t, lo, hi, def, f, help) \
	{ CONF_S_GATEWAY, n, t, lo, hi, def, offsetof(struct conf, f), 0, \
	  NULL, help }
#define KW(n, f, help) \
	{ CONF_S_KEYWORDS, n, CONF_T_KEYWORDS, 0, 64, "", \
	  offsetof(struct conf, f), 0, NULL, help }
#define RP(n, f, help) \
	{ CONF_S_REPLY, n, CONF_T_TEMPLATE, 1, 1000, NULL, \
	  offsetof(struct conf_reply, f), 0, NULL, help }
#define MD(n, t, lo, hi, def, f, fl, help) \
	{ CONF_S_MODEM, n, t, lo, hi, def, offsetof(struct conf_modem, f), \
	  fl, NULL, help }

static const struct conf_directive conf_table[] = {
	GW("database", CONF_T_PATH, 0, 1024, "/var/lib/tambuli/tambuli.db",
	    database, "the SQLite database"),
	/* sun_path holds 108 bytes with the NUL */
	GW("socket", CONF_T_PATH, 0, 107, "/run/tambuli/tambuli.sock",
	    socket, "the control socket"),
	GW("organization", CONF_T_STRING, 1, 100, "our organization",
	    organization, "who runs the list, named in replies"),
	GW("contact", CONF_T_STRING, 0, 100, "", contact,
	    "how to reach a person, named in INFO replies"),
	GW("country", CONF_T_INT, 1, 999, "1", country,
	    "country calling code for national numbers"),
	GW("language", CONF_T_LANG, 0, 0, "en", language,
	    "language of members who never said theirs"),
	GW("retention", CONF_T_DURATION, CONF_HOUR, 520 * CONF_WEEK, "90d",
	    retention, "rows that name a person go after this long"),
	{ CONF_S_GATEWAY, "encoding", CONF_T_ENUM, 0, 0, "smart",
	    offsetof(struct conf, encoding), 0, conf_encodings,
	    "smart: plain look-alikes for typographic punctuation; exact: "
	    "never change a character; strip-accents: also drop accents" },
	GW("validity", CONF_T_DURATION, 5 * CONF_MINUTE, 63 * CONF_WEEK,
	    "1d", validity, "SMS validity period asked of the network"),
	GW("expires", CONF_T_DURATION, CONF_MINUTE, 4 * CONF_WEEK, "1d",
	    expires, "unsent alert parts expire after this long"),
	GW("poll_window", CONF_T_DURATION, 5 * CONF_MINUTE, 4 * CONF_WEEK,
	    "24h", poll_window, "how long replies to a poll (send --ask) count "
	    "as answers"),
	GW("autoreply_limit", CONF_T_INT, 0, 100, "3", autoreply_limit,
	    "automatic replies per number per hour"),
	GW("forward", CONF_T_NUMBERS, 0, 32, "", forward,
	    "organizers' phones that receive inbox texts"),
	GW("reports", CONF_T_BOOL, 0, 0, "yes", reports,
	    "request delivery reports"),
	GW("group", CONF_T_STRING, 0, 32, "", group,
	    "unix group of the organizers: may use the socket and the "
	    "database (default: tambuli, if that group exists)"),
	GW("user", CONF_T_STRING, 0, 32, "", user,
	    "the user tambulid becomes when started as root (tambuli in the "
	    "packaged configuration; root: stay root on purpose)"),
	GW("client_timeout", CONF_T_DURATION, 1, CONF_HOUR, "30s",
	    client_timeout, "a control client that sends no complete request "
	    "for this long is disconnected"),
	GW("set_clock", CONF_T_BOOL, 0, 0, "no", set_clock,
	    "set the system clock from the network's time (NITZ) when nothing "
	    "else synchronizes it (needs CAP_SYS_TIME)"),
	GW("debug_numbers", CONF_T_BOOL, 0, 0, "no", debug_numbers,
	    "debug logging shows full phone numbers even when the log is the "
	    "journal (a service)"),

	KW("join", kw_join, "extra words that subscribe (WORD or WORD:LANG)"),
	KW("stop", kw_stop, "extra words that opt out (WORD or WORD:LANG)"),
	KW("info", kw_info, "extra words that ask for help (WORD or "
	    "WORD:LANG)"),
	KW("forget", kw_forget, "extra words that ask for the number to be "
	    "deleted (WORD or WORD:LANG)"),

	RP("join", join, "reply to JOIN"),
	RP("stop", stop, "reply to STOP (the last text a member gets)"),
	RP("info", info, "reply to INFO"),
	RP("lang", lang, "reply to a language change"),
	RP("unknown", unknown, "reply to a text that is no keyword"),

	MD("device", CONF_T_PATH, 0, 1024, NULL, device, CONF_F_REQUIRED,
	    "serial device of the modem"),
	MD("baud", CONF_T_INT, 1200, 4000000, "115200", baud, 0,
	    "serial speed"),
	MD("pin", CONF_T_DIGITS, 4, 8, NULL, pin, 0, "SIM PIN"),
	MD("per_minute", CONF_T_INT, 0, 100000, "0", per_minute, 0,
	    "messages per minute at most (0: no cap)"),
	MD("per_hour", CONF_T_INT, 0, 100000, "0", per_hour, 0,
	    "messages per hour at most (0: no cap)"),
	MD("per_day", CONF_T_INT, 0, 100000, "0", per_day, 0,
	    "messages per day at most (0: no cap)"),
	MD("spacing", CONF_T_DURATION, 0, CONF_HOUR, "0", spacing, 0,
	    "least time between two submissions"),
	MD("rtscts", CONF_T_BOOL, 0, 0, "no", rtscts, 0,
	    "RTS/CTS hardware flow control"),
	MD("reports", CONF_T_BOOL, 0, 0, NULL, reports, 0,
	    "request delivery reports (default: as [gateway])"),
	MD("number", CONF_T_NUMBERS, 0, 1, "", number, 0,
	    "the SIM's own phone number (texts from it are never forwarded "
	    "or answered)"),
	MD("balance", CONF_T_STRING, 1, 64, NULL, balance, 0,
	    "USSD code that asks the SIM's balance (*100#)"),
	MD("balance_pattern", CONF_T_REGEX, 1, 512, NULL, balance_pattern, 0,
	    "POSIX extended regular expression whose first group is the "
	    "amount in the balance answer"),
	MD("balance_low", CONF_T_AMOUNT, 0, 1000000000, NULL, balance_low, 0,
	    "organizers are texted once when the balance falls below this"),
	MD("balance_every", CONF_T_DURATION, CONF_MINUTE, CONF_WEEK, "6h",
	    balance_every, 0, "time between two balance checks"),
};
#define CONF_NDIR (sizeof conf_table / sizeof conf_table[0])

static const struct {
	const char	*name;
	enum conf_sect	 sect;
	const char	*arg;	/* NULL: takes no name */
} conf_sections[] = {
	{ "gateway", CONF_S_GATEWAY, NULL },
	{ "keywords", CONF_S_KEYWORDS, NULL },
	{ "reply", CONF_S_REPLY, "LANG" },
	{ "modem", CONF_S_MODEM, "NAME" },
};
#define CONF_NSECT (sizeof conf_sections / sizeof conf_sections[0])

struct conf_err {
	unsigned	 line;
	char		*msg;
};

struct conf_parser {
	const char	*file;
	struct conf	*c;
	struct conf_err	*errs;
	size_t		 nerrs;
	int		 stopped;
	unsigned	 line;

	enum conf_sect	 sect;
	void		*base;		/* struct filled by this section */
	unsigned	*set;		/* line each key was set on */
	char		 sname[80];	/* "[modem sim1]" for messages */

	unsigned	 gw_line, kw_line;
	unsigned	 gw_set[CONF_NDIR];
	unsigned	 kw_set[CONF_NDIR];
	unsigned	 reply_set[CONF_REPLIES_MAX][CONF_NDIR];
	unsigned	 modem_set[CONF_MODEMS_MAX][CONF_NDIR];
	char		 value[CONF_LINE_MAX + 1];
};

static void conf_error(struct conf_parser *, unsigned, const char *, ...)
    __attribute__((format(printf, 3, 4)));

static void
conf_error(struct conf_parser *p, unsigned line, const char *fmt, ...)
{
	char	msg[512];
	va_list	ap;

	if (p->stopped)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	p->errs = xreallocarray(p->errs, p->nerrs + 1, sizeof *p->errs);
	p->errs[p->nerrs].line = line;
	if (p->nerrs + 1 == CONF_ERRORS_MAX) {
		xasprintf(&p->errs[p->nerrs].msg, "%s:%u: too many errors, "
		    "giving up", p->file, line);
		p->stopped = 1;
	} else
		xasprintf(&p->errs[p->nerrs].msg, "%s:%u: %s", p->file, line,
		    msg);
	p->nerrs++;
}

/* A value as error messages show it: controls escaped, long ones cut. */
static const char *
conf_show(const char *s, size_t len, char *out, size_t outlen)
{
	static const char	hex[] = "0123456789abcdef";
	size_t			i, o = 0;
	unsigned char		c;

	for (i = 0; i < len; i++) {
		if (o + 8 >= outlen || i == 40) {
			memcpy(out + o, "...", 3);
			o += 3;
			break;
		}
		c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7f) {
			out[o++] = '\\';
			out[o++] = 'x';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 0xf];
		} else
			out[o++] = (char)c;
	}
	out[o] = '\0';
	return out;
}

/* Well-formed UTF-8 (no overlongs, surrogates or values past U+10FFFF). */
static int
conf_utf8_valid(const char *s, size_t len)
{
	const unsigned char	*u = (const unsigned char *)s;
	size_t			 i = 0, n, k;
	unsigned long		 cp;

	while (i < len) {
		if (u[i] < 0x80) {
			i++;
			continue;
		}
		if (u[i] >= 0xc2 && u[i] <= 0xdf) {
			n = 1;
			cp = u[i] & 0x1f;
		} else if (u[i] >= 0xe0 && u[i] <= 0xef) {
			n = 2;
			cp = u[i] & 0x0f;
		} else if (u[i] >= 0xf0 && u[i] <= 0xf4) {
			n = 3;
			cp = u[i] & 0x07;
		} else
			return 0;
		if (len - i <= n)
			return 0;
		for (k = 1; k <= n; k++) {
			if ((u[i + k] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (u[i + k] & 0x3f);
		}
		if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
		    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += n + 1;
	}
	return 1;
}

static int
conf_isspace(char c)
{
	return c == ' ' || c == '\t';
}

int
conf_lang_valid(const char *code)
{
	size_t	i;

	for (i = 0; conf_langs[i] != NULL; i++) {
		if (strcmp(conf_langs[i], code) == 0)
			return 1;
	}
	return 0;
}

/* ===== values ===== */

/* Render seconds in the largest unit that divides them: "63w", "90s". */
static const char *
conf_fmt_duration(long long v, char *out, size_t outlen)
{
	if (v != 0 && v % CONF_WEEK == 0)
		snprintf(out, outlen, "%lldw", v / CONF_WEEK);
	else if (v != 0 && v % CONF_DAY == 0)
		snprintf(out, outlen, "%lldd", v / CONF_DAY);
	else if (v != 0 && v % CONF_HOUR == 0)
		snprintf(out, outlen, "%lldh", v / CONF_HOUR);
	else if (v != 0 && v % CONF_MINUTE == 0)
		snprintf(out, outlen, "%lldm", v / CONF_MINUTE);
	else
		snprintf(out, outlen, "%llds", v);
	return out;
}

static int
conf_parse_duration(const char *s, long long *v)
{
	long long	n = 0, unit = 1;
	size_t		i;

	for (i = 0; s[i] >= '0' && s[i] <= '9'; i++) {
		if (i == 9)
			return -1;	/* 10^9 weeks is nobody's setting */
		n = n * 10 + (s[i] - '0');
	}
	if (i == 0)
		return -1;
	switch (s[i]) {
	case '\0':
		*v = n;
		return 0;
	case 's':
		break;
	case 'm':
		unit = CONF_MINUTE;
		break;
	case 'h':
		unit = CONF_HOUR;
		break;
	case 'd':
		unit = CONF_DAY;
		break;
	case 'w':
		unit = CONF_WEEK;
		break;
	default:
		return -1;
	}
	if (s[i + 1] != '\0')
		return -1;
	*v = n * unit;
	return 0;
}

static int
conf_check_text(const struct conf_directive *d, const char *v, size_t len,
    char *msg, size_t msglen)
{
	char	show[64];
	size_t	i;

	for (i = 0; i < len; i++) {
		if (((unsigned char)v[i] < 0x20 && !(v[i] == '\t' ||
		    (v[i] == '\n' && d->type == CONF_T_TEMPLATE))) ||
		    v[i] == 0x7f) {
			snprintf(msg, msglen, "control character in value "
			    "for '%s'", d->name);
			return -1;
		}
	}
	if (!conf_utf8_valid(v, len)) {
		snprintf(msg, msglen, "invalid UTF-8 in value for '%s'",
		    d->name);
		return -1;
	}
	if ((long long)len < d->min || (long long)len > d->max) {
		if ((long long)len > d->max)
			snprintf(msg, msglen, "value for '%s' too long (%lld "
			    "bytes at most)", d->name, d->max);
		else
			snprintf(msg, msglen, "bad value '%s' for '%s': "
			    "expected text of %lld to %lld bytes",
			    conf_show(v, len, show, sizeof show), d->name,
			    d->min, d->max);
		return -1;
	}
	return 0;
}

static int
conf_check_template(const struct conf_directive *d, const char *v,
    char *msg, size_t msglen)
{
	const char	*open, *close;
	char		 show[64];
	size_t		 i, n;

	for (open = strchr(v, '{'); open != NULL;
	    open = strchr(close, '{')) {
		close = strchr(open, '}');
		if (close == NULL) {
			snprintf(msg, msglen, "unclosed '{' in '%s'",
			    d->name);
			return -1;
		}
		n = (size_t)(close - open - 1);
		for (i = 0; conf_placeholders[i] != NULL; i++) {
			if (strlen(conf_placeholders[i]) == n &&
			    memcmp(conf_placeholders[i], open + 1, n) == 0)
				break;
		}
		if (conf_placeholders[i] == NULL) {
			snprintf(msg, msglen, "unknown placeholder '%s' in "
			    "'%s': expected {org}, {contact}, {list} or "
			    "{keyword}", conf_show(open, n + 2, show,
			    sizeof show), d->name);
			return -1;
		}
	}
	return 0;
}

static int
conf_number_valid(const char *s, size_t len)
{
	size_t	i;

	if (len < 4 || len > 16 || s[0] != '+' || s[1] == '0')
		return 0;
	for (i = 1; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
	}
	return 1;
}

static int
conf_word_valid(const char *s, size_t len)
{
	size_t	i;
	char	c;

	if (len == 0 || len > 32 || !conf_utf8_valid(s, len))
		return 0;
	for (i = 0; i < len; i++) {
		c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || (unsigned char)c >= 0x80 ||
		    c == ' ' || c == '-' || c == '\''))
			return 0;
	}
	return 1;
}

static void
conf_numbers_free(struct conf_numbers *l)
{
	size_t	i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

static void
conf_keywords_free(struct conf_keywords *l)
{
	size_t	i;

	for (i = 0; i < l->n; i++)
		free(l->v[i].word);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/*
 * Split a comma-separated list and check each item; on success the list
 * replaces the old one.  Items are trimmed; empty items are errors, but
 * an empty value is an empty list.
 */
static int
conf_set_list(const struct conf_directive *d, void *field, const char *v,
    char *msg, size_t msglen)
{
	struct conf_numbers	 nums = { NULL, 0 };
	struct conf_keywords	 kws = { NULL, 0 };
	const char		*item, *end, *colon;
	char			 show[64], lang[8];
	size_t			 len, wlen, i, n = 0;

	while (conf_isspace(*v))
		v++;
	if (*v == '\0')
		goto done;
	for (item = v;; item = end + 1) {
		if ((end = strchr(item, ',')) == NULL)
			end = item + strlen(item);
		while (item < end && conf_isspace(*item))
			item++;
		len = (size_t)(end - item);
		while (len > 0 && conf_isspace(item[len - 1]))
			len--;
		if (len == 0) {
			snprintf(msg, msglen, "empty item in list for '%s'",
			    d->name);
			goto fail;
		}
		if ((long long)++n > d->max) {
			snprintf(msg, msglen, "too many items in '%s' (%lld "
			    "at most)", d->name, d->max);
			goto fail;
		}
		if (d->type == CONF_T_NUMBERS) {
			if (!conf_number_valid(item, len)) {
				snprintf(msg, msglen, "bad number '%s' in "
				    "'%s': expected + and 3 to 15 digits",
				    conf_show(item, len, show, sizeof show),
				    d->name);
				goto fail;
			}
			for (i = 0; i < nums.n; i++) {
				if (strlen(nums.v[i]) == len &&
				    memcmp(nums.v[i], item, len) == 0) {
					snprintf(msg, msglen, "duplicate "
					    "number '%s' in '%s'", nums.v[i],
					    d->name);
					goto fail;
				}
			}
			nums.v = xreallocarray(nums.v, nums.n + 1,
			    sizeof *nums.v);
			nums.v[nums.n++] = xstrndup(item, len);
		} else {
			colon = memchr(item, ':', len);
			wlen = colon != NULL ? (size_t)(colon - item) : len;
			if (!conf_word_valid(item, wlen)) {
				snprintf(msg, msglen, "bad keyword '%s' in "
				    "'%s': expected WORD or WORD:LANG",
				    conf_show(item, len, show, sizeof show),
				    d->name);
				goto fail;
			}
			lang[0] = '\0';
			if (colon != NULL) {
				if (len - wlen - 1 >= sizeof lang ||
				    (memcpy(lang, colon + 1, len - wlen - 1),
				    lang[len - wlen - 1] = '\0',
				    !conf_lang_valid(lang))) {
					snprintf(msg, msglen, "unknown "
					    "language in keyword '%s' (known: "
					    "en, es, tl, zh, vi, ht, ar)",
					    conf_show(item, len, show,
					    sizeof show));
					goto fail;
				}
			}
			kws.v = xreallocarray(kws.v, kws.n + 1,
			    sizeof *kws.v);
			kws.v[kws.n].word = xstrndup(item, wlen);
			strlcpy(kws.v[kws.n].lang, lang,
			    sizeof kws.v[kws.n].lang);
			kws.n++;
		}
		if (*end == '\0')
			break;
	}
done:
	if (d->type == CONF_T_NUMBERS) {
		conf_numbers_free(field);
		*(struct conf_numbers *)field = nums;
	} else {
		conf_keywords_free(field);
		*(struct conf_keywords *)field = kws;
	}
	return 0;
fail:
	conf_numbers_free(&nums);
	conf_keywords_free(&kws);
	return -1;
}

/* Check v against d and store it in base; -1 and msg when it is bad. */
static int
conf_set(const struct conf_directive *d, void *base, const char *v,
    size_t len, char *msg, size_t msglen)
{
	void		*field = (char *)base + d->off;
	const char	*errstr;
	char		 show[64], lo[32], hi[32];
	char		 rerr[160];
	regex_t		 re;
	double		 dv;
	long long	 n;
	size_t		 i;

	switch (d->type) {
	case CONF_T_PATH:
		if (v[0] != '/') {
			snprintf(msg, msglen, "bad value '%s' for '%s': "
			    "expected an absolute path",
			    conf_show(v, len, show, sizeof show), d->name);
			return -1;
		}
		/* FALLTHROUGH */
	case CONF_T_STRING:
	case CONF_T_TEMPLATE:
		if (conf_check_text(d, v, len, msg, msglen) != 0)
			return -1;
		if (d->type == CONF_T_TEMPLATE &&
		    conf_check_template(d, v, msg, msglen) != 0)
			return -1;
		free(*(char **)field);
		*(char **)field = xstrdup(v);
		return 0;
	case CONF_T_DIGITS:
		for (i = 0; i < len; i++) {
			if (v[i] < '0' || v[i] > '9')
				break;
		}
		if (i < len || (long long)len < d->min ||
		    (long long)len > d->max) {
			snprintf(msg, msglen, "bad value '%s' for '%s': "
			    "expected %lld to %lld digits",
			    conf_show(v, len, show, sizeof show), d->name,
			    d->min, d->max);
			return -1;
		}
		free(*(char **)field);
		*(char **)field = xstrdup(v);
		return 0;
	case CONF_T_INT:
		n = strtonum(v, LLONG_MIN, LLONG_MAX, &errstr);
		if (errstr != NULL || len == 0 || conf_isspace(v[0]) ||
		    n < d->min || n > d->max) {
			snprintf(msg, msglen, "bad value '%s' for '%s': "
			    "expected an integer from %lld to %lld",
			    conf_show(v, len, show, sizeof show), d->name,
			    d->min, d->max);
			return -1;
		}
		*(int *)field = (int)n;
		return 0;
	case CONF_T_DURATION:
		if (conf_parse_duration(v, &n) != 0 || n < d->min ||
		    n > d->max) {
			snprintf(msg, msglen, "bad value '%s' for '%s': "
			    "expected a duration (30s, 5m, 2h, 1d, 1w) from "
			    "%s to %s", conf_show(v, len, show, sizeof show),
			    d->name, conf_fmt_duration(d->min, lo, sizeof lo),
			    conf_fmt_duration(d->max, hi, sizeof hi));
			return -1;
		}
		*(long long *)field = n;
		return 0;
	case CONF_T_BOOL:
		if (strcmp(v, "yes") == 0 || strcmp(v, "true") == 0 ||
		    strcmp(v, "on") == 0 || strcmp(v, "1") == 0)
			*(int *)field = 1;
		else if (strcmp(v, "no") == 0 || strcmp(v, "false") == 0 ||
		    strcmp(v, "off") == 0 || strcmp(v, "0") == 0)
			*(int *)field = 0;
		else {
			snprintf(msg, msglen, "bad value '%s' for '%s': "
			    "expected yes or no (true/false, on/off, 1/0)",
			    conf_show(v, len, show, sizeof show), d->name);
			return -1;
		}
		return 0;
	case CONF_T_ENUM:
		for (i = 0; d->words[i] != NULL; i++) {
			if (strcmp(d->words[i], v) == 0) {
				*(int *)field = (int)i;
				return 0;
			}
		}
		snprintf(msg, msglen, "bad value '%s' for '%s': expected one "
		    "of smart, exact, strip-accents",
		    conf_show(v, len, show, sizeof show), d->name);
		return -1;
	case CONF_T_LANG:
		if (!conf_lang_valid(v)) {
			snprintf(msg, msglen, "bad value '%s' for '%s': "
			    "expected a language code (en, es, tl, zh, vi, "
			    "ht, ar)", conf_show(v, len, show, sizeof show),
			    d->name);
			return -1;
		}
		strlcpy(field, v, 4);
		return 0;
	case CONF_T_REGEX:
		if (conf_check_text(d, v, len, msg, msglen) != 0)
			return -1;
		if (amount_compile(&re, v, rerr, sizeof rerr) != 0) {
			snprintf(msg, msglen, "bad value '%s' for '%s': %s",
			    conf_show(v, len, show, sizeof show), d->name, rerr);
			return -1;
		}
		regfree(&re);
		free(*(char **)field);
		*(char **)field = xstrdup(v);
		return 0;
	case CONF_T_AMOUNT:
		for (i = 0; i < len; i++) {
			if (!((v[i] >= '0' && v[i] <= '9') ||
			    (v[i] == '.' && i > 0 && i + 1 < len &&
			    strchr(v, '.') == v + i)))
				break;
		}
		if (len == 0 || i < len || amount_parse(v, len, &dv) != 0 ||
		    dv < (double)d->min || dv > (double)d->max) {
			snprintf(msg, msglen, "bad value '%s' for '%s': "
			    "expected an amount from %lld to %lld (12 or 12.50)",
			    conf_show(v, len, show, sizeof show), d->name,
			    d->min, d->max);
			return -1;
		}
		*(double *)field = dv;
		return 0;
	case CONF_T_NUMBERS:
	case CONF_T_KEYWORDS:
		return conf_set_list(d, field, v, msg, msglen);
	}
	snprintf(msg, msglen, "bad directive type");
	return -1;
}

/* Set every default of sect in base. */
static void
conf_section_defaults(enum conf_sect sect, void *base)
{
	const struct conf_directive	*d;
	char				 msg[256];

	for (d = conf_table; d < conf_table + CONF_NDIR; d++) {
		if (d->sect != sect)
			continue;
		if (d->def != NULL)
			conf_set(d, base, d->def, strlen(d->def), msg,
			    sizeof msg);
		else if (d->type == CONF_T_BOOL || d->type == CONF_T_INT)
			*(int *)(void *)((char *)base + d->off) = -1;
		else if (d->type == CONF_T_AMOUNT)
			*(double *)(void *)((char *)base + d->off) = -1;
	}
}

static void
conf_section_free(enum conf_sect sect, void *base)
{
	const struct conf_directive	*d;
	void				*field;

	for (d = conf_table; d < conf_table + CONF_NDIR; d++) {
		if (d->sect != sect)
			continue;
		field = (char *)base + d->off;
		switch (d->type) {
		case CONF_T_STRING:
		case CONF_T_PATH:
		case CONF_T_TEMPLATE:
		case CONF_T_DIGITS:
		case CONF_T_REGEX:
			free(*(char **)field);
			*(char **)field = NULL;
			break;
		case CONF_T_NUMBERS:
			conf_numbers_free(field);
			break;
		case CONF_T_KEYWORDS:
			conf_keywords_free(field);
			break;
		default:
			break;
		}
	}
}

void
conf_defaults(struct conf *c)
{
	memset(c, 0, sizeof *c);
	conf_section_defaults(CONF_S_GATEWAY, c);
	conf_section_defaults(CONF_S_KEYWORDS, c);
}

void
conf_free(struct conf *c)
{
	size_t	i;

	conf_section_free(CONF_S_GATEWAY, c);
	conf_section_free(CONF_S_KEYWORDS, c);
	for (i = 0; i < c->nreplies && i < CONF_REPLIES_MAX; i++)
		conf_section_free(CONF_S_REPLY, &c->replies[i]);
	for (i = 0; i < c->nmodems && i < CONF_MODEMS_MAX; i++)
		conf_section_free(CONF_S_MODEM, &c->modems[i]);
	memset(c, 0, sizeof *c);
}

/* Only the [modem] sections of c: a reload keeps the running ones. */
void
conf_free_modems(struct conf *c)
{
	size_t	i;

	for (i = 0; i < c->nmodems && i < CONF_MODEMS_MAX; i++)
		conf_section_free(CONF_S_MODEM, &c->modems[i]);
	memset(c->modems, 0, sizeof c->modems);
	c->nmodems = 0;
}

void
conf_free_errors(char **errors, size_t nerrors)
{
	size_t	i;

	for (i = 0; i < nerrors; i++)
		free(errors[i]);
	free(errors);
}

const struct conf_reply *
conf_reply_find(const struct conf *c, const char *code)
{
	size_t	i;

	for (i = 0; i < c->nreplies; i++) {
		if (strcmp(c->replies[i].code, code) == 0)
			return &c->replies[i];
	}
	return NULL;
}

static void
conf_modem_init(struct conf_modem *m, const char *name, int line)
{
	memset(m, 0, sizeof *m);
	strlcpy(m->name, name, sizeof m->name);
	m->line = line;
	conf_section_defaults(CONF_S_MODEM, m);
}

static struct conf_modem *
conf_modem_find(struct conf *c, const char *name)
{
	size_t	i;

	for (i = 0; i < c->nmodems; i++) {
		if (strcmp(c->modems[i].name, name) == 0)
			return &c->modems[i];
	}
	return NULL;
}

int
conf_add_modem(struct conf *c, const char *device, const char **err)
{
	const struct conf_directive	*d;
	struct conf_modem		*m;
	char				 name[CONF_NAME_MAX], msg[256];
	size_t				 i;
	int				 k;

	if (c->nmodems == CONF_MODEMS_MAX) {
		*err = "too many modems";
		return -1;
	}
	for (d = conf_table; strcmp(d->name, "device") != 0 ||
	    d->sect != CONF_S_MODEM; d++)
		;
	if (device[0] != '/' || strlen(device) > (size_t)d->max ||
	    conf_check_text(d, device, strlen(device), msg, sizeof msg) != 0) {
		*err = "modem device must be an absolute path";
		return -1;
	}
	for (i = 0; i < c->nmodems; i++) {
		if (c->modems[i].device != NULL &&
		    strcmp(c->modems[i].device, device) == 0) {
			*err = "modem device already configured";
			return -1;
		}
	}
	for (k = 1;; k++) {
		snprintf(name, sizeof name, "modem%d", k);
		if (conf_modem_find(c, name) == NULL)
			break;
	}
	m = &c->modems[c->nmodems++];
	conf_modem_init(m, name, 0);
	m->device = xstrdup(device);
	m->reports = c->reports;
	return 0;
}

/* ===== the parser ===== */

/* Edit distance, case-insensitive, for "did you mean" hints. */
static size_t
conf_distance(const char *a, size_t al, const char *b)
{
	size_t	row[40], i, j, prev, tmp, bl = strlen(b), cost;
	int	ca, cb;

	if (al >= 40 || bl >= 40)
		return SIZE_MAX;
	for (j = 0; j <= bl; j++)
		row[j] = j;
	for (i = 1; i <= al; i++) {
		prev = row[0];
		row[0] = i;
		for (j = 1; j <= bl; j++) {
			ca = a[i - 1] >= 'A' && a[i - 1] <= 'Z' ?
			    a[i - 1] + 32 : a[i - 1];
			cb = b[j - 1];
			cost = ca == cb ? 0 : 1;
			tmp = row[j];
			row[j] = prev + cost;
			if (row[j - 1] + 1 < row[j])
				row[j] = row[j - 1] + 1;
			if (tmp + 1 < row[j])
				row[j] = tmp + 1;
			prev = tmp;
		}
	}
	return row[bl];
}

static int
conf_close_enough(size_t dist, const char *name)
{
	return dist <= (strlen(name) >= 5 ? 2U : 1U);
}

static void
conf_unknown_key(struct conf_parser *p, const char *key, size_t klen)
{
	const struct conf_directive	*d, *best = NULL, *other = NULL;
	char				 show[64];
	size_t				 dist, bestd = SIZE_MAX;

	for (d = conf_table; d < conf_table + CONF_NDIR; d++) {
		if (d->sect != p->sect) {
			if (strlen(d->name) == klen &&
			    memcmp(d->name, key, klen) == 0 && other == NULL)
				other = d;
			continue;
		}
		dist = conf_distance(key, klen, d->name);
		if (dist < bestd) {
			bestd = dist;
			best = d;
		}
	}
	conf_show(key, klen, show, sizeof show);
	if (best != NULL && conf_close_enough(bestd, best->name))
		conf_error(p, p->line, "unknown key '%s' in %s; did you mean "
		    "'%s'?", show, p->sname, best->name);
	else if (other != NULL)
		conf_error(p, p->line, "unknown key '%s' in %s; '%s' goes in "
		    "[%s%s]", show, p->sname, show,
		    conf_sections[other->sect - 1].name,
		    other->sect == CONF_S_REPLY ? " LANG" :
		    other->sect == CONF_S_MODEM ? " NAME" : "");
	else
		conf_error(p, p->line, "unknown key '%s' in %s", show,
		    p->sname);
}

static int
conf_modem_name_valid(const char *s, size_t len)
{
	size_t	i;
	char	c;

	if (len == 0 || len >= CONF_NAME_MAX)
		return 0;
	for (i = 0; i < len; i++) {
		c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_'))
			return 0;
	}
	return 1;
}

/* "[kind name]" with the rest of the line after ']' already checked. */
static void
conf_section(struct conf_parser *p, const char *s, size_t len)
{
	const char	*kind, *name;
	char		 show[64], show2[64], nm[CONF_NAME_MAX];
	size_t		 klen, nlen, i, bestd = SIZE_MAX, dist, best = 0;
	struct conf	*c = p->c;
	struct conf_reply *r;
	struct conf_modem *m;

	p->sect = CONF_S_SKIP;
	while (len > 0 && conf_isspace(*s)) {
		s++;
		len--;
	}
	while (len > 0 && conf_isspace(s[len - 1]))
		len--;
	kind = s;
	for (klen = 0; klen < len && !conf_isspace(s[klen]); klen++)
		;
	name = s + klen;
	nlen = len - klen;
	while (nlen > 0 && conf_isspace(*name)) {
		name++;
		nlen--;
	}
	for (i = 0; i < CONF_NSECT; i++) {
		if (strlen(conf_sections[i].name) == klen &&
		    memcmp(conf_sections[i].name, kind, klen) == 0)
			break;
		dist = conf_distance(kind, klen, conf_sections[i].name);
		if (dist < bestd) {
			bestd = dist;
			best = i;
		}
	}
	if (i == CONF_NSECT) {
		conf_show(s, len, show, sizeof show);
		if (klen > 0 && conf_close_enough(bestd,
		    conf_sections[best].name))
			conf_error(p, p->line, "unknown section [%s]; did you "
			    "mean [%s%s%s]?", show, conf_sections[best].name,
			    conf_sections[best].arg != NULL ? " " : "",
			    conf_sections[best].arg != NULL ?
			    conf_sections[best].arg : "");
		else
			conf_error(p, p->line, "unknown section [%s]", show);
		return;
	}
	if (conf_sections[i].arg == NULL && nlen > 0) {
		conf_error(p, p->line, "[%s] takes no name",
		    conf_sections[i].name);
		return;
	}
	if (conf_sections[i].arg != NULL && nlen == 0) {
		conf_error(p, p->line, "[%s] needs a %s: [%s %s]",
		    conf_sections[i].name, conf_sections[i].sect ==
		    CONF_S_REPLY ? "language" : "name", conf_sections[i].name,
		    conf_sections[i].arg);
		return;
	}
	conf_show(name, nlen, show2, sizeof show2);
	switch (conf_sections[i].sect) {
	case CONF_S_GATEWAY:
	case CONF_S_KEYWORDS:
		if (conf_sections[i].sect == CONF_S_GATEWAY ? p->gw_line :
		    p->kw_line) {
			conf_error(p, p->line, "duplicate section [%s] "
			    "(first at line %u)", conf_sections[i].name,
			    conf_sections[i].sect == CONF_S_GATEWAY ?
			    p->gw_line : p->kw_line);
			return;
		}
		if (conf_sections[i].sect == CONF_S_GATEWAY) {
			p->gw_line = p->line;
			p->set = p->gw_set;
		} else {
			p->kw_line = p->line;
			p->set = p->kw_set;
		}
		p->base = c;
		snprintf(p->sname, sizeof p->sname, "[%s]",
		    conf_sections[i].name);
		break;
	case CONF_S_REPLY:
		if (nlen >= 4 || (memcpy(nm, name, nlen), nm[nlen] = '\0',
		    !conf_lang_valid(nm))) {
			conf_error(p, p->line, "unknown language '%s' in "
			    "[reply %s] (known: en, es, tl, zh, vi, ht, ar)",
			    show2, show2);
			return;
		}
		if ((r = (struct conf_reply *)conf_reply_find(c, nm)) !=
		    NULL) {
			conf_error(p, p->line, "duplicate section [reply %s] "
			    "(first at line %d)", nm, r->line);
			return;
		}
		if (c->nreplies == CONF_REPLIES_MAX) {
			conf_error(p, p->line, "too many [reply] sections "
			    "(%d at most)", CONF_REPLIES_MAX);
			return;
		}
		r = &c->replies[c->nreplies];
		memset(r, 0, sizeof *r);
		strlcpy(r->code, nm, sizeof r->code);
		r->line = (int)p->line;
		p->set = p->reply_set[c->nreplies];
		c->nreplies++;
		p->base = r;
		snprintf(p->sname, sizeof p->sname, "[reply %s]", nm);
		break;
	case CONF_S_MODEM:
		if (!conf_modem_name_valid(name, nlen)) {
			conf_error(p, p->line, "bad modem name '%s': use up "
			    "to %d letters, digits, '-' and '_'", show2,
			    CONF_NAME_MAX - 1);
			return;
		}
		memcpy(nm, name, nlen);
		nm[nlen] = '\0';
		if ((m = conf_modem_find(c, nm)) != NULL) {
			conf_error(p, p->line, "duplicate section [modem %s] "
			    "(first at line %d)", nm, m->line);
			return;
		}
		if (c->nmodems == CONF_MODEMS_MAX) {
			conf_error(p, p->line, "too many modems (%d at most)",
			    CONF_MODEMS_MAX);
			return;
		}
		m = &c->modems[c->nmodems];
		conf_modem_init(m, nm, (int)p->line);
		p->set = p->modem_set[c->nmodems];
		c->nmodems++;
		p->base = m;
		snprintf(p->sname, sizeof p->sname, "[modem %s]", nm);
		break;
	default:
		return;
	}
	p->sect = conf_sections[i].sect;
}

/*
 * The value after '=': quoted ("...", escapes \" \\ \n) or bare (up to a
 * comment, trimmed).  Writes it NUL-terminated to p->value.
 */
static int
conf_value(struct conf_parser *p, const char *s, size_t len, size_t *vlen)
{
	size_t	i = 0, o = 0;
	char	show[32];

	while (i < len && conf_isspace(s[i]))
		i++;
	if (i < len && s[i] == '"') {
		for (i++;; i++) {
			if (i == len) {
				conf_error(p, p->line, "unterminated quote");
				return -1;
			}
			if (s[i] == '"')
				break;
			if (s[i] == '\\') {
				if (++i == len) {
					conf_error(p, p->line,
					    "unterminated quote");
					return -1;
				}
				switch (s[i]) {
				case '"':
				case '\\':
					p->value[o++] = s[i];
					break;
				case 'n':
					p->value[o++] = '\n';
					break;
				default:
					conf_error(p, p->line, "bad escape "
					    "'\\%s' in quoted value (use \\\", "
					    "\\\\ or \\n)", conf_show(s + i, 1,
					    show, sizeof show));
					return -1;
				}
			} else
				p->value[o++] = s[i];
		}
		for (i++; i < len && conf_isspace(s[i]); i++)
			;
		if (i < len && s[i] != '#' && s[i] != ';') {
			conf_error(p, p->line, "text after closing quote");
			return -1;
		}
	} else {
		for (; i < len; i++) {
			if ((s[i] == '#' || s[i] == ';') && (o == 0 ||
			    conf_isspace(s[i - 1])))
				break;
			p->value[o++] = s[i];
		}
		while (o > 0 && conf_isspace(p->value[o - 1]))
			o--;
	}
	p->value[o] = '\0';
	*vlen = o;
	return 0;
}

static void
conf_key(struct conf_parser *p, const char *s, size_t len)
{
	const struct conf_directive	*d;
	char				 show[64], msg[512];
	size_t				 klen, i, vlen;

	for (klen = 0; klen < len && s[klen] != '=' &&
	    !conf_isspace(s[klen]); klen++)
		;
	for (i = klen; i < len && conf_isspace(s[i]); i++)
		;
	if (klen == 0) {
		conf_error(p, p->line, "missing key before '='");
		return;
	}
	if (i == len || s[i] != '=') {
		conf_error(p, p->line, "missing '=' after '%s'",
		    conf_show(s, klen, show, sizeof show));
		return;
	}
	if (p->sect == CONF_S_NONE) {
		conf_error(p, p->line, "key '%s' before any section",
		    conf_show(s, klen, show, sizeof show));
		return;
	}
	if (p->sect == CONF_S_SKIP)
		return;		/* the header was reported */
	for (d = conf_table; d < conf_table + CONF_NDIR; d++) {
		if (d->sect == p->sect && strlen(d->name) == klen &&
		    memcmp(d->name, s, klen) == 0)
			break;
	}
	if (d == conf_table + CONF_NDIR) {
		conf_unknown_key(p, s, klen);
		return;
	}
	if (p->set[d - conf_table] != 0) {
		conf_error(p, p->line, "duplicate key '%s' in %s (first set "
		    "at line %u)", d->name, p->sname, p->set[d - conf_table]);
		return;
	}
	p->set[d - conf_table] = p->line;
	if (conf_value(p, s + i + 1, len - i - 1, &vlen) != 0)
		return;
	if (conf_set(d, p->base, p->value, vlen, msg, sizeof msg) != 0)
		conf_error(p, p->line, "%s", msg);
}

static void
conf_line(struct conf_parser *p, const char *s, size_t len)
{
	const char	*close;
	size_t		 i;

	if (p->line == 1 && len >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0) {
		s += 3;		/* a byte order mark from a Windows editor */
		len -= 3;
	}
	if (len > 0 && s[len - 1] == '\r')
		len--;
	if (memchr(s, '\0', len) != NULL) {
		conf_error(p, p->line, "NUL byte in line");
		return;
	}
	if (len > CONF_LINE_MAX) {
		conf_error(p, p->line, "line too long (%d bytes at most)",
		    CONF_LINE_MAX);
		return;
	}
	while (len > 0 && conf_isspace(*s)) {
		s++;
		len--;
	}
	if (len == 0 || *s == '#' || *s == ';')
		return;
	if (*s != '[') {
		conf_key(p, s, len);
		return;
	}
	if ((close = memchr(s, ']', len)) == NULL) {
		p->sect = CONF_S_SKIP;
		conf_error(p, p->line, "missing ']' in section header");
		return;
	}
	for (i = (size_t)(close - s) + 1; i < len && conf_isspace(s[i]); i++)
		;
	if (i < len && s[i] != '#' && s[i] != ';') {
		p->sect = CONF_S_SKIP;
		conf_error(p, p->line, "text after ']' in section header");
		return;
	}
	conf_section(p, s + 1, (size_t)(close - s) - 1);
}

/* The line key was set on in modem i's section, 0 if not set. */
static unsigned
conf_modem_key_line(const struct conf_parser *p, size_t i, const char *key)
{
	const struct conf_directive	*d;

	for (d = conf_table; d < conf_table + CONF_NDIR; d++) {
		if (d->sect == CONF_S_MODEM && strcmp(d->name, key) == 0)
			return p->modem_set[i][d - conf_table];
	}
	return 0;
}

/* The credit watch keys need each other: a pattern reads an answer, a
 * threshold needs an amount. */
static void
conf_finish_balance(struct conf_parser *p, size_t i)
{
	const struct conf_modem	*m = &p->c->modems[i];
	unsigned		 l;

	/* a key whose value was refused has had its error already */
	if (m->balance_pattern != NULL &&
	    conf_modem_key_line(p, i, "balance") == 0 &&
	    (l = conf_modem_key_line(p, i, "balance_pattern")) != 0)
		conf_error(p, l, "'balance_pattern' in [modem %s] needs "
		    "'balance' (the USSD code)", m->name);
	if (m->balance_low >= 0 &&
	    conf_modem_key_line(p, i, "balance_pattern") == 0 &&
	    (l = conf_modem_key_line(p, i, "balance_low")) != 0)
		conf_error(p, l, "'balance_low' in [modem %s] needs "
		    "'balance_pattern' (where the amount is in the answer)",
		    m->name);
}

/* What only the whole file can tell. */
static void
conf_finish(struct conf_parser *p)
{
	const struct conf_directive	*d;
	struct conf			*c = p->c;
	struct conf_modem		*m;
	size_t				 i, k, di;

	for (i = 0; i < c->nmodems; i++) {
		m = &c->modems[i];
		for (d = conf_table; d < conf_table + CONF_NDIR; d++) {
			di = (size_t)(d - conf_table);
			if (d->sect == CONF_S_MODEM &&
			    (d->flags & CONF_F_REQUIRED) &&
			    p->modem_set[i][di] == 0)
				conf_error(p, (unsigned)m->line, "missing key "
				    "'%s' in [modem %s]", d->name, m->name);
			if (d->sect != CONF_S_MODEM ||
			    strcmp(d->name, "device") != 0 ||
			    m->device == NULL)
				continue;
			for (k = 0; k < i; k++) {
				if (c->modems[k].device != NULL &&
				    strcmp(c->modems[k].device,
				    m->device) == 0)
					conf_error(p, p->modem_set[i][di],
					    "device %s is already used by "
					    "[modem %s]", m->device,
					    c->modems[k].name);
			}
		}
		conf_finish_balance(p, i);
		if (m->reports == -1)
			m->reports = c->reports;
	}
}

int
conf_parse(const char *file, const char *buf, size_t len, struct conf *out,
    char ***errors, size_t *nerrors)
{
	struct conf_parser	*p;
	struct conf_err		 e;
	const char		*nl;
	size_t			 i, k, n;

	*errors = NULL;
	*nerrors = 0;
	conf_defaults(out);
	p = xcalloc(1, sizeof *p);
	p->file = file;
	p->c = out;
	while (len > 0 && !p->stopped) {
		p->line++;
		nl = memchr(buf, '\n', len);
		n = nl != NULL ? (size_t)(nl - buf) : len;
		conf_line(p, buf, n);
		if (nl == NULL)
			break;
		buf += n + 1;
		len -= n + 1;
	}
	conf_finish(p);
	if (p->nerrs == 0) {
		free(p);
		return 0;
	}
	/* in line order; stable, and the list is short */
	for (i = 1; i < p->nerrs; i++) {
		e = p->errs[i];
		for (k = i; k > 0 && p->errs[k - 1].line > e.line; k--)
			p->errs[k] = p->errs[k - 1];
		p->errs[k] = e;
	}
	*errors = xreallocarray(NULL, p->nerrs, sizeof **errors);
	for (i = 0; i < p->nerrs; i++)
		(*errors)[i] = p->errs[i].msg;
	*nerrors = p->nerrs;
	free(p->errs);
	free(p);
	conf_free(out);
	return -1;
}
