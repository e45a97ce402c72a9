/*
 * tests/unit/test_conf.c — the configuration parser: defaults, good files
 * with exact values, bad files with the exact error lists, every type's
 * boundaries, quoting, CRLF, long lines, NUL bytes and -m modems.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compat.h"
#include "conf.h"
#include "tt.h"

#define DAY	86400LL

/* Parse s; on failure join the errors with '|' into errs. */
static int
parse(const char *s, size_t len, struct conf *c, char *errs, size_t errlen)
{
	char	**e;
	size_t	  n, i;
	int	  rc;

	rc = conf_parse("t.conf", s, len, c, &e, &n);
	errs[0] = '\0';
	for (i = 0; i < n; i++) {
		if (i > 0)
			strlcat(errs, "|", errlen);
		strlcat(errs, e[i], errlen);
	}
	if ((rc == 0) != (n == 0))
		strlcat(errs, "|rc and nerrors disagree", errlen);
	conf_free_errors(e, n);
	return rc;
}

static void
test_defaults(void)
{
	struct conf	c, d;
	char		errs[256];

	memset(&d, 0, sizeof d);
	conf_defaults(&c);
	tt_str_op(c.database, ==, "/var/lib/tambuli/tambuli.db");
	tt_str_op(c.socket, ==, "/run/tambuli/tambuli.sock");
	tt_str_op(c.organization, ==, "our organization");
	tt_str_op(c.contact, ==, "");
	tt_int_op(c.country, ==, 1);
	tt_str_op(c.language, ==, "en");
	tt_int_op(c.retention, ==, 90 * DAY);
	tt_int_op(c.encoding, ==, CONF_ENC_SMART);
	tt_int_op(c.validity, ==, DAY);
	tt_int_op(c.expires, ==, DAY);
	tt_int_op(c.poll_window, ==, DAY);
	tt_int_op(c.autoreply_limit, ==, 3);
	tt_uint_op(c.forward.n, ==, 0);
	tt_int_op(c.reports, ==, 1);
	tt_str_op(c.group, ==, "");
	tt_int_op(c.client_timeout, ==, 30);
	tt_int_op(c.set_clock, ==, 0);
	tt_uint_op(c.kw_join.n + c.kw_stop.n + c.kw_info.n +
	    c.kw_forget.n, ==, 0);
	tt_uint_op(c.nreplies, ==, 0);
	tt_uint_op(c.nmodems, ==, 0);

	/* an empty file, and one of comments, give the defaults */
	tt_int_op(parse("", 0, &d, errs, sizeof errs), ==, 0);
	tt_str_op(d.database, ==, c.database);
	tt_int_op(d.retention, ==, c.retention);
	conf_free(&d);
	tt_int_op(parse("# nothing\n; here\n\n  \t\n[gateway]\n", 32, &d,
	    errs, sizeof errs), ==, 0);
	tt_str_op(errs, ==, "");
	tt_str_op(d.organization, ==, "our organization");
end:
	conf_free(&c);
	conf_free(&d);
}

static const char good_conf[] =
    "# tambuli.conf\n"
    "[gateway]\n"
    "database = /srv/t.db\n"
    "socket=/tmp/t.sock\n"
    "organization = Migrant Alliance   # who we are\n"
    "contact = \"  call 555-0100 # office  \"\n"
    "country = 63\n"
    "language = tl\n"
    "retention = 30d\n"
    "encoding = strip-accents\n"
    "validity = 2h\n"
    "expires = 45m\n"
    "autoreply_limit = 0\n"
    "forward = +14155550100 , +639171234567\n"
    "reports = off\n"
    "group = organizers\n"
    "set_clock = yes\n"
    "[keywords]\n"
    "join = SUSCRIBIR:es, ENTRAR, SALI:tl\n"
    "stop = NO MAS:es\n"
    "info =\n"
    "forget = Olvidame:es, ERASE ME\n"
    "[reply es]\n"
    "join = \"Bienvenido a {org}.\\nSTOP para salir; {contact}\"\n"
    "unknown = Gracias;te leemos {keyword}\n"
    "[reply en]\n"
    "stop = You left {list}. Text JOIN to come back\n"
    "\n"
    "[modem sim1]\n"
    "device = /dev/ttyUSB2\n"
    "baud = 9600\n"
    "pin = 1234\n"
    "per_day = 900\n"
    "spacing = 3s\n"
    "rtscts = yes\n"
    "number = +14155550150\n"
    "\t[modem Huawei_E3131-b]   ; the stick\n"
    "  device = /dev/serial/by-id/usb-HUAWEI-if00\n"
    "  reports = true\n";

