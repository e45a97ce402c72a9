/*
 * tools/cmd_sub.c — "tambuli subscribers list|add|remove|forget|import|
 * export" and "tambuli lists": the subscriber store from the command line.
 *
 * These commands work on the database directly, through the same db/
 * functions the daemon uses, so they work whether the daemon runs or not
 * (nothing they do queues work, so there is no KICK).
 *
 * Consent rules, enforced by db/subscriber.c and never bypassed here: an
 * organizer can add a number, but not one that opted out — only the member
 * can undo an opt-out, by texting JOIN.  Import never reactivates an
 * opted-out number; a row whose status column says "opted-out" (as export
 * writes it) records the opt-out, so moving a list between gateways
 * through export and import keeps every opt-out.  "forget" deletes every
 * row naming a number (db/forget.c) and leaves a marker, not the number:
 * add and import refuse a marked number just as an opted-out one, and an
 * opted-out row of an import is not stored again for it.
 *
 * CSV (import and export) follows RFC 4180 with the usual leniencies:
 * LF or CRLF (or a lone CR) ends a record, a UTF-8 byte order mark is
 * ignored, spaces around fields are trimmed, a quote inside an unquoted
 * field is kept as a character, spaces after a closing quote are ignored,
 * and blank lines (or rows of empty fields, as spreadsheets write them)
 * are skipped.  Errors name the file line where the record starts.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "cli.h"
#include "cmd.h"
#include "compat.h"
#include "json.h"
#include "phone.h"

#define CMD_SUB_LIST_MAX	32	/* bytes of a list name, as JOIN takes */
#define CMD_SUB_BATCH		500	/* rows per transaction */
#define CMD_SUB_ROW_LISTS	16	/* lists named in one CSV row */
#define CMD_SUB_CSV_FIELDS	256	/* fields in one CSV record */
#define CMD_SUB_CSV_RECORD	65536	/* bytes in one CSV record */
#define CMD_SUB_LANGS		"en, es, tl, zh, vi, ht, ar"

static int	cmd_sub_list_exec(struct cmd_ctx *);
static int	cmd_sub_add_exec(struct cmd_ctx *);
static int	cmd_sub_remove_exec(struct cmd_ctx *);
static int	cmd_sub_forget_exec(struct cmd_ctx *);
static int	cmd_sub_import_exec(struct cmd_ctx *);
static int	cmd_sub_export_exec(struct cmd_ctx *);
static int	cmd_sub_lists_exec(struct cmd_ctx *);

static const struct cmd_opt cmd_sub_list_opts[] = {
	{ "list", "NAME", "only the members of this list", 0 },
	{ "status", "active|opted-out", "only subscribers with this status",
	  0 },
	{ "json", NULL, "one JSON array instead of text", 0 },
	{ NULL, NULL, NULL, 0 }
};

static const struct cmd_opt cmd_sub_add_opts[] = {
	{ "list", "NAME", "the list (default: the default list; created if "
	  "new)", 0 },
	{ "lang", "CODE", "the member's language: " CMD_SUB_LANGS, 0 },
	{ NULL, NULL, NULL, 0 }
};

static const struct cmd_opt cmd_sub_import_opts[] = {
	{ "list", "NAME", "the list for rows that name none (default: the "
	  "default list)", 0 },
	{ NULL, NULL, NULL, 0 }
};

static const struct cmd_opt cmd_sub_export_opts[] = {
	{ "csv", NULL, "CSV: phone,status,language,lists (the default)", 0 },
	{ "json", NULL, "one JSON array, as \"subscribers list --json\"", 0 },
	{ NULL, NULL, NULL, 0 }
};

static const struct cmd_opt cmd_sub_lists_opts[] = {
	{ "json", NULL, "one JSON array instead of text", 0 },
	{ NULL, NULL, NULL, 0 }
};

const struct cmd_entry cmd_sub_list_entry = {
	.name = "subscribers list",
	.args = "",
	.help = "show subscribers: phone, status, language, lists",
	.opts = cmd_sub_list_opts,
	.min_args = 0,
	.max_args = 0,
	.flags = CMD_OFFLINE_OK,
	.exec = cmd_sub_list_exec,
};

const struct cmd_entry cmd_sub_add_entry = {
	.name = "subscribers add",
	.args = "NUMBER",
	.help = "subscribe a number (never one that opted out: only the "
	    "member can rejoin)",
	.opts = cmd_sub_add_opts,
	.min_args = 1,
	.max_args = 1,
	.flags = CMD_OFFLINE_OK | CMD_PRIVILEGED,
	.exec = cmd_sub_add_exec,
};

const struct cmd_entry cmd_sub_remove_entry = {
	.name = "subscribers remove",
	.args = "NUMBER",
	.help = "remove a number from every list (an opt-out is kept)",
	.min_args = 1,
	.max_args = 1,
	.flags = CMD_OFFLINE_OK | CMD_PRIVILEGED,
	.exec = cmd_sub_remove_exec,
};

static const struct cmd_opt cmd_sub_forget_opts[] = {
	{ "file", "FILE", "forget the numbers of a CSV file (the phone "
	  "column, or the first; \"-\": standard input)", 0 },
	{ NULL, NULL, NULL, 0 }
};

const struct cmd_entry cmd_sub_forget_entry = {
	.name = "subscribers forget",
	.args = "[NUMBER]",
	.help = "remove every trace of a number (texts, messages, consent "
	    "trail) and keep it from being added again",
	.opts = cmd_sub_forget_opts,
	.min_args = 0,
	.max_args = 1,
	.flags = CMD_OFFLINE_OK | CMD_PRIVILEGED,
	.exec = cmd_sub_forget_exec,
};

const struct cmd_entry cmd_sub_import_entry = {
	.name = "subscribers import",
	.args = "FILE.csv",
	.help = "subscribe the numbers of a CSV file with a header row "
	    "(\"-\": standard input)",
	.opts = cmd_sub_import_opts,
	.min_args = 1,
	.max_args = 1,
	.flags = CMD_OFFLINE_OK | CMD_PRIVILEGED,
	.exec = cmd_sub_import_exec,
};

