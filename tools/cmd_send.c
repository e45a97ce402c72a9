/*
 * tools/cmd_send.c — "tambuli send", "broadcasts", "broadcast show |
 * cancel | watch": alerts to a list.
 *
 * send stores the broadcast (and one outbox row per recipient) in one
 * transaction before it returns, so an alert is accepted even while the
 * daemon is down; it then nudges the daemon.  The first line of its
 * output is the broadcast id, alone, for scripts.
 */
#define _XOPEN_SOURCE 700	/* strptime */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "compat.h"
#include "json.h"
#include "keyword.h"
#include "utf8.h"

#define CMD_SEND_SIM_DAY		1000	/* carriers flag more a day */
#define CMD_SEND_MAX_SECS		(10LL * 365 * 86400)
#define CMD_SEND_POLL_MIN		(5LL * 60)	/* as poll_window */
#define CMD_SEND_POLL_MAX		(28LL * 86400)

static int	cmd_send_exec(struct cmd_ctx *);
static int	cmd_send_list_exec(struct cmd_ctx *);
static int	cmd_send_show_exec(struct cmd_ctx *);
static int	cmd_send_cancel_exec(struct cmd_ctx *);
static int	cmd_send_watch_exec(struct cmd_ctx *);
static int	cmd_send_answers_exec(struct cmd_ctx *);

static const struct cmd_opt cmd_send_opts[] = {
	{ "list", "NAME", "the list to send to (default: default)", 0 },
	{ "urgent", NULL, "send before everything routine already queued", 0 },
	{ "at", "TIME", "send later: \"18:30\", \"2026-12-18 17:00\", \"+2h\"",
	  0 },
	{ "expires", "DURATION",
	  "what is unsent after this is dropped (30m, 6h, 2d; default from "
	  "the configuration)", 0 },
	{ "text-en", "TEXT", "the text for members who read English", 0 },
	{ "text-es", "TEXT", "the text for Spanish", 0 },
	{ "text-tl", "TEXT", "the text for Tagalog", 0 },
	{ "text-zh", "TEXT", "the text for Chinese", 0 },
	{ "text-vi", "TEXT", "the text for Vietnamese", 0 },
	{ "text-ht", "TEXT", "the text for Haitian Creole", 0 },
	{ "text-ar", "TEXT", "the text for Arabic", 0 },
	{ "ask", "OPTIONS", "make it a poll: a reply that is one of these "
	  "comma-separated words (SAFE,HELP) is an answer", 0 },
	{ "alert-on", "OPTIONS", "answers forwarded to the organizers at once "
	  "(default: the last option; \"\" for none)", 0 },
	{ "ask-for", "DURATION", "how long replies count as answers (default "
	  "poll_window from the configuration, 24h)", 0 },
	{ "dry-run", NULL, "show the preview, queue nothing", 0 },
	{ "wait", NULL, "show progress and return when the broadcast is done",
	  0 },
	{ NULL, NULL, NULL, 0 }
};

static const char *cmd_send_langs[] = { "en", "es", "tl", "zh", "vi", "ht",
    "ar" };
#define CMD_SEND_NLANGS	(sizeof cmd_send_langs / sizeof cmd_send_langs[0])

static const struct cmd_opt cmd_send_json_opts[] = {
	{ "json", NULL, "print JSON", 0 },
	{ NULL, NULL, NULL, 0 }
};

const struct cmd_entry cmd_send_entry = {
	.name = "send",
	.args = "TEXT",
	.help = "send an alert to a list: stored at once, sent by the daemon",
	.opts = cmd_send_opts,
	.min_args = 1,
	.max_args = -1,
	.flags = CMD_OFFLINE_OK | CMD_PRIVILEGED,
	.exec = cmd_send_exec,
};

const struct cmd_entry cmd_send_list_entry = {
	.name = "broadcasts",
	.args = "",
	.help = "list broadcasts, newest first, with their progress",
	.opts = cmd_send_json_opts,
	.min_args = 0,
	.max_args = 0,
	.flags = CMD_OFFLINE_OK,
	.exec = cmd_send_list_exec,
};

const struct cmd_entry cmd_send_show_entry = {
	.name = "broadcast show",
	.args = "ID",
	.help = "show one broadcast: text, list, state and counts",
	.opts = cmd_send_json_opts,
	.min_args = 1,
	.max_args = 1,
	.flags = CMD_OFFLINE_OK,
	.exec = cmd_send_show_exec,
};

const struct cmd_entry cmd_send_answers_entry = {
	.name = "answers",
	.args = "ID [OPTION]",
	.help = "who answered a poll (send --ask) what, oldest first",
	.opts = cmd_send_json_opts,
	.min_args = 1,
	.max_args = 2,
	.flags = CMD_OFFLINE_OK,
	.exec = cmd_send_answers_exec,
};

const struct cmd_entry cmd_send_cancel_entry = {
	.name = "broadcast cancel",
	.args = "ID",
	.help = "cancel what is still queued of a broadcast",
	.min_args = 1,
	.max_args = 1,
	.flags = CMD_OFFLINE_OK | CMD_PRIVILEGED,
	.exec = cmd_send_cancel_exec,
};

const struct cmd_entry cmd_send_watch_entry = {
	.name = "broadcast watch",
	.args = "ID",
	.help = "show a broadcast's progress until it is done",
	.min_args = 1,
	.max_args = 1,
	.flags = CMD_OFFLINE_OK,
	.exec = cmd_send_watch_exec,
};