static void
test_good(void)
{
	struct conf		 c;
	const struct conf_reply	*r;
	const struct conf_modem	*m;
	char			 errs[1024];

	memset(&c, 0, sizeof c);
	tt_int_op(parse(good_conf, sizeof good_conf - 1, &c, errs,
	    sizeof errs), ==, 0);
	tt_str_op(errs, ==, "");
	tt_str_op(c.database, ==, "/srv/t.db");
	tt_str_op(c.socket, ==, "/tmp/t.sock");
	tt_str_op(c.organization, ==, "Migrant Alliance");
	tt_str_op(c.contact, ==, "  call 555-0100 # office  ");
	tt_int_op(c.country, ==, 63);
	tt_str_op(c.language, ==, "tl");
	tt_int_op(c.retention, ==, 30 * DAY);
	tt_int_op(c.encoding, ==, CONF_ENC_STRIP_ACCENTS);
	tt_int_op(c.validity, ==, 7200);
	tt_int_op(c.expires, ==, 2700);
	tt_int_op(c.autoreply_limit, ==, 0);
	tt_uint_op(c.forward.n, ==, 2);
	tt_str_op(c.forward.v[0], ==, "+14155550100");
	tt_str_op(c.forward.v[1], ==, "+639171234567");
	tt_int_op(c.reports, ==, 0);
	tt_str_op(c.group, ==, "organizers");
	tt_int_op(c.set_clock, ==, 1);

	tt_uint_op(c.kw_join.n, ==, 3);
	tt_str_op(c.kw_join.v[0].word, ==, "SUSCRIBIR");
	tt_str_op(c.kw_join.v[0].lang, ==, "es");
	tt_str_op(c.kw_join.v[1].word, ==, "ENTRAR");
	tt_str_op(c.kw_join.v[1].lang, ==, "");
	tt_str_op(c.kw_join.v[2].word, ==, "SALI");
	tt_str_op(c.kw_join.v[2].lang, ==, "tl");
	tt_uint_op(c.kw_stop.n, ==, 1);
	tt_str_op(c.kw_stop.v[0].word, ==, "NO MAS");
	tt_uint_op(c.kw_info.n, ==, 0);
	tt_uint_op(c.kw_forget.n, ==, 2);
	tt_str_op(c.kw_forget.v[0].word, ==, "Olvidame");
	tt_str_op(c.kw_forget.v[0].lang, ==, "es");
	tt_str_op(c.kw_forget.v[1].word, ==, "ERASE ME");
	tt_str_op(c.kw_forget.v[1].lang, ==, "");

	tt_uint_op(c.nreplies, ==, 2);
	r = conf_reply_find(&c, "es");
	tt_assert(r != NULL);
	tt_int_op(r->line, ==, 23);
	tt_str_op(r->join, ==,
	    "Bienvenido a {org}.\nSTOP para salir; {contact}");
	tt_str_op(r->unknown, ==, "Gracias;te leemos {keyword}");
	tt_assert(r->stop == NULL && r->info == NULL && r->lang == NULL);
	r = conf_reply_find(&c, "en");
	tt_assert(r != NULL);
	tt_str_op(r->stop, ==, "You left {list}. Text JOIN to come back");
	tt_assert(conf_reply_find(&c, "tl") == NULL);

	tt_uint_op(c.nmodems, ==, 2);
	m = &c.modems[0];
	tt_str_op(m->name, ==, "sim1");
	tt_int_op(m->line, ==, 29);
	tt_str_op(m->device, ==, "/dev/ttyUSB2");
	tt_int_op(m->baud, ==, 9600);
	tt_str_op(m->pin, ==, "1234");
	tt_int_op(m->per_minute, ==, 0);
	tt_int_op(m->per_hour, ==, 0);
	tt_int_op(m->per_day, ==, 900);
	tt_int_op(m->spacing, ==, 3);
	tt_int_op(m->rtscts, ==, 1);
	tt_int_op(m->reports, ==, 0);	/* inherited from [gateway] */
	tt_uint_op(m->number.n, ==, 1);
	tt_str_op(m->number.v[0], ==, "+14155550150");
	m = &c.modems[1];
	tt_str_op(m->name, ==, "Huawei_E3131-b");
	tt_str_op(m->device, ==, "/dev/serial/by-id/usb-HUAWEI-if00");
	tt_int_op(m->baud, ==, 115200);
	tt_assert(m->pin == NULL);
	tt_int_op(m->spacing, ==, 0);
	tt_uint_op(m->number.n, ==, 0);
	tt_int_op(m->rtscts, ==, 0);
	tt_int_op(m->reports, ==, 1);
end:
	conf_free(&c);
}

/* The same file with CRLF line endings (and a BOM) parses the same. */
static void
test_crlf(void)
{
	struct conf	 c;
	char		*crlf, errs[512];
	size_t		 i, o = 3;

	memset(&c, 0, sizeof c);
	crlf = malloc(2 * sizeof good_conf + 3);
	tt_assert(crlf != NULL);
	memcpy(crlf, "\xef\xbb\xbf", 3);
	for (i = 0; i < sizeof good_conf - 1; i++) {
		if (good_conf[i] == '\n')
			crlf[o++] = '\r';
		crlf[o++] = good_conf[i];
	}
	tt_int_op(parse(crlf, o, &c, errs, sizeof errs), ==, 0);
	tt_str_op(errs, ==, "");
	tt_str_op(c.organization, ==, "Migrant Alliance");
	tt_str_op(c.contact, ==, "  call 555-0100 # office  ");
	tt_str_op(c.forward.v[1], ==, "+639171234567");
	tt_str_op(c.modems[1].device, ==, "/dev/serial/by-id/usb-HUAWEI-if00");
	tt_str_op(conf_reply_find(&c, "es")->unknown, ==,
	    "Gracias;te leemos {keyword}");
	/* and no final newline */
	conf_free(&c);
	tt_int_op(parse("[gateway]\r\ncountry = 52", 23, &c, errs,
	    sizeof errs), ==, 0);
	tt_int_op(c.country, ==, 52);
end:
	free(crlf);
	conf_free(&c);
}

struct bad_case {
	const char	*conf;
	const char	*errs;	/* '|'-joined */
};