const struct cmd_entry cmd_sub_export_entry = {
	.name = "subscribers export",
	.args = "",
	.help = "write every subscriber as CSV (or JSON) to standard output",
	.opts = cmd_sub_export_opts,
	.min_args = 0,
	.max_args = 0,
	.flags = CMD_OFFLINE_OK,
	.exec = cmd_sub_export_exec,
};

const struct cmd_entry cmd_sub_lists_entry = {
	.name = "lists",
	.args = "",
	.help = "show every list with its active and opted-out members",
	.opts = cmd_sub_lists_opts,
	.min_args = 0,
	.max_args = 0,
	.flags = CMD_OFFLINE_OK,
	.exec = cmd_sub_lists_exec,
};

/* ===== shared helpers ===== */

/* Configuration and database; CMD_OK, or CMD_FAIL after a message. */
static int
cmd_sub_open(const struct cmd_ctx *ctx, struct conf *c, struct db **db)
{
	if (cli_conf(ctx, c) == -1)
		return CMD_FAIL;
	if ((*db = cli_db(c)) == NULL) {
		conf_free(c);
		return CMD_FAIL;
	}
	return CMD_OK;
}

static void
cmd_sub_close(struct conf *c, struct db *db)
{
	db_close(db);
	conf_free(c);
}

/*
 * Copy s for an error message: control bytes become '?' (a CSV cell or a
 * member's text must not drive the terminal) and long values are cut.
 */
static const char *
cmd_sub_show(const char *s, char *out, size_t outlen)
{
	size_t	i, o = 0;

	for (i = 0; s[i] != '\0' && o + 4 < outlen; i++) {
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			out[o++] = '?';
		else
			out[o++] = s[i];
	}
	if (s[i] != '\0') {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o] = '\0';
	return out;
}

/*
 * A list name as JOIN takes it (gateway/keyword.c): ASCII letters and
 * digits, runs joined by single '-' or '_', at most 32 bytes, lowercased
 * into out — so "JOIN Rally" by text and "--list Rally" here are the same
 * list.  NULL, or a message naming the problem.
 */
static const char *
cmd_sub_list_name(const char *in, char *out, size_t outlen)
{
	size_t	i, len = strlen(in);

	if (len == 0)
		return "empty list name";
	if (len > CMD_SUB_LIST_MAX || len >= outlen)
		return "list name longer than 32 characters";
	for (i = 0; i < len; i++) {
		if (isalnum((unsigned char)in[i]) && (unsigned char)in[i] <
		    0x80) {
			out[i] = (char)tolower((unsigned char)in[i]);
			continue;
		}
		if ((in[i] == '-' || in[i] == '_') && i > 0 && i + 1 < len &&
		    isalnum((unsigned char)in[i - 1]) &&
		    isalnum((unsigned char)in[i + 1])) {
			out[i] = in[i];
			continue;
		}
		return "a list name is letters and digits, joined by single "
		    "'-' or '_'";
	}
	out[len] = '\0';
	return NULL;
}

/* --list NAME validated into out; CMD_OK, or CMD_USAGE after a message. */
static int
cmd_sub_opt_list(const struct cmd_ctx *ctx, char *out, size_t outlen)
{
	const char	*v = cmd_get(ctx, "list"), *err;
	char		 show[64];

	out[0] = '\0';
	if (v == NULL)
		return CMD_OK;
	if ((err = cmd_sub_list_name(v, out, outlen)) != NULL) {
		cmd_error("%s: invalid list name '%s': %s", ctx->entry->name,
		    cmd_sub_show(v, show, sizeof show), err);
		return CMD_USAGE;
	}
	return CMD_OK;
}

/* A language code, lowercased into out (3 bytes+); 0, or -1 if unknown. */
static int
cmd_sub_lang(const char *in, char *out, size_t outlen)
{
	size_t	i, len = strlen(in);

	if (len == 0 || len >= outlen)
		return -1;
	for (i = 0; i < len; i++)
		out[i] = (char)tolower((unsigned char)in[i]);
	out[len] = '\0';
	return conf_lang_valid(out) ? 0 : -1;
}