static int
cmd_send_id(const struct cmd_ctx *ctx, int64_t *id)
{
	const char	*err;

	*id = strtonum(ctx->argv[0], 1, INT64_MAX, &err);
	if (err != NULL) {
		cmd_error("%s: broadcast id %s is %s", ctx->entry->name,
		    ctx->argv[0], err);
		return -1;
	}
	return 0;
}

static const char *
cmd_send_encoding_name(enum sms_encoding e)
{
	switch (e) {
	case SMS_ENC_GSM7:
		return "GSM 7-bit";
	case SMS_ENC_UCS2:
		return "UCS-2";
	default:
		return "8-bit";
	}
}

/* The preview: recipients, encoding, segments, time, cost, advice. */
static void
cmd_send_preview(const struct conf *c, const struct plan *p, long n,
    const char *list)
{
	long	segs = (long)p->nseg * n, secs;
	int	modems;
	size_t	i;

	/* the running daemon knows which modems are up; else the
	 * configuration says how many there will be */
	if ((modems = client_ready_modems(c->socket)) <= 0)
		modems = c->nmodems > 0 ? (int)c->nmodems : 1;

	printf("recipients: %ld (list %s)\n", n, list ? list : "default");
	printf("encoding: %s\n", cmd_send_encoding_name(p->encoding));
	printf("segments per message: %zu (%zu %s; %zu left in the last)\n",
	    p->nseg, p->units, p->encoding == SMS_ENC_GSM7 ? "characters" :
	    "UTF-16 units", p->last_left);
	printf("total segments: %ld\n", segs);
	secs = plan_estimate_secs(segs, modems);
	if (secs < 60)
		printf("estimated time: about %ld seconds with %d modem%s\n",
		    secs, modems, modems == 1 ? "" : "s");
	else
		printf("estimated time: about %ld minutes with %d modem%s\n",
		    (secs + 59) / 60, modems, modems == 1 ? "" : "s");
	if (p->replaced > 0)
		printf("note: %zu typographic character%s replaced by plain "
		    "look-alikes to stay in GSM 7-bit\n", p->replaced,
		    p->replaced == 1 ? "" : "s");
	if (p->stripped > 0)
		printf("note: %zu accent%s dropped to stay in GSM 7-bit\n",
		    p->stripped, p->stripped == 1 ? "" : "s");
	if (p->encoding == SMS_ENC_UCS2 && p->nforcing > 0) {
		char ch[5];
		printf("expensive: UCS-2 (70 characters a segment instead of "
		    "160) because of");
		for (i = 0; i < p->nforcing && i < PLAN_MAX_FORCING && i < 5;
		    i++) {
			ch[utf8_encode(p->forcing[i].cp, ch)] = '\0';
			printf("%s '%s' at %zu", i ? "," : "", ch,
			    p->forcing[i].pos);
		}
		printf("; try \"tambuli pdu plan\" for cheaper wordings\n");
	}
	if (segs / modems > CMD_SEND_SIM_DAY)
		printf("warning: about %ld segments per SIM: carriers start "
		    "flagging consumer SIMs that send more than about %d a "
		    "day; add modems or set per-day caps\n", segs / modems,
		    CMD_SEND_SIM_DAY);
}

/* Each variant's encoding and segments: what it costs. */
static void
cmd_send_variants(const char **lang, struct plan **p, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		printf("variant %s: %s, %zu segment%s per message\n", lang[i],
		    cmd_send_encoding_name(p[i]->encoding), p[i]->nseg,
		    p[i]->nseg == 1 ? "" : "s");
}

/* "2m35s" */
static const char *
cmd_send_eta(double secs, char *buf, size_t len)
{
	long	s = (long)(secs + 0.5);

	if (s >= 3600)
		snprintf(buf, len, "%ldh%02ldm", s / 3600, (s % 3600) / 60);
	else if (s >= 60)
		snprintf(buf, len, "%ldm%02lds", s / 60, s % 60);
	else
		snprintf(buf, len, "%lds", s);
	return buf;
}