static const struct bad_case bad_cases[] = {
	/* several errors in one file, all reported, in line order */
	{ "[gateway]\n"
	  "databse = /x.db\n"
	  "country = 0\n"
	  "country = 1000\n"
	  "reports = maybe\n"
	  "language fr\n"
	  "[modems a]\n"
	  "device = /dev/x\n"
	  "[modem a]\n"
	  "baud = 100\n",
	  "t.conf:2: unknown key 'databse' in [gateway]; did you mean "
	  "'database'?|"
	  "t.conf:3: bad value '0' for 'country': expected an integer from 1 "
	  "to 999|"
	  "t.conf:4: duplicate key 'country' in [gateway] (first set at line "
	  "3)|"
	  "t.conf:5: bad value 'maybe' for 'reports': expected yes or no "
	  "(true/false, on/off, 1/0)|"
	  "t.conf:6: missing '=' after 'language'|"
	  "t.conf:7: unknown section [modems a]; did you mean [modem NAME]?|"
	  "t.conf:9: missing key 'device' in [modem a]|"
	  "t.conf:10: bad value '100' for 'baud': expected an integer from "
	  "1200 to 4000000" },
	{ "country = 1\n", "t.conf:1: key 'country' before any section" },
	{ "[gateway]\n= 5\n", "t.conf:2: missing key before '='" },
	{ "[gateway]\nDatabase = /x\n",
	  "t.conf:2: unknown key 'Database' in [gateway]; did you mean "
	  "'database'?" },
	{ "[gateway]\nbaud = 9600\n",
	  "t.conf:2: unknown key 'baud' in [gateway]; 'baud' goes in "
	  "[modem NAME]" },
	{ "[gateway]\nfrobnicate = 1\n",
	  "t.conf:2: unknown key 'frobnicate' in [gateway]" },
	{ "[modem a]\ndevice = /dev/a\ndevcie = /dev/b\n",
	  "t.conf:3: unknown key 'devcie' in [modem a]; did you mean "
	  "'device'?" },
	{ "[gatewya]\n", "t.conf:1: unknown section [gatewya]; did you mean "
	  "[gateway]?" },
	{ "[foo]\nbar = 1\n", "t.conf:1: unknown section [foo]" },
	{ "[gateway\ncountry = 2\n",
	  "t.conf:1: missing ']' in section header" },
	{ "[gateway] x\n", "t.conf:1: text after ']' in section header" },
	{ "[gateway] # ok\n[keywords] ; ok\n", NULL },
	{ "[gateway main]\n", "t.conf:1: [gateway] takes no name" },
	{ "[modem]\n", "t.conf:1: [modem] needs a name: [modem NAME]" },
	{ "[reply]\n", "t.conf:1: [reply] needs a language: [reply LANG]" },
	{ "[reply fr]\njoin = x\n", "t.conf:1: unknown language 'fr' in "
	  "[reply fr] (known: en, es, tl, zh, vi, ht, ar)" },
	{ "[reply es]\n[reply es]\n", "t.conf:2: duplicate section "
	  "[reply es] (first at line 1)" },
	{ "[gateway]\n[keywords]\n[gateway]\ncountry = 1\n",
	  "t.conf:3: duplicate section [gateway] (first at line 1)" },
	{ "[modem a b]\n", "t.conf:1: bad modem name 'a b': use up to 31 "
	  "letters, digits, '-' and '_'" },
	{ "[modem a.b]\n", "t.conf:1: bad modem name 'a.b': use up to 31 "
	  "letters, digits, '-' and '_'" },
	{ "[modem a]\ndevice=/dev/x\n[modem a]\ndevice=/dev/y\n",
	  "t.conf:3: duplicate section [modem a] (first at line 1)" },
	{ "[modem a]\ndevice=/dev/x\n[modem b]\ndevice=/dev/x\n",
	  "t.conf:4: device /dev/x is already used by [modem a]" },
	{ "[modem a]\ndevice = dev/x\n", "t.conf:2: bad value 'dev/x' for "
	  "'device': expected an absolute path" },
	{ "[gateway]\ncontact = \"abc\n", "t.conf:2: unterminated quote" },
	{ "[gateway]\ncontact = \"abc\\\n", "t.conf:2: unterminated quote" },
	{ "[gateway]\ncontact = \"a\" b\n",
	  "t.conf:2: text after closing quote" },
	{ "[gateway]\ncontact = \"a\\tb\"\n", "t.conf:2: bad escape '\\t' in "
	  "quoted value (use \\\", \\\\ or \\n)" },
	{ "[gateway]\ncontact = \"a\\nb\"\n",
	  "t.conf:2: control character in value for 'contact'" },
	{ "[gateway]\ncontact = a\x01z\n",
	  "t.conf:2: control character in value for 'contact'" },
	{ "[gateway]\ncontact = caf\xe9\n",
	  "t.conf:2: invalid UTF-8 in value for 'contact'" },
	{ "[gateway]\norganization =\n", "t.conf:2: bad value '' for "
	  "'organization': expected text of 1 to 100 bytes" },
	{ "[gateway]\ncountry =\n", "t.conf:2: bad value '' for 'country': "
	  "expected an integer from 1 to 999" },
	{ "[gateway]\ncountry = 1x\n", "t.conf:2: bad value '1x' for "
	  "'country': expected an integer from 1 to 999" },
	{ "[gateway]\nlanguage = fr\n", "t.conf:2: bad value 'fr' for "
	  "'language': expected a language code (en, es, tl, zh, vi, ht, ar)" },
	{ "[gateway]\nencoding = ucs2\n", "t.conf:2: bad value 'ucs2' for "
	  "'encoding': expected one of smart, exact, strip-accents" },
	{ "[gateway]\nvalidity = 1y\n", "t.conf:2: bad value '1y' for "
	  "'validity': expected a duration (30s, 5m, 2h, 1d, 1w) from 5m to "
	  "63w" },
	{ "[gateway]\nforward = +14155550100,\n",
	  "t.conf:2: empty item in list for 'forward'" },
	{ "[gateway]\nforward = 4155550100\n", "t.conf:2: bad number "
	  "'4155550100' in 'forward': expected + and 3 to 15 digits" },
	{ "[gateway]\nforward = +1415, +1415\n",
	  "t.conf:2: duplicate number '+1415' in 'forward'" },
	{ "[keywords]\njoin = SUSCRIBIR:fr\n", "t.conf:2: unknown language "
	  "in keyword 'SUSCRIBIR:fr' (known: en, es, tl, zh, vi, ht, ar)" },
	{ "[keywords]\njoin = :es\n", "t.conf:2: bad keyword ':es' in 'join': "
	  "expected WORD or WORD:LANG" },
	{ "[keywords]\nstop = A/B\n", "t.conf:2: bad keyword 'A/B' in 'stop': "
	  "expected WORD or WORD:LANG" },
	{ "[reply en]\njoin = Hi {name}\n", "t.conf:2: unknown placeholder "
	  "'{name}' in 'join': expected {org}, {contact}, {list} or "
	  "{keyword}" },
	{ "[reply en]\njoin = Hi {org\n", "t.conf:2: unclosed '{' in 'join'" },
	{ "[modem a]\ndevice = /dev/a\npin = 12a4\n", "t.conf:3: bad value "
	  "'12a4' for 'pin': expected 4 to 8 digits" },
	{ "[gateway]\ncontact = a\0b\ncountry = 0\n", "t.conf:2: NUL byte in "
	  "line|t.conf:3: bad value '0' for 'country': expected an integer "
	  "from 1 to 999" },
};

