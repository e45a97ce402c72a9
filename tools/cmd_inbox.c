/*
 * tools/cmd_inbox.c — "tambuli inbox" and "tambuli reply": reading what
 * members texted and answering them.
 *
 * Both work on the database directly, so they work while the daemon is
 * down: a reply is committed to the outbox and waits there; the daemon is
 * nudged (KICK) if it runs.  Opt-out is checked again when the reply is
 * sent (outbox_claim), so a STOP that arrives after the reply was queued
 * still wins.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "cmd.h"
#include "compat.h"
#include "json.h"
#include "phone.h"

static int	cmd_inbox_exec(struct cmd_ctx *);
static int	cmd_inbox_reply_exec(struct cmd_ctx *);

static const struct cmd_opt cmd_inbox_opts[] = {
	{ "all", NULL, "every message, also keywords and handled ones", 0 },
	{ "json", NULL, "one JSON array instead of text", 0 },
	{ NULL, NULL, NULL, 0 }
};

const struct cmd_entry cmd_inbox_entry = {
	.name = "inbox",
	.args = "",
	.help = "show the texts members sent that need an organizer",
	.opts = cmd_inbox_opts,
	.min_args = 0,
	.max_args = 0,
	.flags = CMD_OFFLINE_OK,
	.exec = cmd_inbox_exec,
};

const struct cmd_entry cmd_inbox_reply_entry = {
	.name = "reply",
	.args = "NUMBER TEXT",
	.help = "queue a text to one number and mark its messages handled",
	.min_args = 2,
	.max_args = -1,
	.flags = CMD_OFFLINE_OK | CMD_PRIVILEGED,
	.exec = cmd_inbox_reply_exec,
};

static const char *
cmd_inbox_iso(int64_t t, char *buf, size_t len)
{
	time_t		 tt = (time_t)t;
	struct tm	 tm;

	if (gmtime_r(&tt, &tm) == NULL ||
	    strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		bsnprintf(buf, len, "1970-01-01T00:00:00Z");
	return buf;
}

struct cmd_inbox_walk {
	struct json	 j;
	long		 n;
};

static int
cmd_inbox_json_cb(const struct inbox_msg *m, void *arg)
{
	struct cmd_inbox_walk	*w = arg;
	char			 t[32], flags[sizeof m->flags], *p, *f;

	json_object_begin(&w->j);
	json_kv_int(&w->j, "id", (long long)m->id);
	json_kv_string(&w->j, "from", m->phone);
	json_kv_string(&w->j, "text", m->text != NULL ? m->text : "");
	json_kv_string(&w->j, "received_at", cmd_inbox_iso(m->received_at, t,
	    sizeof t));
	json_key(&w->j, "flags");
	json_array_begin(&w->j);
	strlcpy(flags, m->flags, sizeof flags);
	p = flags;
	while ((f = strsep(&p, ",")) != NULL) {
		if (*f != '\0')
			json_string(&w->j, f);
	}
	json_array_end(&w->j);
	if (m->keyword[0] != '\0')
		json_kv_string(&w->j, "keyword", m->keyword);
	else
		json_kv_null(&w->j, "keyword");
	if (m->modem[0] != '\0')
		json_kv_string(&w->j, "modem", m->modem);
	else
		json_kv_null(&w->j, "modem");
	json_kv_bool(&w->j, "handled", m->handled);
	/* identical texts after this one, counted, not stored */
	json_kv_int(&w->j, "repeats", (long long)m->repeats);
	json_object_end(&w->j);
	w->n++;
	return 0;
}

/*
 * A member's text on the terminal: control characters (an escape
 * sequence could rewrite the screen) become '?', and each line is
 * indented under the message's header line.
 */
static void
cmd_inbox_print_text(const char *s)
{
	fputs("    ", stdout);
	for (; *s != '\0'; s++) {
		if (*s == '\r' && s[1] == '\n')
			continue;
		if (*s == '\n' || *s == '\r')
			fputs("\n    ", stdout);
		else if ((unsigned char)*s < 0x20 || *s == 0x7f)
			fputc('?', stdout);
		else
			fputc(*s, stdout);
	}
	fputc('\n', stdout);
}

static int
cmd_inbox_text_cb(const struct inbox_msg *m, void *arg)
{
	struct cmd_inbox_walk	*w = arg;
	char			 t[32];

	if (w->n++ > 0)
		fputc('\n', stdout);
	printf("#%lld  %s  %s", (long long)m->id, cli_time(m->received_at, t,
	    sizeof t), m->phone);
	if (m->keyword[0] != '\0')
		printf("  keyword %s", m->keyword);
	if (m->flags[0] != '\0')
		printf("  [%s]", m->flags);
	if (m->repeats > 0)
		printf("  (x%lld)", (long long)m->repeats + 1);
	if (m->handled)
		printf("  (handled)");
	fputc('\n', stdout);
	cmd_inbox_print_text(m->text != NULL ? m->text : "");
	return 0;
}