/* Redraw progress until the broadcast is finished. */
static int
cmd_send_progress(struct db *db, int64_t id)
{
	struct broadcast b;
	struct timespec	 ts = { 0, 250000000 }, t0, t;
	int		 tty = isatty(STDOUT_FILENO), rc, width = 30, k;
	long		 done, done0 = -1, last = -1;
	double		 el, rate = 0;
	time_t		 lastprint = 0, now;
	char		 eta[32], rates[48];

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		if ((rc = broadcast_get(db, id, &b)) != 0) {
			if (rc == 1)
				cmd_error("no broadcast %lld", (long long)id);
			else
				cmd_error("%s", db_error(db));
			return CMD_FAIL;
		}
		done = b.recipients - b.queued - b.sending;
		clock_gettime(CLOCK_MONOTONIC, &t);
		el = (double)(t.tv_sec - t0.tv_sec) +
		    (double)(t.tv_nsec - t0.tv_nsec) / 1e9;
		if (done0 == -1)
			done0 = done;
		if (el > 0.5 && done > done0)
			rate = (double)(done - done0) / el;
		rates[0] = '\0';
		if (rate > 0 && done < b.recipients)
			snprintf(rates, sizeof rates, " %.1f/s ETA %s", rate,
			    cmd_send_eta((double)(b.recipients - done) / rate,
			    eta, sizeof eta));
		now = time(NULL);
		if (tty) {
			k = b.recipients > 0 ? (int)(done * width /
			    b.recipients) : width;
			printf("\r[%.*s%*s] %ld/%ld sent %ld delivered %ld "
			    "failed %ld skipped %ld%s\033[K", k,
			    "##############################", width - k, "",
			    done, b.recipients, b.sent + b.delivered,
			    b.delivered, b.failed, b.skipped + b.expired +
			    b.cancelled, rates);
			fflush(stdout);
		} else if (done != last && (now - lastprint >= 2 ||
		    strcmp(b.state, "done") == 0 ||
		    strcmp(b.state, "cancelled") == 0)) {
			printf("broadcast %lld: %ld/%ld done, %ld sent, %ld "
			    "delivered, %ld failed, %ld skipped%s\n",
			    (long long)id, done, b.recipients, b.sent +
			    b.delivered, b.delivered, b.failed, b.skipped +
			    b.expired + b.cancelled, rates);
			fflush(stdout);
			lastprint = now;
			last = done;
		}
		if (strcmp(b.state, "done") == 0 ||
		    strcmp(b.state, "cancelled") == 0) {
			if (tty)
				printf("\nbroadcast %lld %s\n", (long long)id,
				    b.state);
			broadcast_clear(&b);
			return CMD_OK;
		}
		broadcast_clear(&b);
		/* the CLI waits on the database; the daemon never polls */
		nanosleep(&ts, NULL);
	}
}

/*
 * When to send: "now", "+DURATION", "HH:MM" (today, or tomorrow when
 * past), "YYYY-MM-DD HH:MM[:SS]" or with a T, in local time.
 */
static int
cmd_send_at(const char *s, int64_t now, int64_t *at)
{
	struct tm	 tm;
	time_t		 tt = (time_t)now;
	const char	*end;
	int64_t		 d;

	if (strcmp(s, "now") == 0) {
		*at = now;
		return 0;
	}
	if (s[0] == '+') {
		/* a duration past the limit is one: the caller says so */
		if (cli_duration(s + 1, 1, CMD_SEND_MAX_SECS, &d) == -1 &&
		    cli_duration(s + 1, 1, 100 * CMD_SEND_MAX_SECS, &d) == -1)
			return -1;
		*at = now + d;
		return 0;
	}
	localtime_r(&tt, &tm);
	tm.tm_sec = 0;
	tm.tm_isdst = -1;
	if ((end = strptime(s, "%H:%M", &tm)) != NULL && *end == '\0') {
		*at = (int64_t)mktime(&tm);
		if (*at < now - 60) {
			tm.tm_mday++;
			tm.tm_isdst = -1;
			*at = (int64_t)mktime(&tm);
		}
		return 0;
	}
	memset(&tm, 0, sizeof tm);
	tm.tm_isdst = -1;
	if (((end = strptime(s, "%Y-%m-%d %H:%M:%S", &tm)) != NULL &&
	    *end == '\0') ||
	    ((end = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm)) != NULL &&
	    *end == '\0') ||
	    ((end = strptime(s, "%Y-%m-%d %H:%M", &tm)) != NULL &&
	    *end == '\0') ||
	    ((end = strptime(s, "%Y-%m-%dT%H:%M", &tm)) != NULL &&
	    *end == '\0')) {
		int mday = tm.tm_mday, mon = tm.tm_mon;
		*at = (int64_t)mktime(&tm);
		/* mktime turns February 30 into March 2: refuse it */
		if (tm.tm_mday != mday || tm.tm_mon != mon)
			return -1;
		return 0;
	}
	return -1;
}

/* ---- polls (--ask) ------------------------------------------------------ */

struct cmd_send_poll {
	char		 opts[KEYWORD_OPTIONS_MAX][KEYWORD_OPTION_MAX];
	const char	*ptr[KEYWORD_OPTIONS_MAX];
	size_t		 n;		/* 0: no poll */
	unsigned	 alert;		/* bit i: option i is forwarded */
	int64_t		 window;	/* seconds */
};

/* "2d", "12h", "90m": a window as the preview writes it */
static const char *
cmd_send_span(int64_t secs, char *buf, size_t len)
{
	if (secs % 86400 == 0)
		snprintf(buf, len, "%lldd", (long long)(secs / 86400));
	else if (secs % 3600 == 0)
		snprintf(buf, len, "%lldh", (long long)(secs / 3600));
	else if (secs % 60 == 0)
		snprintf(buf, len, "%lldm", (long long)(secs / 60));
	else
		snprintf(buf, len, "%llds", (long long)secs);
	return buf;
}

/*
 * The opt-out and forget words the daemon knows: the built-in ones and
 * [keywords].
 */
static struct keyword_table *
cmd_send_keywords(const struct conf *c)
{
	struct keyword_table	*kt;
	const char		*err;
	size_t			 i;

	if ((kt = keyword_table_new()) == NULL)
		return NULL;
	for (i = 0; i < c->kw_stop.n; i++)
		(void)keyword_add(kt, KEYWORD_STOP, c->kw_stop.v[i].word,
		    c->kw_stop.v[i].lang[0] ? c->kw_stop.v[i].lang : "en",
		    &err);
	for (i = 0; i < c->kw_forget.n; i++)
		(void)keyword_add(kt, KEYWORD_FORGET, c->kw_forget.v[i].word,
		    c->kw_forget.v[i].lang[0] ? c->kw_forget.v[i].lang : "en",
		    &err);
	return kt;
}