static void
test_bad(void)
{
	struct conf	c;
	char		errs[4096];
	size_t		i, len;
	int		rc;

	memset(&c, 0, sizeof c);
	for (i = 0; i < TT_NELEM(bad_cases); i++) {
		len = strlen(bad_cases[i].conf);
		if (strstr(bad_cases[i].conf, "contact = a") ==
		    bad_cases[i].conf + 10 && len == 21)
			len = 36;	/* the NUL case */
		rc = parse(bad_cases[i].conf, len, &c, errs, sizeof errs);
		if (bad_cases[i].errs == NULL) {
			tt_str_op(errs, ==, "");
			tt_int_op(rc, ==, 0);
			conf_free(&c);
			continue;
		}
		if (strcmp(errs, bad_cases[i].errs) != 0)
			fprintf(stderr, "case %zu\n", i);
		tt_str_op(errs, ==, bad_cases[i].errs);
		tt_int_op(rc, ==, -1);
		/* a failed parse leaves nothing allocated behind */
		tt_assert(c.database == NULL && c.nmodems == 0);
	}
end:
	conf_free(&c);
}

/* Every type's boundaries: the value in range and one past each end. */
struct bound_case {
	const char	*sect;
	const char	*key;
	const char	*value;
	long long	 want;		/* parsed value */
	int		 ok;
};