static const char *
cmd_sub_iso(int64_t t, char *buf, size_t len)
{
	time_t		 tt = (time_t)t;
	struct tm	 tm;

	if (gmtime_r(&tt, &tm) == NULL ||
	    strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		bsnprintf(buf, len, "1970-01-01T00:00:00Z");
	return buf;
}

static const char *
cmd_sub_status_name(enum subscriber_status s)
{
	return s == SUBSCRIBER_OPTED_OUT ? "opted-out" : "active";
}

/* Create the list if it is new, saying so; 0, or -1 (db_error). */
static int
cmd_sub_ensure_list(struct db *db, const char *name)
{
	int	exists;

	if (list_exists(db, name, &exists) == -1)
		return -1;
	if (exists)
		return 0;
	if (list_create(db, name, cli_now()) == -1)
		return -1;
	printf("created list %s\n", name);
	return 0;
}

/* ===== subscribers list / export ===== */

struct cmd_sub_walk {
	struct json	 j;
	FILE		*f;
	long		 n;
};

static int
cmd_sub_json_cb(const struct subscriber *s, void *arg)
{
	struct cmd_sub_walk	*w = arg;
	char			 t[32], lists[sizeof s->lists], *p, *name;

	json_object_begin(&w->j);
	json_kv_string(&w->j, "phone", s->phone);
	json_kv_string(&w->j, "status", cmd_sub_status_name(s->status));
	if (s->language[0] != '\0')
		json_kv_string(&w->j, "language", s->language);
	else
		json_kv_null(&w->j, "language");
	json_key(&w->j, "lists");
	json_array_begin(&w->j);
	strlcpy(lists, s->lists, sizeof lists);
	p = lists;
	while ((name = strsep(&p, ",")) != NULL) {
		if (*name != '\0')
			json_string(&w->j, name);
	}
	json_array_end(&w->j);
	json_kv_string(&w->j, "created_at", cmd_sub_iso(s->created_at, t,
	    sizeof t));
	json_kv_string(&w->j, "updated_at", cmd_sub_iso(s->updated_at, t,
	    sizeof t));
	json_object_end(&w->j);
	w->n++;
	return 0;
}

static int
cmd_sub_text_cb(const struct subscriber *s, void *arg)
{
	struct cmd_sub_walk	*w = arg;

	if (w->n++ == 0)
		printf("%-16s  %-9s  %-4s  %s\n", "PHONE", "STATUS", "LANG",
		    "LISTS");
	printf("%-16s  %-9s  %-4s  %s\n", s->phone,
	    cmd_sub_status_name(s->status),
	    s->language[0] != '\0' ? s->language : "-",
	    s->lists[0] != '\0' ? s->lists : "-");
	return 0;
}

/* One CSV field (RFC 4180 quoting when needed). */
static void
cmd_sub_csv_put(FILE *f, const char *s)
{
	size_t	len = strlen(s);

	if (strpbrk(s, ",\"\r\n") == NULL && (len == 0 ||
	    (s[0] != ' ' && s[len - 1] != ' '))) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s != '\0'; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

static int
cmd_sub_csv_cb(const struct subscriber *s, void *arg)
{
	struct cmd_sub_walk	*w = arg;
	char			 lists[sizeof s->lists], *p;

	/* lists joined with ';': a comma would need quoting in every row */
	strlcpy(lists, s->lists, sizeof lists);
	for (p = lists; *p != '\0'; p++) {
		if (*p == ',')
			*p = ';';
	}
	cmd_sub_csv_put(w->f, s->phone);
	fputc(',', w->f);
	cmd_sub_csv_put(w->f, cmd_sub_status_name(s->status));
	fputc(',', w->f);
	cmd_sub_csv_put(w->f, s->language);
	fputc(',', w->f);
	cmd_sub_csv_put(w->f, lists);
	fputc('\n', w->f);
	w->n++;
	return 0;
}

static int
cmd_sub_list_exec(struct cmd_ctx *ctx)
{
	struct conf		 c;
	struct db		*db;
	struct cmd_sub_walk	 w;
	const char		*v;
	char			 list[CMD_SUB_LIST_MAX + 1];
	int			 status = SUBSCRIBER_NONE, rc, exists, json;

	if ((rc = cmd_sub_opt_list(ctx, list, sizeof list)) != CMD_OK)
		return rc;
	if ((v = cmd_get(ctx, "status")) != NULL) {
		if (strcmp(v, "active") == 0)
			status = SUBSCRIBER_ACTIVE;
		else if (strcmp(v, "opted-out") == 0)
			status = SUBSCRIBER_OPTED_OUT;
		else {
			cmd_error("%s: unknown status '%s' (expected active or "
			    "opted-out)", ctx->entry->name, v);
			return CMD_USAGE;
		}
	}
	json = cmd_isset(ctx, "json");
	if ((rc = cmd_sub_open(ctx, &c, &db)) != CMD_OK)
		return rc;
	if (list[0] != '\0') {
		if (list_exists(db, list, &exists) == -1) {
			rc = cmd_error("database: %s", db_error(db));
			goto out;
		}
		if (!exists) {
			rc = cmd_error("no such list: %s (see \"tambuli "
			    "lists\")", list);
			goto out;
		}
	}
	memset(&w, 0, sizeof w);
	w.f = stdout;
	json_init(&w.j, stdout);
	if (json)
		json_array_begin(&w.j);
	rc = subscriber_foreach(db, list[0] != '\0' ? list : NULL, status,
	    json ? cmd_sub_json_cb : cmd_sub_text_cb, &w);
	if (json) {
		json_array_end(&w.j);
		fputc('\n', stdout);
	} else if (rc == 0 && w.n == 0)
		printf("no subscribers\n");
	if (rc == -1)
		rc = cmd_error("database: %s", db_error(db));
	else
		rc = CMD_OK;
out:
	cmd_sub_close(&c, db);
	return rc;
}

static int
cmd_sub_export_exec(struct cmd_ctx *ctx)
{
	struct conf		 c;
	struct db		*db;
	struct cmd_sub_walk	 w;
	int			 rc, json = cmd_isset(ctx, "json");

	if (json && cmd_isset(ctx, "csv")) {
		cmd_error("%s: --csv and --json exclude each other",
		    ctx->entry->name);
		cmd_usage(ctx->entry);
		return CMD_USAGE;
	}
	if ((rc = cmd_sub_open(ctx, &c, &db)) != CMD_OK)
		return rc;
	memset(&w, 0, sizeof w);
	w.f = stdout;
	json_init(&w.j, stdout);
	if (json)
		json_array_begin(&w.j);
	else
		fputs("phone,status,language,lists\n", stdout);
	rc = subscriber_foreach(db, NULL, SUBSCRIBER_NONE,
	    json ? cmd_sub_json_cb : cmd_sub_csv_cb, &w);
	if (json) {
		json_array_end(&w.j);
		fputc('\n', stdout);
	}
	if (rc == -1)
		rc = cmd_error("database: %s", db_error(db));
	else if (fflush(stdout) == EOF || ferror(stdout))
		rc = cmd_error("standard output: %s", strerror(errno));
	else
		rc = CMD_OK;
	cmd_sub_close(&c, db);
	return rc;
}

/* ===== subscribers add / remove ===== */

static int
cmd_sub_add_exec(struct cmd_ctx *ctx)
{
	struct subscriber	 s;
	struct conf		 c;
	struct db	*db;
	struct consent	 consent = { NULL, NULL, "cli" };
	const char	*v;
	char		 phone[PHONE_MAX], list[CMD_SUB_LIST_MAX + 1];
	char		 lang[8], show[64];
	int		 rc, result;

	if ((rc = cmd_sub_opt_list(ctx, list, sizeof list)) != CMD_OK)
		return rc;
	lang[0] = '\0';
	if ((v = cmd_get(ctx, "lang")) != NULL &&
	    cmd_sub_lang(v, lang, sizeof lang) == -1) {
		cmd_error("%s: unknown language '%s' (known: " CMD_SUB_LANGS
		    ")", ctx->entry->name, cmd_sub_show(v, show, sizeof show));
		return CMD_USAGE;
	}
	if ((rc = cmd_sub_open(ctx, &c, &db)) != CMD_OK)
		return rc;
	if (cli_phone(&c, ctx->argv[0], phone, sizeof phone) == -1) {
		rc = CMD_FAIL;
		goto out;
	}
	if (list[0] != '\0' && cmd_sub_ensure_list(db, list) == -1) {
		rc = cmd_error("database: %s", db_error(db));
		goto out;
	}
	if (subscriber_join(db, phone, list[0] != '\0' ? list : NULL,
	    lang[0] != '\0' ? lang : NULL, &consent, cli_now(), &result) ==
	    -1) {
		rc = cmd_error("database: %s", db_error(db));
		goto out;
	}
	if (list[0] == '\0')
		strlcpy(list, "default", sizeof list);
	switch (result) {
	case SUBSCRIBER_JOINED:
		printf("subscribed %s to list %s\n", phone, list);
		rc = CMD_OK;
		break;
	case SUBSCRIBER_ALREADY:
		printf("already subscribed: %s is on list %s\n", phone, list);
		rc = CMD_OK;
		break;
	case SUBSCRIBER_REFUSED:
		/* a marker: opted out, no row (forgotten, or past retention) */
		if (subscriber_get(db, phone, &s) == 0 && s.id == 0)
			rc = cmd_error("%s: this number asked not to be "
			    "contacted: only the member can rejoin, by "
			    "texting JOIN", phone);
		else
			rc = cmd_error("%s opted out: only the member can "
			    "rejoin, by texting JOIN", phone);
		break;
	case SUBSCRIBER_NO_LIST:
		rc = cmd_error("no such list: %s", list);
		break;
	default:
		rc = cmd_error("subscribe %s: unexpected result %d", phone,
		    result);
		break;
	}
out:
	cmd_sub_close(&c, db);
	return rc;
}

static int
cmd_sub_remove_exec(struct cmd_ctx *ctx)
{
	struct conf		 c;
	struct db		*db;
	struct subscriber	 s;
	char			 phone[PHONE_MAX];
	int			 rc, found;

	if ((rc = cmd_sub_open(ctx, &c, &db)) != CMD_OK)
		return rc;
	if (cli_phone(&c, ctx->argv[0], phone, sizeof phone) == -1) {
		rc = CMD_FAIL;
		goto out;
	}
	if (subscriber_get(db, phone, &s) == -1 ||
	    subscriber_remove(db, phone, cli_now(), &found) == -1) {
		rc = cmd_error("database: %s", db_error(db));
		goto out;
	}
	if (!found) {
		rc = cmd_error("not subscribed: %s", phone);
		goto out;
	}
	if (s.status == SUBSCRIBER_OPTED_OUT)
		printf("removed %s from every list (the opt-out is kept)\n",
		    phone);
	else
		printf("removed %s\n", phone);
	rc = CMD_OK;
out:
	cmd_sub_close(&c, db);
	return rc;
}

/* ===== lists ===== */

static int
cmd_sub_lists_json_cb(const char *name, long active, long out, void *arg)
{
	struct cmd_sub_walk	*w = arg;

	json_object_begin(&w->j);
	json_kv_string(&w->j, "name", name);
	json_kv_int(&w->j, "active", active);
	json_kv_int(&w->j, "opted_out", out);
	json_object_end(&w->j);
	return 0;
}

static int
cmd_sub_lists_text_cb(const char *name, long active, long out, void *arg)
{
	struct cmd_sub_walk	*w = arg;

	if (w->n++ == 0)
		printf("%-32s  %8s  %9s\n", "LIST", "ACTIVE", "OPTED-OUT");
	printf("%-32s  %8ld  %9ld\n", name, active, out);
	return 0;
}

static int
cmd_sub_lists_exec(struct cmd_ctx *ctx)
{
	struct conf		 c;
	struct db		*db;
	struct cmd_sub_walk	 w;
	int			 rc, json = cmd_isset(ctx, "json");

	if ((rc = cmd_sub_open(ctx, &c, &db)) != CMD_OK)
		return rc;
	memset(&w, 0, sizeof w);
	json_init(&w.j, stdout);
	if (json)
		json_array_begin(&w.j);
	rc = list_foreach(db, json ? cmd_sub_lists_json_cb :
	    cmd_sub_lists_text_cb, &w);
	if (json) {
		json_array_end(&w.j);
		fputc('\n', stdout);
	}
	rc = rc == -1 ? cmd_error("database: %s", db_error(db)) : CMD_OK;
	cmd_sub_close(&c, db);
	return rc;
}

/* ===== CSV reading ===== */

struct cmd_sub_csv {
	FILE		*f;
	unsigned long	 line;		/* of the next byte, 1-based */
	int		 push[4];	/* bytes read ahead, last first */
	int		 npush;
	int		 started;
	/* the record read last: NUL-separated fields in buf */
	char		*buf;
	size_t		 len;
	size_t		 off[CMD_SUB_CSV_FIELDS];
	size_t		 nfields;
	unsigned long	 start;		/* line where the record starts */
	const char	*err;		/* the record is malformed */
};

static int
cmd_sub_csv_getc(struct cmd_sub_csv *c)
{
	if (c->npush > 0)
		return c->push[--c->npush];
	return getc(c->f);
}

static void
cmd_sub_csv_ungetc(struct cmd_sub_csv *c, int ch)
{
	if (ch != EOF)
		c->push[c->npush++] = ch;
}

/* Text before the header: a UTF-8 BOM is skipped; UTF-16 is refused. */
static const char *
cmd_sub_csv_bom(struct cmd_sub_csv *c)
{
	int	b[3], i;

	for (i = 0; i < 3; i++)
		b[i] = cmd_sub_csv_getc(c);
	if (b[0] == 0xef && b[1] == 0xbb && b[2] == 0xbf)
		return NULL;
	if ((b[0] == 0xff && b[1] == 0xfe) || (b[0] == 0xfe && b[1] == 0xff))
		return "UTF-16 text: save the sheet as \"CSV UTF-8\"";
	for (i = 2; i >= 0; i--)
		cmd_sub_csv_ungetc(c, b[i]);
	return NULL;
}

static void
cmd_sub_csv_byte(struct cmd_sub_csv *c, int ch)
{
	if (ch == '\0' && c->err == NULL)
		c->err = "NUL byte in the row (is this a CSV file?)";
	if (c->len + 2 > CMD_SUB_CSV_RECORD) {
		if (c->err == NULL)
			c->err = "row longer than 65536 bytes";
		return;
	}
	c->buf[c->len++] = (char)ch;
}

static void
cmd_sub_csv_end_field(struct cmd_sub_csv *c, size_t start)
{
	if (c->nfields == CMD_SUB_CSV_FIELDS) {
		if (c->err == NULL)
			c->err = "more than 256 fields in the row";
		c->len = start;
		return;
	}
	if (c->len + 1 > CMD_SUB_CSV_RECORD)
		c->len = CMD_SUB_CSV_RECORD - 1;
	c->buf[c->len++] = '\0';
	c->off[c->nfields++] = start;
}

/* After a CR: a following LF belongs to it. */
static void
cmd_sub_csv_cr(struct cmd_sub_csv *c)
{
	int	ch = cmd_sub_csv_getc(c);

	if (ch != '\n')
		cmd_sub_csv_ungetc(c, ch);
	c->line++;
}

/*
 * Read one record into c: 1, or 0 at the end of the file.  A malformed
 * record is still read to its end (quotes respected, so the next record
 * starts where it should) and has c->err set.
 */
static int
cmd_sub_csv_record(struct cmd_sub_csv *c)
{
	size_t	start;
	int	ch, nx;

	c->len = 0;
	c->nfields = 0;
	c->err = NULL;
	c->start = c->line;
	if ((ch = cmd_sub_csv_getc(c)) == EOF)
		return 0;
	for (;;) {
		/* a field starts at ch */
		start = c->len;
		while (ch == ' ' || ch == '\t')
			ch = cmd_sub_csv_getc(c);
		if (ch == '"') {
			for (;;) {
				ch = cmd_sub_csv_getc(c);
				if (ch == EOF) {
					if (c->err == NULL)
						c->err = "quoted field not "
						    "closed before the end of "
						    "the file";
					break;
				}
				if (ch == '"') {
					if ((nx = cmd_sub_csv_getc(c)) == '"') {
						cmd_sub_csv_byte(c, '"');
						continue;
					}
					ch = nx;
					break;
				}
				/* a line break inside quotes is kept as
				 * it is, and counted */
				if (ch == '\r') {
					cmd_sub_csv_byte(c, ch);
					if ((ch = cmd_sub_csv_getc(c)) !=
					    '\n') {
						cmd_sub_csv_ungetc(c, ch);
						c->line++;
						continue;
					}
				}
				if (ch == '\n')
					c->line++;
				cmd_sub_csv_byte(c, ch);
			}
			while (ch == ' ' || ch == '\t')
				ch = cmd_sub_csv_getc(c);
			if (ch != ',' && ch != '\n' && ch != '\r' && ch != EOF &&
			    c->err == NULL)
				c->err = "text after the closing quote of a "
				    "field";
		}
		/* unquoted (or the rest after a bad closing quote) */
		while (ch != ',' && ch != '\n' && ch != '\r' && ch != EOF) {
			cmd_sub_csv_byte(c, ch);
			ch = cmd_sub_csv_getc(c);
		}
		/* trailing blanks of an unquoted field */
		while (c->len > start && (c->buf[c->len - 1] == ' ' ||
		    c->buf[c->len - 1] == '\t'))
			c->len--;
		cmd_sub_csv_end_field(c, start);
		if (ch == ',') {
			ch = cmd_sub_csv_getc(c);
			continue;
		}
		if (ch == '\n')
			c->line++;
		else if (ch == '\r')
			cmd_sub_csv_cr(c);
		return 1;
	}
}

static const char *
cmd_sub_csv_field(const struct cmd_sub_csv *c, size_t i)
{
	return c->buf + c->off[i];
}

/* A record of nothing but empty fields (a blank line, ",,,"). */
static int
cmd_sub_csv_blank(const struct cmd_sub_csv *c)
{
	size_t	i;

	for (i = 0; i < c->nfields; i++) {
		if (*cmd_sub_csv_field(c, i) != '\0')
			return 0;
	}
	return 1;
}

/* ===== subscribers import ===== */

static const char *const cmd_sub_phone_cols[] = {
	"phone", "number", "mobile", "telephone", "tel", "phone number",
	"mobile number", NULL
};
static const char *const cmd_sub_lang_cols[] = { "language", "lang", NULL };
static const char *const cmd_sub_list_cols[] = { "list", "lists", NULL };
static const char *const cmd_sub_status_cols[] = { "status", NULL };

struct cmd_sub_import {
	const char	*file;
	struct conf	*conf;
	struct db	*db;
	char		 cc[8];
	const char	*deflist;	/* --list, or NULL */
	long		 phone, lang, list, status;	/* columns, -1 */
	size_t		 nfields;			/* of the header */
	long		 imported, already, optedout, bad;
};

static long
cmd_sub_column(const struct cmd_sub_csv *c, const char *const *names)
{
	size_t	i, k;

	for (i = 0; i < c->nfields; i++) {
		for (k = 0; names[k] != NULL; k++) {
			if (strcasecmp(cmd_sub_csv_field(c, i), names[k]) == 0)
				return (long)i;
		}
	}
	return -1;
}

static void
cmd_sub_bad(struct cmd_sub_import *im, unsigned long line, const char *fmt,
    ...) __attribute__((format(printf, 3, 4)));

static void
cmd_sub_bad(struct cmd_sub_import *im, unsigned long line, const char *fmt,
    ...)
{
	va_list	ap;

	fprintf(stderr, "%s:%lu: ", im->file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	im->bad++;
}

/*
 * The lists of a row: names separated by ';' or '|' (or ',' inside
 * quotes), validated and lowercased into lists[].  Returns how many, or
 * -1 after reporting the row.
 */
static int
cmd_sub_row_lists(struct cmd_sub_import *im, const struct cmd_sub_csv *c,
    char lists[][CMD_SUB_LIST_MAX + 1])
{
	const char	*cell, *err;
	char		 word[CMD_SUB_CSV_RECORD / 64], show[64], *p, *name;
	size_t		 len;
	int		 n = 0;

	cell = im->list >= 0 ? cmd_sub_csv_field(c, (size_t)im->list) : "";
	if (strlen(cell) >= sizeof word) {
		cmd_sub_bad(im, c->start, "list names too long");
		return -1;
	}
	strlcpy(word, cell, sizeof word);
	p = word;
	while ((name = strsep(&p, ";|,")) != NULL) {
		while (*name == ' ' || *name == '\t')
			name++;
		len = strlen(name);
		while (len > 0 && (name[len - 1] == ' ' ||
		    name[len - 1] == '\t'))
			name[--len] = '\0';
		if (*name == '\0')
			continue;
		if (n == CMD_SUB_ROW_LISTS) {
			cmd_sub_bad(im, c->start, "more than %d lists",
			    CMD_SUB_ROW_LISTS);
			return -1;
		}
		if ((err = cmd_sub_list_name(name, lists[n], sizeof lists[n]))
		    != NULL) {
			cmd_sub_bad(im, c->start, "invalid list name '%s': %s",
			    cmd_sub_show(name, show, sizeof show), err);
			return -1;
		}
		n++;
	}
	if (n == 0 && im->deflist != NULL)
		strlcpy(lists[n++], im->deflist, sizeof lists[0]);
	else if (n == 0)
		lists[n++][0] = '\0';	/* the default list */
	return n;
}

/*
 * A status that says the member opted out, as tambuli's export writes it
 * or as other tools do (RapidPro "stopped", Twilio "opt-out", mailing
 * lists "unsubscribed"): the opt-out is recorded, never dropped as a bad
 * row (a later import without a status column would subscribe them).
 */
static int
cmd_sub_optout_word(const char *cell)
{
	static const char *const words[] = {
		"opted-out", "opted out", "opted_out", "optedout", "opt-out",
		"opt out", "opt_out", "optout", "unsubscribed", "stopped",
		"stop", "blocked",
	};
	size_t	i;

	for (i = 0; i < sizeof words / sizeof words[0]; i++)
		if (strcasecmp(cell, words[i]) == 0)
			return 1;
	return 0;
}

/* One data record: 0, or -1 on a database error (stop). */
static int
cmd_sub_import_row(struct cmd_sub_import *im, const struct cmd_sub_csv *c)
{
	struct consent		 consent = { NULL, NULL, "import" };
	struct subscriber	 s;
	char			 lists[CMD_SUB_ROW_LISTS][CMD_SUB_LIST_MAX + 1];
	char			 phone[PHONE_MAX], lang[8], show[64];
	const char		*cell, *err;
	int			 nlists, i, result, joined = 0, optout = 0, rc;
	long			 cancelled;

	if (c->err != NULL) {
		cmd_sub_bad(im, c->start, "%s", c->err);
		return 0;
	}
	if (c->nfields != im->nfields) {
		cmd_sub_bad(im, c->start, "%zu field%s, the header has %zu",
		    c->nfields, c->nfields == 1 ? "" : "s", im->nfields);
		return 0;
	}
	cell = cmd_sub_csv_field(c, (size_t)im->phone);
	if (*cell == '\0') {
		cmd_sub_bad(im, c->start, "empty phone number");
		return 0;
	}
	if (phone_normalize(cell, im->cc, phone, sizeof phone, &err) == -1) {
		cmd_sub_bad(im, c->start, "invalid number '%s': %s",
		    cmd_sub_show(cell, show, sizeof show), err);
		return 0;
	}
	if (im->status >= 0) {
		cell = cmd_sub_csv_field(c, (size_t)im->status);
		if (cmd_sub_optout_word(cell))
			optout = 1;
		else if (*cell != '\0' && strcasecmp(cell, "active") != 0 &&
		    strcasecmp(cell, "subscribed") != 0) {
			cmd_sub_bad(im, c->start, "unknown status '%s' "
			    "(expected active or opted-out)",
			    cmd_sub_show(cell, show, sizeof show));
			return 0;
		}
	}
	/* an opt-out is recorded whatever else the row says: a language
	 * or list this gateway does not know must not lose it */
	lang[0] = '\0';
	if (!optout && im->lang >= 0 &&
	    *(cell = cmd_sub_csv_field(c, (size_t)im->lang)) != '\0' &&
	    cmd_sub_lang(cell, lang, sizeof lang) == -1) {
		cmd_sub_bad(im, c->start, "unknown language '%s' (known: "
		    CMD_SUB_LANGS ")", cmd_sub_show(cell, show, sizeof show));
		return 0;
	}
	if (!optout && (nlists = cmd_sub_row_lists(im, c, lists)) == -1)
		return 0;

	if (optout) {
		/* an opt-out carried over from another gateway is kept */
		if (subscriber_get(im->db, phone, &s) == -1)
			return -1;
		/* a forgotten number's marker already keeps it: no row
		 * with the number again */
		if ((rc = mark_has(im->db, phone)) == -1)
			return -1;
		if (rc == 1) {
			im->optedout++;
			return 0;
		}
		if (s.status != SUBSCRIBER_OPTED_OUT &&
		    subscriber_optout(im->db, phone, &consent, cli_now(),
		    &cancelled) == -1)
			return -1;
		im->optedout++;
		return 0;
	}
	for (i = 0; i < nlists; i++) {
		if (lists[i][0] != '\0' && cmd_sub_ensure_list(im->db,
		    lists[i]) == -1)
			return -1;
		if (subscriber_join(im->db, phone, lists[i][0] != '\0' ?
		    lists[i] : NULL, lang[0] != '\0' ? lang : NULL, &consent,
		    cli_now(), &result) == -1)
			return -1;
		if (result == SUBSCRIBER_REFUSED) {
			if (subscriber_get(im->db, phone, &s) == -1)
				return -1;
			fprintf(stderr, "%s:%lu: skipped %s: %s (only the "
			    "member can rejoin, by texting JOIN)\n", im->file,
			    c->start, phone, s.id == 0 ?
			    "this number asked not to be contacted" :
			    "opted out");
			im->optedout++;
			return 0;
		}
		if (result == SUBSCRIBER_JOINED)
			joined = 1;
	}
	if (joined)
		im->imported++;
	else
		im->already++;
	return 0;
}

static int
cmd_sub_import_exec(struct cmd_ctx *ctx)
{
	int			 intx, batch = 0;
	struct conf		 c;
	struct db		*db = NULL;
	struct cmd_sub_import	 im;
	struct cmd_sub_csv	 csv;
	const char		*err;
	char			 deflist[CMD_SUB_LIST_MAX + 1];
	int			 rc, dberr = 0;

	if ((rc = cmd_sub_opt_list(ctx, deflist, sizeof deflist)) != CMD_OK)
		return rc;
	memset(&im, 0, sizeof im);
	memset(&csv, 0, sizeof csv);
	im.file = ctx->argv[0];
	im.deflist = deflist[0] != '\0' ? deflist : NULL;
	if (strcmp(im.file, "-") == 0) {
		csv.f = stdin;
		im.file = "(stdin)";
	} else if ((csv.f = fopen(im.file, "r")) == NULL)
		return cmd_error("%s: %s", im.file, strerror(errno));
	csv.line = 1;
	csv.buf = xmalloc(CMD_SUB_CSV_RECORD);
	if ((rc = cmd_sub_open(ctx, &c, &db)) != CMD_OK)
		goto out;
	im.conf = &c;
	im.db = db;
	snprintf(im.cc, sizeof im.cc, "%d", c.country);

	if ((err = cmd_sub_csv_bom(&csv)) != NULL) {
		rc = cmd_error("%s: %s", im.file, err);
		goto out;
	}
	/* the header: the first record that is not blank */
	do {
		if (cmd_sub_csv_record(&csv) == 0) {
			rc = cmd_error("%s: %s", im.file, ferror(csv.f) ?
			    strerror(errno) : "empty file (expected a header "
			    "row naming a phone column)");
			goto out;
		}
	} while (cmd_sub_csv_blank(&csv) && csv.err == NULL);
	if (csv.err != NULL) {
		rc = cmd_error("%s:%lu: header: %s", im.file, csv.start,
		    csv.err);
		goto out;
	}
	im.nfields = csv.nfields;
	im.phone = cmd_sub_column(&csv, cmd_sub_phone_cols);
	im.lang = cmd_sub_column(&csv, cmd_sub_lang_cols);
	im.list = cmd_sub_column(&csv, cmd_sub_list_cols);
	im.status = cmd_sub_column(&csv, cmd_sub_status_cols);
	if (im.phone == -1) {
		rc = cmd_error("%s:%lu: no phone column in the header (name "
		    "one phone, number, mobile, telephone or tel)", im.file,
		    csv.start);
		goto out;
	}

	/* rows are grouped CMD_SUB_BATCH to a transaction: one fsync per
	 * batch instead of per row, and short enough write locks that the
	 * daemon keeps sending meanwhile */
	intx = 0;
	while (cmd_sub_csv_record(&csv) == 1) {
		if (csv.err == NULL && cmd_sub_csv_blank(&csv))
			continue;
		if (!intx) {
			if (db_begin(db) == -1) {
				dberr = 1;
				break;
			}
			intx = 1;
		}
		if (cmd_sub_import_row(&im, &csv) == -1) {
			dberr = 1;
			break;
		}
		if (++batch == CMD_SUB_BATCH) {
			batch = 0;
			intx = 0;
			if (db_commit(db) == -1) {
				dberr = 1;
				break;
			}
		}
	}
	if (intx && !dberr && db_commit(db) == -1)
		dberr = 1;
	else if (intx && dberr)
		db_rollback(db);
	if (ferror(csv.f)) {
		cmd_error("%s: %s", im.file, strerror(errno));
		dberr = 1;
	}
	printf("imported %ld, already subscribed %ld, skipped %ld (opted "
	    "out), %ld bad row%s\n", im.imported, im.already, im.optedout,
	    im.bad, im.bad == 1 ? "" : "s");
	if (dberr && !ferror(csv.f))
		cmd_error("stopped at %s:%lu: database: %s", im.file,
		    csv.start, db_error(db));
	/* the good rows are in; a bad row still fails the command, so a
	 * script notices */
	rc = dberr || im.bad > 0 ? CMD_FAIL : CMD_OK;
out:
	if (db != NULL)
		cmd_sub_close(&c, db);
	if (csv.f != stdin)
		fclose(csv.f);
	free(csv.buf);
	return rc;
}

/* ===== subscribers forget ===== */

struct cmd_sub_forget {
	struct db	*db;
	char		 cc[8];
	long		 forgotten, unknown, bad;
};

/* Forget one number (normalized); -1 on a database error. */
static int
cmd_sub_forget_one(struct cmd_sub_forget *f, const char *phone)
{
	long	rows;

	if (forget_number(f->db, phone, f->cc, cli_now(), &rows) == -1)
		return -1;
	if (rows > 0) {
		printf("forgotten: %s (%ld row%s removed)\n", phone, rows,
		    rows == 1 ? "" : "s");
		f->forgotten++;
	} else {
		printf("not found: %s (marked: it will not be added again)\n",
		    phone);
		f->unknown++;
	}
	return 0;
}

/*
 * The numbers of a CSV file: the phone column named in a header row (as
 * import reads it), else the first column, the first row included when
 * it is a number.  Bad rows are reported and counted; -1 on a database
 * error or a file that cannot be read.
 */
static int
cmd_sub_forget_file(struct cmd_sub_forget *f, const char *file)
{
	struct cmd_sub_csv	 csv;
	const char		*cell, *err;
	char			 phone[PHONE_MAX], show[64];
	long			 col = 0;
	int			 first = 1, rc = -1;

	memset(&csv, 0, sizeof csv);
	if (strcmp(file, "-") == 0) {
		csv.f = stdin;
		file = "(stdin)";
	} else if ((csv.f = fopen(file, "r")) == NULL) {
		cmd_error("%s: %s", file, strerror(errno));
		return -1;
	}
	csv.line = 1;
	csv.buf = xmalloc(CMD_SUB_CSV_RECORD);
	if ((err = cmd_sub_csv_bom(&csv)) != NULL) {
		cmd_error("%s: %s", file, err);
		goto out;
	}
	while (cmd_sub_csv_record(&csv) == 1) {
		if (csv.err == NULL && cmd_sub_csv_blank(&csv))
			continue;
		if (csv.err != NULL) {
			fprintf(stderr, "%s:%lu: %s\n", file, csv.start,
			    csv.err);
			f->bad++;
			first = 0;
			continue;
		}
		cell = (size_t)col < csv.nfields ?
		    cmd_sub_csv_field(&csv, (size_t)col) : "";
		if (first) {
			first = 0;
			/* a header row names the column, or is a number */
			if (phone_normalize(cell, f->cc, phone, sizeof phone,
			    &err) == -1) {
				if ((col = cmd_sub_column(&csv,
				    cmd_sub_phone_cols)) == -1) {
					cmd_error("%s:%lu: neither a number "
					    "nor a header naming a phone "
					    "column: '%s'", file, csv.start,
					    cmd_sub_show(cell, show,
					    sizeof show));
					goto out;
				}
				continue;
			}
		}
		if (*cell == '\0') {
			fprintf(stderr, "%s:%lu: empty phone number\n", file,
			    csv.start);
			f->bad++;
			continue;
		}
		if (phone_normalize(cell, f->cc, phone, sizeof phone,
		    &err) == -1) {
			fprintf(stderr, "%s:%lu: invalid number '%s': %s\n",
			    file, csv.start, cmd_sub_show(cell, show,
			    sizeof show), err);
			f->bad++;
			continue;
		}
		if (cmd_sub_forget_one(f, phone) == -1) {
			cmd_error("stopped at %s:%lu: database: %s", file,
			    csv.start, db_error(f->db));
			goto out;
		}
	}
	if (ferror(csv.f)) {
		cmd_error("%s: %s", file, strerror(errno));
		goto out;
	}
	if (first)
		cmd_error("%s: no numbers in the file", file);
	else
		rc = 0;
out:
	if (csv.f != stdin)
		fclose(csv.f);
	free(csv.buf);
	return rc;
}

static int
cmd_sub_forget_exec(struct cmd_ctx *ctx)
{
	struct conf		 c;
	struct cmd_sub_forget	 f;
	const char		*file = cmd_get(ctx, "file");
	char			 phone[PHONE_MAX];
	int			 rc, dberr = 0;

	if ((file == NULL) == (ctx->argc == 0)) {
		cmd_error("%s: give a NUMBER or --file FILE, not %s",
		    ctx->entry->name, file == NULL ? "neither" : "both");
		return CMD_USAGE;
	}
	memset(&f, 0, sizeof f);
	if ((rc = cmd_sub_open(ctx, &c, &f.db)) != CMD_OK)
		return rc;
	snprintf(f.cc, sizeof f.cc, "%d", c.country);
	if (file == NULL) {
		if (cli_phone(&c, ctx->argv[0], phone, sizeof phone) == -1) {
			rc = CMD_FAIL;
			goto out;
		}
		if (cmd_sub_forget_one(&f, phone) == -1) {
			rc = cmd_error("database: %s", db_error(f.db));
			goto out;
		}
	} else if (cmd_sub_forget_file(&f, file) == -1)
		dberr = 1;
	/* what was forgotten must leave the -wal file too */
	if (f.forgotten + f.unknown > 0 && forget_checkpoint(f.db) == -1) {
		rc = cmd_error("the rows are deleted, but copies remain in the "
		    "write-ahead log (%s): run the command again",
		    db_error(f.db));
		goto out;
	}
	/* a file that could not be read at all has said why: no 0/0/0 */
	if (file != NULL && (!dberr || f.forgotten + f.unknown + f.bad > 0))
		printf("forgotten %ld, not found %ld, %ld bad row%s\n",
		    f.forgotten, f.unknown, f.bad, f.bad == 1 ? "" : "s");
	rc = dberr || f.bad > 0 ? CMD_FAIL : CMD_OK;
out:
	cmd_sub_close(&c, f.db);
	return rc;
}