static int
cmd_inbox_exec(struct cmd_ctx *ctx)
{
	struct conf		 c;
	struct db		*db;
	struct cmd_inbox_walk	 w;
	int			 rc, all = cmd_isset(ctx, "all");
	int			 json = cmd_isset(ctx, "json");

	if (cli_conf(ctx, &c) == -1)
		return CMD_FAIL;
	if ((db = cli_db(&c)) == NULL) {
		conf_free(&c);
		return CMD_FAIL;
	}
	memset(&w, 0, sizeof w);
	json_init(&w.j, stdout);
	if (json)
		json_array_begin(&w.j);
	rc = inbox_foreach(db, all, json ? cmd_inbox_json_cb :
	    cmd_inbox_text_cb, &w);
	if (json) {
		json_array_end(&w.j);
		fputc('\n', stdout);
	} else if (rc == 0 && w.n == 0)
		printf("no messages%s\n", all ? "" :
		    " to read (--all shows keywords and handled ones)");
	rc = rc == -1 ? cmd_error("database: %s", db_error(db)) : CMD_OK;
	db_close(db);
	conf_free(&c);
	return rc;
}

/* The arguments after the number, joined by single spaces. */
static char *
cmd_inbox_text(const struct cmd_ctx *ctx)
{
	size_t	len = 1;
	char	*s;
	int	i;

	for (i = 1; i < ctx->argc; i++)
		len += strlen(ctx->argv[i]) + 1;
	s = xmalloc(len);
	s[0] = '\0';
	for (i = 1; i < ctx->argc; i++) {
		if (i > 1)
			strlcat(s, " ", len);
		strlcat(s, ctx->argv[i], len);
	}
	return s;
}

static int
cmd_inbox_reply_exec(struct cmd_ctx *ctx)
{
	struct conf		 c;
	struct db		*db = NULL;
	struct subscriber	 s;
	struct plan_opts	 o;
	struct plan		*p = NULL;
	const char		*err;
	char			 phone[PHONE_MAX], *text;
	int64_t			 id;
	size_t			 at_char;
	unsigned		 ctl;
	int			 rc = CMD_FAIL;

	text = cmd_inbox_text(ctx);
	if (text[0] != '\0' && text[strspn(text, " \t\r\n")] == '\0') {
		cmd_error("reply: the text is blank");
		free(text);
		return CMD_FAIL;
	}
	if (cli_conf(ctx, &c) == -1) {
		free(text);
		return CMD_FAIL;
	}
	if (cli_phone(&c, ctx->argv[0], phone, sizeof phone) == -1)
		goto out;
	/* refuse what could never be sent before queueing anything */
	cli_plan_opts(&c, &o);
	p = xmalloc(sizeof *p);
	if (plan_make(p, text, strlen(text), &o, &err) == -1) {
		cmd_error("reply: %s", err);
		free(p);
		p = NULL;
		goto out;
	}
	if (cli_control(text, &ctl, &at_char)) {
		cmd_error("reply: control character U+%04X at character %zu "
		    "of the text: only line breaks can be sent; remove it", ctl,
		    at_char);
		goto out;
	}
	if ((db = cli_db(&c)) == NULL)
		goto out;
	if (subscriber_get(db, phone, &s) == -1) {
		cmd_error("database: %s", db_error(db));
		goto out;
	}
	if (s.status == SUBSCRIBER_OPTED_OUT) {
		cmd_error("opted out: %s receives nothing until they text JOIN "
		    "again", phone);
		goto out;
	}
	/* the reply and "handled" together, or neither */
	if (db_begin(db) == -1 ||
	    outbox_enqueue(db, phone, text, OUTBOX_REPLY, OUTBOX_PRIO_ORGANIZER,
	    cli_now(), &id) == -1 ||
	    inbox_mark_handled(db, phone) == -1 ||
	    db_commit(db) == -1) {
		cmd_error("database: %s", db_error(db));
		db_rollback(db);
		goto out;
	}
	client_kick(c.socket);
	printf("queued reply %lld to %s: %s, %zu segment%s\n", (long long)id,
	    phone, plan_encoding_name(p->encoding), p->nseg,
	    p->nseg == 1 ? "" : "s");
	rc = CMD_OK;
out:
	if (p != NULL) {
		plan_free(p);
		free(p);
	}
	if (db != NULL)
		db_close(db);
	conf_free(&c);
	free(text);
	return rc;
}