static const struct bound_case bound_cases[] = {
	{ "gateway", "country", "1", 1, 1 },
	{ "gateway", "country", "999", 999, 1 },
	{ "gateway", "country", "0", 0, 0 },
	{ "gateway", "country", "1000", 0, 0 },
	{ "gateway", "country", "-1", 0, 0 },
	{ "gateway", "country", "99999999999999999999", 0, 0 },
	{ "gateway", "autoreply_limit", "0", 0, 1 },
	{ "gateway", "autoreply_limit", "100", 100, 1 },
	{ "gateway", "autoreply_limit", "101", 0, 0 },
	{ "modem m", "baud", "1200", 1200, 1 },
	{ "modem m", "baud", "4000000", 4000000, 1 },
	{ "modem m", "baud", "1199", 0, 0 },
	{ "modem m", "baud", "4000001", 0, 0 },
	{ "modem m", "per_minute", "100000", 100000, 1 },
	{ "modem m", "per_hour", "100001", 0, 0 },
	{ "modem m", "per_day", "0", 0, 1 },
	{ "gateway", "validity", "5m", 300, 1 },
	{ "gateway", "validity", "300", 300, 1 },
	{ "gateway", "validity", "299", 0, 0 },
	{ "gateway", "validity", "4m", 0, 0 },
	{ "gateway", "validity", "63w", 63 * 7 * DAY, 1 },
	{ "gateway", "validity", "441d", 441 * DAY, 1 },
	{ "gateway", "validity", "442d", 0, 0 },
	{ "gateway", "validity", "64w", 0, 0 },
	{ "gateway", "retention", "1h", 3600, 1 },
	{ "gateway", "retention", "59m", 0, 0 },
	{ "gateway", "retention", "0", 0, 0 },	/* no "keep forever" */
	{ "gateway", "retention", "520w", 520 * 7 * DAY, 1 },
	{ "gateway", "retention", "521w", 0, 0 },
	{ "gateway", "retention", "999999999w", 0, 0 },
	{ "gateway", "retention", "2d ", 2 * DAY, 1 },
	{ "gateway", "retention", "2 d", 0, 0 },
	{ "gateway", "retention", "2dd", 0, 0 },
	{ "gateway", "retention", "d", 0, 0 },
	{ "gateway", "retention", "-1d", 0, 0 },
	{ "gateway", "expires", "1m", 60, 1 },
	{ "gateway", "expires", "59s", 0, 0 },
	{ "gateway", "expires", "4w", 28 * DAY, 1 },
	{ "gateway", "expires", "2419201", 0, 0 },
	{ "gateway", "poll_window", "5m", 300, 1 },
	{ "gateway", "poll_window", "4m", 0, 0 },
	{ "gateway", "poll_window", "12h", 12 * 3600, 1 },
	{ "gateway", "poll_window", "5w", 0, 0 },
	{ "modem m", "spacing", "0", 0, 1 },
	{ "modem m", "spacing", "0s", 0, 1 },
	{ "modem m", "spacing", "1h", 3600, 1 },
	{ "modem m", "spacing", "3601s", 0, 0 },
	{ "gateway", "client_timeout", "2s", 2, 1 },
	{ "gateway", "client_timeout", "5m", 300, 1 },
	{ "gateway", "client_timeout", "1h", 3600, 1 },
	{ "gateway", "client_timeout", "3601s", 0, 0 },
	{ "gateway", "client_timeout", "0", 0, 0 },
	{ "modem m", "number", "+14155550150", 1, 1 },
	{ "modem m", "number", "", 0, 1 },
	{ "modem m", "number", "+14155550150,+14155550151", 0, 0 },
	{ "modem m", "number", "4155550150", 0, 0 },
	{ "gateway", "reports", "yes", 1, 1 },
	{ "gateway", "reports", "true", 1, 1 },
	{ "gateway", "reports", "on", 1, 1 },
	{ "gateway", "reports", "1", 1, 1 },
	{ "gateway", "reports", "no", 0, 1 },
	{ "gateway", "reports", "false", 0, 1 },
	{ "gateway", "reports", "off", 0, 1 },
	{ "gateway", "reports", "0", 0, 1 },
	{ "gateway", "reports", "Yes", 0, 0 },
	{ "gateway", "reports", "2", 0, 0 },
	{ "gateway", "encoding", "smart", CONF_ENC_SMART, 1 },
	{ "gateway", "encoding", "exact", CONF_ENC_EXACT, 1 },
	{ "gateway", "encoding", "strip-accents", CONF_ENC_STRIP_ACCENTS, 1 },
	{ "gateway", "encoding", "strip", 0, 0 },
	{ "modem m", "pin", "1234", 4, 1 },
	{ "modem m", "pin", "12345678", 8, 1 },
	{ "modem m", "pin", "123", 0, 0 },
	{ "modem m", "pin", "123456789", 0, 0 },
	{ "gateway", "forward", "+123", 1, 1 },
	{ "gateway", "forward", "+123456789012345", 1, 1 },
	{ "gateway", "forward", "+12", 0, 0 },
	{ "gateway", "forward", "+1234567890123456", 0, 0 },
	{ "gateway", "forward", "+0123", 0, 0 },
	{ "gateway", "forward", "+1 415 555 0100", 0, 0 },
	{ "gateway", "forward", "", 0, 1 },
	{ "gateway", "forward", "+1001,+1002,+1003,+1004,+1005,+1006,+1007,"
	  "+1008,+1009,+1010,+1011,+1012,+1013,+1014,+1015,+1016,+1017,+1018,"
	  "+1019,+1020,+1021,+1022,+1023,+1024,+1025,+1026,+1027,+1028,+1029,"
	  "+1030,+1031,+1032", 32, 1 },
	{ "gateway", "forward", "+1001,+1002,+1003,+1004,+1005,+1006,+1007,"
	  "+1008,+1009,+1010,+1011,+1012,+1013,+1014,+1015,+1016,+1017,+1018,"
	  "+1019,+1020,+1021,+1022,+1023,+1024,+1025,+1026,+1027,+1028,+1029,"
	  "+1030,+1031,+1032,+1033", 0, 0 },
	{ "keywords", "join", "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345", 1, 1 },
	{ "keywords", "join", "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456", 0, 0 },
	{ "keywords", "join", "\xc3\x9aNETE:es, ALTA ", 2, 1 },
	{ "gateway", "socket", "/", 1, 1 },
	{ "gateway", "organization", "x", 1, 1 },
	{ "gateway", "group", "", 0, 1 },
	{ "gateway", "group", "abcdefghijklmnopqrstuvwxyz012345", 32, 1 },
	{ "gateway", "group", "abcdefghijklmnopqrstuvwxyz0123456", 0, 0 },
	{ "reply zh", "join", "\xe6\xac\xa2\xe8\xbf\x8e {org}", 1, 1 },
	{ "reply ar", "info", "{org}{contact}{list}{keyword}", 1, 1 },
	{ "reply vi", "lang", "{}", 0, 0 },
};

static long long
bound_get(const struct conf *c, const char *key)
{
	const struct conf_modem	*m = &c->modems[0];

	if (strcmp(key, "country") == 0)
		return c->country;
	if (strcmp(key, "autoreply_limit") == 0)
		return c->autoreply_limit;
	if (strcmp(key, "validity") == 0)
		return c->validity;
	if (strcmp(key, "retention") == 0)
		return c->retention;
	if (strcmp(key, "expires") == 0)
		return c->expires;
	if (strcmp(key, "poll_window") == 0)
		return c->poll_window;
	if (strcmp(key, "reports") == 0)
		return c->reports;
	if (strcmp(key, "client_timeout") == 0)
		return c->client_timeout;
	if (strcmp(key, "encoding") == 0)
		return c->encoding;
	if (strcmp(key, "forward") == 0)
		return (long long)c->forward.n;
	if (strcmp(key, "number") == 0)
		return (long long)m->number.n;
	if (strcmp(key, "join") == 0 && c->nreplies == 0)
		return (long long)c->kw_join.n;
	if (strcmp(key, "socket") == 0)
		return (long long)strlen(c->socket);
	if (strcmp(key, "organization") == 0)
		return (long long)strlen(c->organization);
	if (strcmp(key, "group") == 0)
		return (long long)strlen(c->group);
	if (c->nreplies == 1)
		return 1;
	if (strcmp(key, "baud") == 0)
		return m->baud;
	if (strcmp(key, "per_minute") == 0)
		return m->per_minute;
	if (strcmp(key, "per_hour") == 0)
		return m->per_hour;
	if (strcmp(key, "per_day") == 0)
		return m->per_day;
	if (strcmp(key, "spacing") == 0)
		return m->spacing;
	if (strcmp(key, "pin") == 0)
		return (long long)strlen(m->pin);
	return -12345;
}