/*
 * --ask, --alert-on and --ask-for into *p (p->n 0 without --ask): 0, or
 * -1 after a message.
 */
static int
cmd_send_poll_args(const struct cmd_ctx *ctx, const struct conf *c,
    struct cmd_send_poll *p)
{
	struct keyword_table	*kt;
	const char		*ask = cmd_get(ctx, "ask");
	const char		*on = cmd_get(ctx, "alert-on");
	const char		*v = cmd_get(ctx, "ask-for");
	char			 err[160];
	size_t			 i;
	int			 rc;

	memset(p, 0, sizeof *p);
	if (ask == NULL) {
		if (on != NULL || v != NULL) {
			cmd_error("send: --%s asks nothing without --ask",
			    on != NULL ? "alert-on" : "ask-for");
			return -1;
		}
		return 0;
	}
	if ((kt = cmd_send_keywords(c)) == NULL) {
		cmd_error("send: out of memory");
		return -1;
	}
	rc = keyword_poll_options(kt, ask, p->opts, &p->n, err, sizeof err);
	keyword_table_free(kt);
	if (rc == -1) {
		cmd_error("send: --ask %s: %s", ask, err);
		return -1;
	}
	for (i = 0; i < p->n; i++)
		p->ptr[i] = p->opts[i];
	if (on == NULL)
		p->alert = 1u << (p->n - 1);
	else if (keyword_poll_pick((const char (*)[KEYWORD_OPTION_MAX])
	    p->opts, p->n, on, &p->alert, err, sizeof err) == -1) {
		cmd_error("send: --alert-on %s: %s", on, err);
		return -1;
	}
	p->window = c->poll_window;
	if (v != NULL && (cli_duration(v, 1, CMD_SEND_POLL_MAX, &p->window) ==
	    -1 || p->window < CMD_SEND_POLL_MIN)) {
		cmd_error("send: --ask-for %s: expected a duration from 5m to "
		    "4w, like 12h or 2d", v);
		return -1;
	}
	return 0;
}

static void	cmd_send_poll_unnamed(const struct cmd_send_poll *,
		    const char *);

/* What the preview says of a poll (text: the message that asks). */
static void
cmd_send_poll_preview(const struct conf *c, const struct cmd_send_poll *p,
    const char *text, int64_t opens)
{
	char	span[32], when[32];
	size_t	i, k;

	printf("poll: answers ");
	for (i = 0; i < p->n; i++)
		printf("%s%s", i ? ", " : "", p->opts[i]);
	printf(" for %s (until %s)\n", cmd_send_span(p->window, span,
	    sizeof span), cli_time(opens + p->window, when, sizeof when));
	cmd_send_poll_unnamed(p, text);
	if (p->alert == 0)
		return;
	printf("poll: ");
	for (i = k = 0; i < p->n; i++) {
		if (p->alert & (1u << i))
			printf("%s%s", k++ ? ", " : "", p->opts[i]);
	}
	if (c->forward.n > 0)
		printf(" answers are forwarded to the organizers (%zu "
		    "number%s)\n", c->forward.n, c->forward.n == 1 ? "" : "s");
	else
		printf(" answers stay in the inbox: no forward numbers are "
		    "configured\n");
}

/* The options the text does not name: members may not know them. */
static void
cmd_send_poll_unnamed(const struct cmd_send_poll *p, const char *text)
{
	char	o[KEYWORD_OPTION_MAX + 2], *norm;
	size_t	i, k, len = strlen(text);

	norm = xmalloc(len + 3);
	norm[0] = ' ';
	keyword_normalize(text, len, norm + 1, len + 1);
	strlcat(norm, " ", len + 3);
	for (i = k = 0; i < p->n; i++) {
		o[0] = ' ';
		keyword_normalize(p->opts[i], strlen(p->opts[i]), o + 1,
		    sizeof o - 2);
		strlcat(o, " ", sizeof o);
		if (strstr(norm, o) != NULL)
			continue;
		printf("%s%s", k++ ? ", " : "note: the text does not name ",
		    p->opts[i]);
	}
	if (k > 0)
		printf(": members may not know to answer %s\n",
		    k == 1 ? "it" : "them");
	free(norm);
}