static void
test_bounds(void)
{
	const struct bound_case	*b;
	struct conf		 c;
	char			 buf[1024], errs[1024];
	size_t			 i;
	int			 n, rc;

	memset(&c, 0, sizeof c);
	for (i = 0; i < TT_NELEM(bound_cases); i++) {
		b = &bound_cases[i];
		n = snprintf(buf, sizeof buf, "[%s]\n%s%s = %s\n", b->sect,
		    strncmp(b->sect, "modem", 5) == 0 ?
		    "device = /dev/ttyS0\n" : "", b->key, b->value);
		rc = parse(buf, (size_t)n, &c, errs, sizeof errs);
		if ((rc == 0) != b->ok)
			fprintf(stderr, "case %zu: %s = %s: %s\n", i, b->key,
			    b->value, errs);
		tt_int_op(rc == 0, ==, b->ok);
		if (b->ok)
			tt_int_op(bound_get(&c, b->key), ==, b->want);
		else {
			/* exactly one error, on the key's line */
			tt_assert(strchr(errs, '|') == NULL);
			tt_assert(strncmp(errs, strncmp(b->sect, "modem", 5) ==
			    0 ? "t.conf:3: " : "t.conf:2: ", 10) == 0);
		}
		conf_free(&c);
	}
end:
	conf_free(&c);
}

/* Quoting and comments: what the value becomes. */
static void
test_quoting(void)
{
	static const struct {
		const char	*line;
		const char	*want;
	} cases[] = {
		{ "contact = plain", "plain" },
		{ "contact =    spaced out   ", "spaced out" },
		{ "contact = a # comment", "a" },
		{ "contact = a\t; comment", "a" },
		{ "contact = a#b;c", "a#b;c" },
		{ "contact = #all comment", "" },
		{ "contact =", "" },
		{ "contact = \"\"", "" },
		{ "contact = \" padded \"", " padded " },
		{ "contact = \"# not a comment\" # but this is", "# not a comment" },
		{ "contact = \"say \\\"hi\\\" \\\\o/\"", "say \"hi\" \\o/" },
		{ "contact = \"a\";c", "a" },
		{ "contact = a \"quoted\" word", "a \"quoted\" word" },
		{ "contact=x=y", "x=y" },
		{ "  contact\t=\tx\t", "x" },
		{ "contact = \xe2\x80\x9c" "curly\xe2\x80\x9d", "\xe2\x80\x9c"
		  "curly\xe2\x80\x9d" },
	};
	struct conf	c;
	char		buf[256], errs[512];
	size_t		i;
	int		n;

	memset(&c, 0, sizeof c);
	for (i = 0; i < TT_NELEM(cases); i++) {
		n = snprintf(buf, sizeof buf, "[gateway]\n%s\n",
		    cases[i].line);
		if (parse(buf, (size_t)n, &c, errs, sizeof errs) != 0)
			fprintf(stderr, "case %zu: %s\n", i, errs);
		tt_str_op(errs, ==, "");
		tt_str_op(c.contact, ==, cases[i].want);
		conf_free(&c);
	}
end:
	conf_free(&c);
}

static void
test_long_lines(void)
{
	struct conf	 c;
	char		*buf = NULL, errs[512];
	size_t		 n;

	memset(&c, 0, sizeof c);
	buf = malloc(CONF_LINE_MAX + 64);
	tt_assert(buf != NULL);

	/* a comment of exactly CONF_LINE_MAX bytes (CRLF too) is fine */
	memcpy(buf, "[gateway]\n#", 11);
	memset(buf + 11, 'x', CONF_LINE_MAX - 1);
	n = 10 + CONF_LINE_MAX;
	memcpy(buf + n, "\r\ncountry = 7\n", 14);
	tt_int_op(parse(buf, n + 14, &c, errs, sizeof errs), ==, 0);
	tt_int_op(c.country, ==, 7);
	conf_free(&c);

	/* one byte more is an error, and the next line is still read */
	buf[10] = '#';
	memset(buf + 11, 'x', CONF_LINE_MAX);
	n = 11 + CONF_LINE_MAX;
	memcpy(buf + n, "\ncountry = 0\n", 13);
	tt_int_op(parse(buf, n + 13, &c, errs, sizeof errs), ==, -1);
	tt_str_op(errs, ==, "t.conf:2: line too long (4096 bytes at most)|"
	    "t.conf:3: bad value '0' for 'country': expected an integer from "
	    "1 to 999");

	/* a long bad value is cut in the message */
	n = (size_t)snprintf(buf, CONF_LINE_MAX, "[gateway]\ncountry = ");
	memset(buf + n, '9', 100);
	tt_int_op(parse(buf, n + 100, &c, errs, sizeof errs), ==, -1);
	tt_str_op(errs, ==, "t.conf:2: bad value '9999999999999999999999999"
	    "999999999999999...' for 'country': expected an integer from 1 to "
	    "999");

	/* a template of the longest length allowed */
	n = (size_t)snprintf(buf, CONF_LINE_MAX, "[reply en]\ninfo = ");
	memset(buf + n, 'i', 1000);
	tt_int_op(parse(buf, n + 1000, &c, errs, sizeof errs), ==, 0);
	tt_uint_op(strlen(c.replies[0].info), ==, 1000);
	conf_free(&c);
	buf[n + 1000] = 'i';
	tt_int_op(parse(buf, n + 1001, &c, errs, sizeof errs), ==, -1);
	tt_str_op(errs, ==, "t.conf:2: value for 'info' too long (1000 bytes "
	    "at most)");
end:
	free(buf);
	conf_free(&c);
}

/* NUL bytes anywhere: an error for their line, never a cut file. */
static void
test_nul(void)
{
	static const char	f1[] = "[gate\0way]\ncountry = 5\n";
	static const char	f2[] = "\0\n[gateway]\ncountry = 0\n";
	struct conf		 c;
	char			 errs[512];

	memset(&c, 0, sizeof c);
	tt_int_op(parse(f1, sizeof f1 - 1, &c, errs, sizeof errs), ==, -1);
	tt_str_op(errs, ==, "t.conf:1: NUL byte in line|"
	    "t.conf:2: key 'country' before any section");
	tt_int_op(parse(f2, sizeof f2 - 1, &c, errs, sizeof errs), ==, -1);
	tt_str_op(errs, ==, "t.conf:1: NUL byte in line|"
	    "t.conf:3: bad value '0' for 'country': expected an integer from "
	    "1 to 999");
	tt_int_op(parse("[gateway]\n\0", 11, &c, errs, sizeof errs), ==, -1);
	tt_str_op(errs, ==, "t.conf:2: NUL byte in line");
end:
	conf_free(&c);
}

/* A file of garbage stops after CONF_ERRORS_MAX errors. */
static void
test_error_cap(void)
{
	struct conf	  c;
	char		  buf[2048], **e = NULL;
	size_t		  n = 0, i, len = 0;

	memset(&c, 0, sizeof c);
	for (i = 0; i < 200; i++)
		len += (size_t)snprintf(buf + len, sizeof buf - len, "x\n");
	tt_int_op(conf_parse("g.conf", buf, len, &c, &e, &n), ==, -1);
	tt_uint_op(n, ==, CONF_ERRORS_MAX);
	tt_str_op(e[0], ==, "g.conf:1: missing '=' after 'x'");
	tt_str_op(e[CONF_ERRORS_MAX - 2], ==, "g.conf:49: missing '=' after "
	    "'x'");
	tt_str_op(e[CONF_ERRORS_MAX - 1], ==, "g.conf:50: too many errors, "
	    "giving up");
end:
	conf_free_errors(e, n);
	conf_free(&c);
}

static void
test_modem_limits(void)
{
	struct conf	 c;
	char		 buf[2048], errs[512];
	size_t		 len = 0, i;

	memset(&c, 0, sizeof c);
	for (i = 0; i < CONF_MODEMS_MAX; i++)
		len += (size_t)snprintf(buf + len, sizeof buf - len,
		    "[modem m%zu]\ndevice = /dev/ttyUSB%zu\n", i, i);
	tt_int_op(parse(buf, len, &c, errs, sizeof errs), ==, 0);
	tt_uint_op(c.nmodems, ==, CONF_MODEMS_MAX);
	tt_str_op(c.modems[15].name, ==, "m15");
	tt_str_op(c.modems[15].device, ==, "/dev/ttyUSB15");
	conf_free(&c);
	len += (size_t)snprintf(buf + len, sizeof buf - len,
	    "[modem extra]\ndevice = /dev/ttyACM0\n");
	tt_int_op(parse(buf, len, &c, errs, sizeof errs), ==, -1);
	tt_str_op(errs, ==, "t.conf:33: too many modems (16 at most)");
	/* 31 characters is the longest name */
	tt_int_op(parse("[modem abcdefghijklmnopqrstuvwxyz01234]\ndevice = /d\n",
	    52, &c, errs, sizeof errs), ==, 0);
	conf_free(&c);
	tt_int_op(parse("[modem abcdefghijklmnopqrstuvwxyz012345]\n", 41, &c,
	    errs, sizeof errs), ==, -1);
end:
	conf_free(&c);
}

static void
test_add_modem(void)
{
	struct conf	 c;
	const char	*err = NULL;
	char		 errs[256];
	size_t		 i;

	memset(&c, 0, sizeof c);
	tt_int_op(parse("[gateway]\nreports = no\n[modem modem2]\n"
	    "device = /dev/ttyUSB0\n", 60, &c, errs, sizeof errs), ==, 0);
	tt_int_op(conf_add_modem(&c, "/dev/ttyUSB1", &err), ==, 0);
	tt_int_op(conf_add_modem(&c, "/dev/ttyUSB2", &err), ==, 0);
	tt_uint_op(c.nmodems, ==, 3);
	tt_str_op(c.modems[1].name, ==, "modem1");
	tt_str_op(c.modems[2].name, ==, "modem3");	/* modem2 is taken */
	tt_str_op(c.modems[1].device, ==, "/dev/ttyUSB1");
	tt_int_op(c.modems[1].line, ==, 0);
	tt_int_op(c.modems[1].baud, ==, 115200);
	tt_int_op(c.modems[1].rtscts, ==, 0);
	tt_int_op(c.modems[1].reports, ==, 0);	/* as [gateway] */
	tt_assert(c.modems[1].pin == NULL);

	tt_int_op(conf_add_modem(&c, "/dev/ttyUSB0", &err), ==, -1);
	tt_str_op(err, ==, "modem device already configured");
	tt_int_op(conf_add_modem(&c, "ttyUSB9", &err), ==, -1);
	tt_str_op(err, ==, "modem device must be an absolute path");
	tt_int_op(conf_add_modem(&c, "/dev/\x01", &err), ==, -1);
	tt_str_op(err, ==, "modem device must be an absolute path");
	for (i = 3; i < CONF_MODEMS_MAX; i++) {
		snprintf(errs, sizeof errs, "/dev/ttyACM%zu", i);
		tt_int_op(conf_add_modem(&c, errs, &err), ==, 0);
	}
	tt_int_op(conf_add_modem(&c, "/dev/ttyX", &err), ==, -1);
	tt_str_op(err, ==, "too many modems");
	conf_free(&c);

	/* on the defaults alone */
	conf_defaults(&c);
	tt_int_op(conf_add_modem(&c, "/dev/pts/3", &err), ==, 0);
	tt_str_op(c.modems[0].name, ==, "modem1");
	tt_int_op(c.modems[0].reports, ==, 1);
end:
	conf_free(&c);
}