static int
cmd_send_exec(struct cmd_ctx *ctx)
{
	struct conf		 c;
	struct db		*db = NULL;
	struct plan		*p = NULL;
	struct plan_opts	 o;
	struct broadcast_new	 bn;
	struct cmd_send_poll	 poll;
	struct plan		*vplan[CMD_SEND_NLANGS];
	const char		*list = cmd_get(ctx, "list"), *err, *v, *why;
	const char		*vlang[CMD_SEND_NLANGS], *vtext[CMD_SEND_NLANGS];
	char			*text, opt[16], when[32];
	int64_t			 id, at = 0, expires = 0, now = cli_now();
	size_t			 nv = 0, i, at_char;
	unsigned		 ctl;
	long			 n;
	int			 rc = CMD_FAIL;

	if ((v = cmd_get(ctx, "at")) != NULL &&
	    (cmd_send_at(v, now, &at) == -1 || at < now - 60 ||
	    at > now + CMD_SEND_MAX_SECS)) {
		cmd_error("send: --at %s: %s", v,
		    at == -1 ? "beyond the dates this system's clock can "
		    "count (2038 on a 32-bit one)" :
		    at > now + CMD_SEND_MAX_SECS ? "more than 10 years ahead" :
		    at != 0 && at < now - 60 ? "that time is past" :
		    "expected now, +30m, 18:30 or a valid date like "
		    "2026-12-18 17:00");
		return CMD_USAGE;
	}
	if ((v = cmd_get(ctx, "expires")) != NULL &&
	    cli_duration(v, 1, CMD_SEND_MAX_SECS, &expires) == -1) {
		cmd_error("send: --expires %s: expected a duration like 30m, "
		    "6h or 2d", v);
		return CMD_USAGE;
	}
	text = cmd_join_args(ctx);
	if (text[0] != '\0' && text[strspn(text, " \t\r\n")] == '\0') {
		cmd_error("send: the text is blank");
		free(text);
		return CMD_FAIL;
	}
	if (cli_conf(ctx, &c) == -1) {
		free(text);
		return CMD_FAIL;
	}
	if (cmd_send_poll_args(ctx, &c, &poll) == -1) {
		conf_free(&c);
		free(text);
		return CMD_USAGE;
	}
	if (expires == 0)
		expires = c.expires;
	p = xmalloc(sizeof *p);
	cli_plan_opts(&c, &o);
	if (plan_make(p, text, strlen(text), &o, &err) == -1) {
		cmd_error("send: %s", err);
		free(p);
		p = NULL;
		goto out;
	}
	if (cli_control(text, &ctl, &at_char)) {
		cmd_error("send: control character U+%04X at character %zu of "
		    "the text: only line breaks can be sent; remove it", ctl,
		    at_char);
		goto out;
	}
	for (i = 0; i < CMD_SEND_NLANGS; i++) {
		snprintf(opt, sizeof opt, "text-%s", cmd_send_langs[i]);
		if ((v = cmd_get(ctx, opt)) == NULL)
			continue;
		vplan[nv] = xmalloc(sizeof *vplan[nv]);
		if (plan_make(vplan[nv], v, strlen(v), &o, &err) == -1) {
			cmd_error("send: --%s: %s", opt, err);
			free(vplan[nv]);
			goto out;
		}
		if (cli_control(v, &ctl, &at_char)) {
			cmd_error("send: --%s: control character U+%04X at "
			    "character %zu: only line breaks can be sent; "
			    "remove it", opt, ctl, at_char);
			plan_free(vplan[nv]);
			free(vplan[nv]);
			goto out;
		}
		vlang[nv] = cmd_send_langs[i];
		vtext[nv] = v;
		nv++;
	}
	if ((db = cli_db(&c)) == NULL)
		goto out;
	if (broadcast_recipients(db, list, &n) == -1) {
		cmd_error("send: %s", db_error(db));
		goto out;
	}
	if (cmd_isset(ctx, "dry-run")) {
		printf("dry run: nothing queued\n");
		cmd_send_preview(&c, p, n, list);
		cmd_send_variants(vlang, vplan, nv);
		if (poll.n > 0)
			cmd_send_poll_preview(&c, &poll, text, at > 0 ? at : now);
		rc = CMD_OK;
		goto out;
	}
	memset(&bn, 0, sizeof bn);
	bn.text = text;
	bn.list = list;
	bn.priority = cmd_isset(ctx, "urgent") ? OUTBOX_PRIO_URGENT :
	    OUTBOX_PRIO_ROUTINE;
	bn.scheduled_at = at;
	bn.expires_at = expires > 0 ? (at > 0 ? at : now) + expires : 0;
	bn.encoding = plan_encoding_name(p->encoding);
	bn.segments = (int)p->nseg;
	bn.variant_lang = vlang;
	bn.variant_text = vtext;
	bn.nvariants = nv;
	bn.poll_options = poll.ptr;
	bn.npoll = poll.n;
	bn.poll_alert = poll.alert;
	bn.poll_window = poll.window;
	if (broadcast_create(db, &bn, now, &id, &n) == -1) {
		cmd_error("send: %s", db_error(db));
		goto out;
	}
	/* stored as a finished broadcast (a record of what was tried);
	 * still exit 0: the text was accepted, the list is what is empty */
	if (n == 0)
		fprintf(stderr, "tambuli: warning: broadcast %lld reaches "
		    "nobody: the list %s has no active members (stored as "
		    "done, nothing will be sent)\n", (long long)id,
		    list != NULL ? list : "default");
	printf("%lld\n", (long long)id);
	cmd_send_preview(&c, p, n, list);
	cmd_send_variants(vlang, vplan, nv);
	if (poll.n > 0)
		cmd_send_poll_preview(&c, &poll, text, at > 0 ? at : now);
	if (at > now)
		printf("scheduled: %s\n", cli_time(at, when, sizeof when));
	if (bn.expires_at > 0)
		printf("expires: %s (unsent messages are dropped then)\n",
		    cli_time(bn.expires_at, when, sizeof when));
	fflush(stdout);
	rc = CMD_OK;
	switch (client_kick(c.socket)) {
	case -1:
		fprintf(stderr, "tambuli: the daemon is not running: broadcast "
		    "%lld is stored and goes out when tambulid starts\n",
		    (long long)id);
		break;
	case -2:
		/* a daemon that does not answer now is an operator's
		 * problem; the broadcast is safe in the database */
		(void)client_failure(&why);
		fprintf(stderr, "tambuli: %s; broadcast %lld is stored and "
		    "will go out\n", why, (long long)id);
		rc = CMD_FAIL;
		break;
	}
	if (cmd_isset(ctx, "wait") && cmd_send_progress(db, id) != CMD_OK)
		rc = CMD_FAIL;
out:
	if (p != NULL) {
		plan_free(p);
		free(p);
	}
	for (i = 0; i < nv; i++) {
		plan_free(vplan[i]);
		free(vplan[i]);
	}
	db_close(db);
	conf_free(&c);
	free(text);
	return rc;
}