static void
test_langs(void)
{
	static const char *const good[] = {
		"en", "es", "tl", "zh", "vi", "ht", "ar"
	};
	size_t	i;

	for (i = 0; i < TT_NELEM(good); i++)
		tt_int_op(conf_lang_valid(good[i]), ==, 1);
	tt_int_op(conf_lang_valid("EN"), ==, 0);
	tt_int_op(conf_lang_valid(""), ==, 0);
	tt_int_op(conf_lang_valid("eng"), ==, 0);
end:
	;
}

/* The credit watch keys: values, defaults, a bad regex, keys that need
 * each other. */
static void
test_balance(void)
{
	static const char good[] =
	    "[modem a]\n"
	    "device = /dev/ttyUSB0\n"
	    "balance = *100#\n"
	    "balance_pattern = \"balance is PHP ([0-9.,]+)\"\n"
	    "balance_low = 20.50\n"
	    "balance_every = 2h\n"
	    "[modem b]\n"
	    "device = /dev/ttyUSB1\n";
	static const char bad[] =
	    "[modem a]\n"
	    "device = /dev/ttyUSB0\n"
	    "balance = *100#\n"
	    "balance_pattern = balance ([0-9\n"
	    "balance_low = lots\n"
	    "balance_every = 10s\n"
	    "[modem b]\n"
	    "device = /dev/ttyUSB1\n"
	    "balance_pattern = balance [0-9]+\n"
	    "[modem c]\n"
	    "device = /dev/ttyUSB2\n"
	    "balance_pattern = \"is ([0-9]+)\"\n"
	    "balance_low = 5\n"
	    "[modem d]\n"
	    "device = /dev/ttyUSB3\n"
	    "balance_low = 5\n";
	struct conf	c;
	char		errs[4096];
	const char	*p;

	tt_int_op(parse(good, sizeof good - 1, &c, errs, sizeof errs), ==, 0);
	tt_str_op(c.modems[0].balance, ==, "*100#");
	tt_str_op(c.modems[0].balance_pattern, ==, "balance is PHP ([0-9.,]+)");
	tt_assert(c.modems[0].balance_low > 20.49 &&
	    c.modems[0].balance_low < 20.51);
	tt_int_op(c.modems[0].balance_every, ==, 7200);
	tt_assert(c.modems[1].balance == NULL);
	tt_assert(c.modems[1].balance_pattern == NULL);
	tt_assert(c.modems[1].balance_low == -1);
	tt_int_op(c.modems[1].balance_every, ==, 6 * 3600);
	conf_free(&c);

	tt_int_op(parse(bad, sizeof bad - 1, &c, errs, sizeof errs), ==, -1);
	/* the regex error text is the C library's: check the start */
	p = "t.conf:4: bad value 'balance ([0-9' for 'balance_pattern': ";
	tt_assert(strncmp(errs, p, strlen(p)) == 0);
	p = strchr(errs, '|');
	tt_assert(p != NULL);
	tt_str_op(p + 1, ==,
	    "t.conf:5: bad value 'lots' for 'balance_low': expected an amount "
	    "from 0 to 1000000000 (12 or 12.50)|"
	    "t.conf:6: bad value '10s' for 'balance_every': expected a "
	    "duration (30s, 5m, 2h, 1d, 1w) from 1m to 1w|"
	    "t.conf:9: bad value 'balance [0-9]+' for 'balance_pattern': no "
	    "group: put the amount in parentheses, as in \"balance is "
	    "([0-9.,]+)\"|"
	    "t.conf:12: 'balance_pattern' in [modem c] needs 'balance' (the "
	    "USSD code)|"
	    "t.conf:16: 'balance_low' in [modem d] needs 'balance_pattern' "
	    "(where the amount is in the answer)");
end:
	;
}

static const struct tt_case cases[] = {
	{ "conf/balance", test_balance },
	{ "conf/defaults", test_defaults },
	{ "conf/good", test_good },
	{ "conf/crlf", test_crlf },
	{ "conf/bad", test_bad },
	{ "conf/bounds", test_bounds },
	{ "conf/quoting", test_quoting },
	{ "conf/long_lines", test_long_lines },
	{ "conf/nul", test_nul },
	{ "conf/error_cap", test_error_cap },
	{ "conf/modem_limits", test_modem_limits },
	{ "conf/add_modem", test_add_modem },
	{ "conf/langs", test_langs },
	TT_END
};

int
main(int argc, char **argv)
{
	return tt_main(argc, argv, cases);
}