/* ISO 8601 UTC, as the JSON of every command writes times. */
static const char *
cmd_send_iso(int64_t at, char *buf, size_t len)
{
	time_t		tt = (time_t)at;
	struct tm	tm;

	if (gmtime_r(&tt, &tm) == NULL ||
	    strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(buf, len, "1970-01-01T00:00:00Z");
	return buf;
}

/* A poll's answers, counted (show, answers). */
struct cmd_send_tally {
	int		 is_poll;
	struct poll	 p;
	long		 counts[POLL_OPTIONS_MAX];
	long		 unanswered;
};

/* 0 (t->is_poll 0 when the broadcast asks nothing), or -1 after a message */
static int
cmd_send_tally(struct db *db, int64_t id, struct cmd_send_tally *t)
{
	int	rc;

	memset(t, 0, sizeof *t);
	if ((rc = poll_get(db, id, &t->p)) == 1)
		return 0;
	if (rc == -1 || poll_counts(db, &t->p, t->counts, &t->unanswered) ==
	    -1) {
		cmd_error("%s", db_error(db));
		return -1;
	}
	t->is_poll = 1;
	return 0;
}

static void
cmd_send_json_broadcast(struct json *j, const struct broadcast *b,
    const struct cmd_send_tally *tally)
{
	char	t[32];
	time_t	tt = (time_t)b->created_at;
	struct tm tm;
	size_t	i;

	json_object_begin(j);
	json_kv_int(j, "id", b->id);
	json_kv_string(j, "text", b->text);
	json_kv_string(j, "list", b->list);
	json_kv_string(j, "state", b->state);
	json_kv_string(j, "priority", b->priority >= OUTBOX_PRIO_URGENT ?
	    "urgent" : "routine");
	/* an organizer's name when sent from their phone, else null */
	if (b->author[0] != '\0')
		json_kv_string(j, "author", b->author);
	else
		json_kv_null(j, "author");
	gmtime_r(&tt, &tm);
	strftime(t, sizeof t, "%Y-%m-%dT%H:%M:%SZ", &tm);
	json_kv_string(j, "created_at", t);
	json_kv_string(j, "encoding", b->encoding);
	json_kv_int(j, "segments", b->segments);
	json_kv_int(j, "recipients", b->recipients);
	json_kv_int(j, "queued", b->queued);
	json_kv_int(j, "sending", b->sending);
	/* sent: handed to the network, delivered ones included */
	json_kv_int(j, "sent", b->sent + b->delivered);
	json_kv_int(j, "delivered", b->delivered);
	json_kv_int(j, "failed", b->failed);
	json_kv_int(j, "skipped", b->skipped);
	json_kv_int(j, "expired", b->expired);
	json_kv_int(j, "cancelled", b->cancelled);
	if (tally != NULL && tally->is_poll) {
		/* the options in their order, then the members sent the
		 * poll who have not answered */
		json_key(j, "answers");
		json_object_begin(j);
		for (i = 0; i < tally->p.noptions; i++)
			json_kv_int(j, tally->p.options[i], tally->counts[i]);
		json_object_end(j);
		json_kv_int(j, "unanswered", tally->unanswered);
		json_key(j, "alert_on");
		json_array_begin(j);
		for (i = 0; i < tally->p.noptions; i++) {
			if (tally->p.alert & (1u << i))
				json_string(j, tally->p.options[i]);
		}
		json_array_end(j);
		cmd_send_iso(tally->p.closes_at, t, sizeof t);
		json_kv_string(j, "answers_until", t);
	}
	json_object_end(j);
}

struct cmd_send_list {
	struct json	 j;
	int		 json;
	int		 n;
};

static int
cmd_send_list_cb(const struct broadcast *b, void *arg)
{
	struct cmd_send_list	*l = arg;
	char			 t[32], text[48];
	size_t			 len;

	l->n++;
	if (l->json) {
		cmd_send_json_broadcast(&l->j, b, NULL);
		return 0;
	}
	if (l->n == 1)
		printf("%-6s %-16s %-9s %-10s %6s %6s %6s  %s\n", "ID",
		    "CREATED", "STATE", "LIST", "TO", "SENT", "FAILED",
		    "TEXT");
	/* cut the text at a character boundary */
	len = strlen(b->text);
	if (len > 40) {
		len = 40;
		while (len > 0 && ((unsigned char)b->text[len] & 0xc0) == 0x80)
			len--;
		snprintf(text, sizeof text, "%.*s...", (int)len, b->text);
	} else
		snprintf(text, sizeof text, "%s", b->text);
	cli_safe(text, 0);	/* one line per broadcast */
	printf("%-6lld %-16s %-9s %-10s %6ld %6ld %6ld  %s%s%s%s\n",
	    (long long)b->id, cli_time(b->created_at, t, sizeof t), b->state,
	    b->list, b->recipients, b->sent + b->delivered, b->failed, text,
	    b->author[0] ? " (by " : "", b->author, b->author[0] ? ")" : "");
	return 0;
}

static int
cmd_send_list_exec(struct cmd_ctx *ctx)
{
	struct cmd_send_list	 l;
	struct conf		 c;
	struct db		*db;
	int			 rc = CMD_OK;

	if (cli_conf(ctx, &c) == -1)
		return CMD_FAIL;
	if ((db = cli_db(&c)) == NULL) {
		conf_free(&c);
		return CMD_FAIL;
	}
	memset(&l, 0, sizeof l);
	l.json = cmd_isset(ctx, "json");
	json_init(&l.j, stdout);
	if (l.json)
		json_array_begin(&l.j);
	if (broadcast_foreach(db, 0, cmd_send_list_cb, &l) == -1) {
		cmd_error("broadcasts: %s", db_error(db));
		rc = CMD_FAIL;
	}
	if (l.json) {
		json_array_end(&l.j);
		fputc('\n', stdout);
	} else if (l.n == 0)
		printf("no broadcasts yet\n");
	db_close(db);
	conf_free(&c);
	return rc;
}

static int
cmd_send_show_exec(struct cmd_ctx *ctx)
{
	struct broadcast b;
	struct cmd_send_tally tally;
	struct json	 j;
	struct conf	 c;
	struct db	*db;
	int64_t		 id;
	char		 t[32];
	size_t		 i;
	int		 rc;

	if (cmd_send_id(ctx, &id) == -1)
		return CMD_USAGE;
	if (cli_conf(ctx, &c) == -1)
		return CMD_FAIL;
	if ((db = cli_db(&c)) == NULL) {
		conf_free(&c);
		return CMD_FAIL;
	}
	rc = broadcast_get(db, id, &b);
	if (rc != 0) {
		if (rc == 1)
			cmd_error("no broadcast %lld", (long long)id);
		else
			cmd_error("broadcast show: %s", db_error(db));
		db_close(db);
		conf_free(&c);
		return CMD_FAIL;
	}
	if (cmd_send_tally(db, id, &tally) == -1) {
		broadcast_clear(&b);
		db_close(db);
		conf_free(&c);
		return CMD_FAIL;
	}
	if (cmd_isset(ctx, "json")) {
		json_init(&j, stdout);
		cmd_send_json_broadcast(&j, &b, &tally);
		fputc('\n', stdout);
	} else {
		printf("broadcast %lld (%s)\n", (long long)b.id,
		    b.priority >= OUTBOX_PRIO_URGENT ? "urgent" : "routine");
		printf("text:       %s\n", cli_safe(b.text, 1));
		printf("list:       %s\n", b.list);
		if (b.author[0] != '\0')
			printf("author:     %s (from their phone)\n", b.author);
		printf("state:      %s\n", b.state);
		printf("created:    %s\n", cli_time(b.created_at, t, sizeof t));
		printf("encoding:   %s, %d segment%s per message\n",
		    b.encoding, b.segments, b.segments == 1 ? "" : "s");
		printf("recipients: %ld\n", b.recipients);
		printf("queued:     %ld (%ld being sent)\n", b.queued +
		    b.sending, b.sending);
		printf("sent:       %ld\n", b.sent + b.delivered);
		printf("delivered:  %ld\n", b.delivered);
		printf("failed:     %ld\n", b.failed);
		printf("skipped:    %ld (opted out or no longer subscribed)\n",
		    b.skipped);
		if (b.expired)
			printf("expired:    %ld\n", b.expired);
		if (b.cancelled)
			printf("cancelled:  %ld\n", b.cancelled);
		if (tally.is_poll) {
			printf("poll:       answers %s %s\n",
			    tally.p.closes_at > cli_now() ? "taken until" :
			    "closed at", cli_time(tally.p.closes_at, t,
			    sizeof t));
			for (i = 0; i < tally.p.noptions; i++)
				printf("%-11s %s %ld%s\n", i == 0 ? "answers:" :
				    "", tally.p.options[i], tally.counts[i],
				    tally.p.alert & (1u << i) ?
				    " (forwarded to the organizers)" : "");
			printf("unanswered: %ld\n", tally.unanswered);
		}
	}
	broadcast_clear(&b);
	db_close(db);
	conf_free(&c);
	return CMD_OK;
}

static int
cmd_send_cancel_exec(struct cmd_ctx *ctx)
{
	struct broadcast b;
	struct conf	 c;
	struct db	*db;
	int64_t		 id;
	long		 n;
	int		 rc, ret = CMD_FAIL;

	if (cmd_send_id(ctx, &id) == -1)
		return CMD_USAGE;
	if (cli_conf(ctx, &c) == -1)
		return CMD_FAIL;
	if ((db = cli_db(&c)) == NULL) {
		conf_free(&c);
		return CMD_FAIL;
	}
	rc = broadcast_cancel(db, id, cli_now(), &n);
	if (rc == -1)
		cmd_error("broadcast cancel: %s", db_error(db));
	else if (rc == 1) {
		if (broadcast_get(db, id, &b) == 0) {
			cmd_error("broadcast %lld is already %s",
			    (long long)id, b.state);
			broadcast_clear(&b);
		} else
			cmd_error("no broadcast %lld", (long long)id);
	} else {
		printf("broadcast %lld cancelled: %ld message%s will not be "
		    "sent\n", (long long)id, n, n == 1 ? "" : "s");
		ret = CMD_OK;
	}
	db_close(db);
	conf_free(&c);
	return ret;
}

static int
cmd_send_watch_exec(struct cmd_ctx *ctx)
{
	struct conf	 c;
	struct db	*db;
	int64_t		 id;
	int		 rc;

	if (cmd_send_id(ctx, &id) == -1)
		return CMD_USAGE;
	if (cli_conf(ctx, &c) == -1)
		return CMD_FAIL;
	if ((db = cli_db(&c)) == NULL) {
		conf_free(&c);
		return CMD_FAIL;
	}
	rc = cmd_send_progress(db, id);
	db_close(db);
	conf_free(&c);
	return rc;
}

struct cmd_send_answers {
	struct json	 j;
	int		 json;
	long		 n;
};

static int
cmd_send_answers_cb(const struct poll_answer *a, void *arg)
{
	struct cmd_send_answers	*w = arg;
	char			 t[32];
	const char		*p;

	w->n++;
	if (w->json) {
		json_object_begin(&w->j);
		if (poll_anonymous(a->phone))
			json_kv_null(&w->j, "phone");
		else
			json_kv_string(&w->j, "phone", a->phone);
		json_kv_string(&w->j, "option", a->option);
		json_kv_string(&w->j, "answered_at", cmd_send_iso(a->answered_at,
		    t, sizeof t));
		if (a->text != NULL)
			json_kv_string(&w->j, "text", a->text);
		else
			json_kv_null(&w->j, "text");
		json_object_end(&w->j);
		return 0;
	}
	if (w->n == 1)
		printf("%-16s %-15s %-16s  %s\n", "NUMBER", "OPTION",
		    "ANSWERED", "TEXT");
	printf("%-16s %-15s %-16s  ", poll_anonymous(a->phone) ?
	    "(anonymous)" : a->phone, a->option,
	    cli_time(a->answered_at, t, sizeof t));
	/* control characters would reach the terminal */
	for (p = a->text != NULL ? a->text : "-"; *p != '\0'; p++)
		putchar((unsigned char)*p < 0x20 || *p == 0x7f ? '?' : *p);
	putchar('\n');
	return 0;
}

static int
cmd_send_answers_exec(struct cmd_ctx *ctx)
{
	struct cmd_send_answers	 w;
	struct cmd_send_tally	 tally;
	struct conf		 c;
	struct db		*db;
	const char		*option = NULL;
	char			 err[160];
	unsigned		 mask;
	int64_t			 id;
	size_t			 i;
	int			 rc = CMD_FAIL;

	if (cmd_send_id(ctx, &id) == -1)
		return CMD_USAGE;
	if (cli_conf(ctx, &c) == -1)
		return CMD_FAIL;
	if ((db = cli_db(&c)) == NULL) {
		conf_free(&c);
		return CMD_FAIL;
	}
	if (cmd_send_tally(db, id, &tally) == -1)
		goto out;
	if (!tally.is_poll) {
		struct broadcast b;
		if (broadcast_get(db, id, &b) == 0) {
			cmd_error("answers: broadcast %lld is not a poll (it was "
			    "sent without --ask)", (long long)id);
			broadcast_clear(&b);
		} else
			cmd_error("no broadcast %lld", (long long)id);
		goto out;
	}
	if (ctx->argc == 2) {
		if (keyword_poll_pick((const char (*)[KEYWORD_OPTION_MAX])
		    tally.p.options, tally.p.noptions, ctx->argv[1], &mask, err,
		    sizeof err) == -1 || mask == 0 || (mask & (mask - 1)) != 0) {
			err[0] = '\0';
			for (i = 0; i < tally.p.noptions; i++) {
				strlcat(err, i ? ", " : "", sizeof err);
				strlcat(err, tally.p.options[i], sizeof err);
			}
			cmd_error("answers: %s is not an option of poll %lld "
			    "(%s)", ctx->argv[1], (long long)id, err);
			rc = CMD_USAGE;
			goto out;
		}
		for (i = 0; i < tally.p.noptions; i++) {
			if (mask & (1u << i))
				option = tally.p.options[i];
		}
	}
	memset(&w, 0, sizeof w);
	w.json = cmd_isset(ctx, "json");
	json_init(&w.j, stdout);
	if (w.json)
		json_array_begin(&w.j);
	if (poll_answers_foreach(db, id, option, cmd_send_answers_cb, &w) ==
	    -1) {
		cmd_error("answers: %s", db_error(db));
		goto out;
	}
	if (w.json) {
		json_array_end(&w.j);
		fputc('\n', stdout);
	} else if (w.n == 0)
		printf("no answers%s%s yet\n", option ? " " : "",
		    option ? option : "");
	rc = CMD_OK;
out:
	db_close(db);
	conf_free(&c);
	return rc;
}
