/*
 * tools/cmd_status.c — "tambuli status" and "tambuli ussd": the live
 * state of the daemon's modems, and USSD through them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "compat.h"
#include "json.h"
#include "nettime.h"

static int	cmd_status_exec(struct cmd_ctx *);
static int	cmd_status_ussd_exec(struct cmd_ctx *);

static const struct cmd_opt cmd_status_opts[] = {
	{ "json", NULL, "print JSON", 0 },
	{ NULL, NULL, NULL, 0 }
};

static const struct cmd_opt cmd_status_ussd_opts[] = {
	{ "modem", "NAME", "the modem to use (default: the first ready)", 0 },
	{ NULL, NULL, NULL, 0 }
};

const struct cmd_entry cmd_status_entry = {
	.name = "status",
	.args = "",
	.help = "modems (state, signal, operator, storage, last error, the "
	    "network's time and the system clock's offset, balance), queue "
	    "depth, broadcasts in progress, retention and the last purge",
	.opts = cmd_status_opts,
	.min_args = 0,
	.max_args = 0,
	.flags = CMD_NEEDS_DAEMON,
	.exec = cmd_status_exec,
};

const struct cmd_entry cmd_status_ussd_entry = {
	.name = "ussd",
	.args = "CODE [REPLY...]",
	.help = "run a USSD code (balance, bundle menus) through a modem of "
	    "the running daemon",
	.opts = cmd_status_ussd_opts,
	.min_args = 1,
	.max_args = -1,
	.flags = CMD_NEEDS_DAEMON | CMD_PRIVILEGED,
	.exec = cmd_status_ussd_exec,
};

#define CMD_STATUS_MODEMS	16
#define CMD_STATUS_KEYS		48

struct cmd_status_modem {
	char	*key[CMD_STATUS_KEYS];
	char	*val[CMD_STATUS_KEYS];
	size_t	 n;
};

struct cmd_status {
	struct cmd_status_modem	 m[CMD_STATUS_MODEMS];
	size_t			 n;
	long			 queue, broadcasts;
	/* retention: from the daemon, else from the store */
	int			 ret_known, ret_running;
	int64_t			 ret_secs, ret_last;
	struct retain_counts	 ret;
	long			 db_held;	/* not stored yet */
	char			 db_error[CTL_PROTO_LINE_MAX + 1];
};

/* "retention SECONDS running 0|1 last_run T inbox N outbox N ..." */
static void
cmd_status_retention(struct cmd_status *st, const struct ctl_arg *av,
    size_t ac)
{
	size_t	i;
	long	v;

	st->ret_known = 1;
	st->ret_secs = strtoll(av[1].s, NULL, 10);
	for (i = 2; i + 1 < ac; i += 2) {
		v = strtol(av[i + 1].s, NULL, 10);
		if (strcmp(av[i].s, "running") == 0)
			st->ret_running = v != 0;
		else if (strcmp(av[i].s, "last_run") == 0)
			st->ret_last = strtoll(av[i + 1].s, NULL, 10);
		else if (strcmp(av[i].s, "inbox") == 0)
			st->ret.inbox = v;
		else if (strcmp(av[i].s, "outbox") == 0)
			st->ret.outbox = v;
		else if (strcmp(av[i].s, "numbers") == 0)
			st->ret.numbers = v;
		else if (strcmp(av[i].s, "consent_texts") == 0)
			st->ret.consent_texts = v;
	}
}

/* "retention: 90 days; last purge 2026-12-04 10:00 removed ..." */
static void
cmd_status_retention_print(const struct cmd_status *st)
{
	char	t[32];

	if (st->ret_secs % 86400 == 0)
		printf("retention: %lld day%s", (long long)(st->ret_secs / 86400),
		    st->ret_secs == 86400 ? "" : "s");
	else
		printf("retention: %lld hour%s", (long long)(st->ret_secs / 3600),
		    st->ret_secs == 3600 ? "" : "s");
	if (st->ret_last == 0)
		printf("; no purge yet");
	else
		printf("; last purge %s removed %ld inbox text%s, %ld outbox "
		    "row%s, %ld number%s (now markers), %ld consent text%s",
		    cli_time(st->ret_last, t, sizeof t), st->ret.inbox,
		    st->ret.inbox == 1 ? "" : "s", st->ret.outbox,
		    st->ret.outbox == 1 ? "" : "s", st->ret.numbers,
		    st->ret.numbers == 1 ? "" : "s", st->ret.consent_texts,
		    st->ret.consent_texts == 1 ? "" : "s");
	if (st->ret_running)
		printf("; purging now");
	printf("\n");
}

/* "modem NAME key value ..." or "queue N broadcasts N" */
static void
cmd_status_body(const char *line, void *arg)
{
	struct cmd_status	*st = arg;
	struct ctl_arg		 av[CTL_PROTO_ARGS_MAX * 8];
	char			 buf[CTL_PROTO_LINE_MAX + 1];
	const char		*err;
	size_t			 ac, i;
	struct cmd_status_modem	*m;

	if (ctl_proto_split(line, strlen(line), buf, sizeof buf, av,
	    sizeof av / sizeof av[0], &ac, &err) == -1 || ac < 2)
		return;
	if (strcmp(av[0].s, "queue") == 0 && ac >= 4) {
		st->queue = strtol(av[1].s, NULL, 10);
		st->broadcasts = strtol(av[3].s, NULL, 10);
		return;
	}
	/* "database held N error TEXT" */
	if (strcmp(av[0].s, "database") == 0 && ac >= 5 &&
	    strcmp(av[1].s, "held") == 0 && strcmp(av[3].s, "error") == 0) {
		st->db_held = strtol(av[2].s, NULL, 10);
		strlcpy(st->db_error, av[4].s, sizeof st->db_error);
		return;
	}
	if (strcmp(av[0].s, "retention") == 0) {
		cmd_status_retention(st, av, ac);
		return;
	}
	if ((strcmp(av[0].s, "modem") != 0 && strcmp(av[0].s, "balance") != 0) ||
	    st->n == CMD_STATUS_MODEMS)
		return;
	m = &st->m[st->n++];
	m->key[0] = xstrdup("name");
	m->val[0] = xstrdup(av[1].s);
	m->n = 1;
	for (i = 2; i + 1 < ac && m->n < CMD_STATUS_KEYS; i += 2) {
		m->key[m->n] = xstrdup(av[i].s);
		m->val[m->n] = xstrdup(av[i + 1].s);
		m->n++;
	}
}

static const char *
cmd_status_get(const struct cmd_status_modem *m, const char *k)
{
	size_t	i;

	for (i = 0; i < m->n; i++)
		if (strcmp(m->key[i], k) == 0)
			return m->val[i];
	return "";
}

/* "12.50" as a JSON number written the shortest way (12.5), or null. */
static void
cmd_status_json_amount(struct json *j, const char *v)
{
	char	buf[64];
	char	*end;
	double	d;

	d = strtod(v, &end);
	if (*v == '\0' || *end != '\0') {
		json_null(j);
		return;
	}
	snprintf(buf, sizeof buf, "%.15g", d);
	json_raw(j, buf);
}

/* A time in seconds, or null for 0 / none. */
static void
cmd_status_json_time(struct json *j, const char *v)
{
	long long	t = strtoll(v, NULL, 10);

	if (t <= 0)
		json_null(j);
	else
		json_int(j, t);
}

/*
 * The credit watch of a modem (status or balance line): "balance":
 * {"amount", "text", "checked_at", "low"}, "no_credit", "no_credit_at".
 */
static void
cmd_status_json_credit(struct json *j, const struct cmd_status_modem *m)
{
	const char	*text = cmd_status_get(m, "balance_text");
	const char	*err = cmd_status_get(m, "balance_error");

	json_key(j, "balance");
	json_object_begin(j);
	json_key(j, "amount");
	cmd_status_json_amount(j, cmd_status_get(m, "balance_amount"));
	if (*text)
		json_kv_string(j, "text", text);
	else
		json_kv_null(j, "text");
	json_key(j, "checked_at");
	cmd_status_json_time(j, cmd_status_get(m, "balance_checked_at"));
	json_kv_bool(j, "low", strcmp(cmd_status_get(m, "balance_low"),
	    "yes") == 0);
	if (*cmd_status_get(m, "balance_code"))
		json_kv_string(j, "code", cmd_status_get(m, "balance_code"));
	else
		json_kv_null(j, "code");
	if (*err)
		json_kv_string(j, "error", err);
	else
		json_kv_null(j, "error");
	json_object_end(j);
	json_kv_bool(j, "no_credit", strcmp(cmd_status_get(m, "no_credit_at"),
	    "0") != 0 && *cmd_status_get(m, "no_credit_at"));
	json_key(j, "no_credit_at");
	cmd_status_json_time(j, cmd_status_get(m, "no_credit_at"));
}

/* "3 min ago", "2 h ago" */
static void
cmd_status_ago(char *buf, size_t len, long long then)
{
	long long	d = (long long)time(NULL) - then;

	if (d < 0)
		d = 0;
	if (d < 120)
		snprintf(buf, len, "%lld s ago", d);
	else if (d < 2 * 3600)
		snprintf(buf, len, "%lld min ago", d / 60);
	else if (d < 2 * 86400)
		snprintf(buf, len, "%lld h ago", d / 3600);
	else
		snprintf(buf, len, "%lld days ago", d / 86400);
}

/*
 * The human lines of a modem's credit watch:
 *   balance: 12.50 (2 h ago) "Your balance is PHP 12.50", low
 *   OUT OF CREDIT since 2026-12-04 18:20 (not sending through it)
 */
static void
cmd_status_print_credit(const struct cmd_status_modem *m, const char *indent)
{
	const char	*amount = cmd_status_get(m, "balance_amount");
	const char	*text = cmd_status_get(m, "balance_text");
	const char	*err = cmd_status_get(m, "balance_error");
	long long	 at = strtoll(cmd_status_get(m, "balance_checked_at"),
			    NULL, 10);
	long long	 nc = strtoll(cmd_status_get(m, "no_credit_at"), NULL,
			    10);
	char		 ago[32], when[32];
	time_t		 t;
	struct tm	 tm;

	if (!*cmd_status_get(m, "balance_code") && at <= 0 && nc <= 0)
		return;
	printf("%sbalance: ", indent);
	if (at <= 0)
		printf("not checked yet");
	else {
		cmd_status_ago(ago, sizeof ago, at);
		printf("%s (%s)", *amount ? amount : "unknown", ago);
		if (*text)
			printf(" \"%s\"", text);
		if (strcmp(cmd_status_get(m, "balance_low"), "yes") == 0)
			printf(", LOW");
	}
	if (*err)
		printf("; last check failed: %s", err);
	printf("\n");
	if (nc > 0) {
		t = (time_t)nc;
		localtime_r(&t, &tm);
		strftime(when, sizeof when, "%Y-%m-%d %H:%M", &tm);
		printf("%sOUT OF CREDIT since %s: not sending through it\n",
		    indent, when);
	}
}

static void
cmd_status_cap(const struct cmd_status_modem *m, const char *key)
{
	const char	*v = cmd_status_get(m, key);

	if (*v != '\0' && strcmp(v, "0") != 0)
		printf(" (cap %s)", v);
}

/*
 * "clock: network 2026-12-04 10:00:03 +08:00 (NITZ), system clock 3 h
 * behind", or that the modem has no network time.
 */
static void
cmd_status_clock(const struct cmd_status_modem *m)
{
	const char	*net = cmd_status_get(m, "clock_network");
	const char	*src = cmd_status_get(m, "clock_source");
	char		 when[48], off[48];
	int64_t		 o;

	if (*net == '\0') {
		printf("  clock: no network time from this modem (not yet, or "
		    "the network sends none)\n");
		return;
	}
	nettime_format(strtoll(net, NULL, 10), (int)strtol(cmd_status_get(m,
	    "clock_tz"), NULL, 10), when, sizeof when);
	o = strtoll(cmd_status_get(m, "clock_offset"), NULL, 10);
	nettime_offset_words(o, off, sizeof off);
	printf("  clock: network %s (%s%s), system clock %s\n", when,
	    strcmp(src, "nitz") == 0 ? "NITZ" : "modem clock",
	    strcmp(cmd_status_get(m, "clock_confirmed"), "yes") == 0 ? "" :
	    ", one reading", off);
}

/* "clock": {"network": N, "offset": N, "tz_minutes": N, "source": S,
 * "confirmed": B} or null */
static void
cmd_status_clock_json(struct json *j, const struct cmd_status_modem *m)
{
	const char	*net = cmd_status_get(m, "clock_network");
	long		 tz;

	json_key(j, "clock");
	if (*net == '\0') {
		json_null(j);
		return;
	}
	json_object_begin(j);
	json_kv_int(j, "network", strtoll(net, NULL, 10));
	json_kv_int(j, "offset", strtoll(cmd_status_get(m, "clock_offset"),
	    NULL, 10));
	tz = strtol(cmd_status_get(m, "clock_tz"), NULL, 10);
	json_key(j, "tz_minutes");
	if (tz == NETTIME_TZ_UNKNOWN)
		json_null(j);
	else
		json_int(j, tz * 15);
	json_kv_string(j, "source", cmd_status_get(m, "clock_source"));
	json_kv_bool(j, "confirmed", strcmp(cmd_status_get(m,
	    "clock_confirmed"), "yes") == 0);
	json_object_end(j);
}

static int
cmd_status_bc_cb(const struct broadcast *b, void *arg)
{
	struct json	*j = arg;

	if (strcmp(b->state, "queued") != 0 && strcmp(b->state, "sending") != 0)
		return 0;
	if (j != NULL) {
		json_object_begin(j);
		json_kv_int(j, "id", b->id);
		json_kv_string(j, "state", b->state);
		json_kv_string(j, "list", b->list);
		json_kv_int(j, "recipients", b->recipients);
		json_kv_int(j, "sent", b->sent + b->delivered);
		json_kv_int(j, "failed", b->failed);
		json_kv_int(j, "queued", b->queued + b->sending);
		json_object_end(j);
	} else
		printf("  broadcast %lld (%s, list %s): %ld/%ld sent, %ld "
		    "failed, %ld queued\n", (long long)b->id, b->state, b->list,
		    b->sent + b->delivered, b->recipients, b->failed,
		    b->queued + b->sending);
	return 0;
}

static int
cmd_status_exec(struct cmd_ctx *ctx)
{
	struct cmd_status	 st;
	struct client		*cl;
	struct conf		 c;
	struct db		*db;
	struct json		 j;
	const char		*text, *sig;
	char			*cause = NULL;
	size_t			 i, k;
	int			 code = -1, json = cmd_isset(ctx, "json");

	if (cli_conf(ctx, &c) == -1)
		return CMD_FAIL;
	memset(&st, 0, sizeof st);
	if ((cl = client_open(c.socket, &cause)) != NULL) {
		code = client_request(cl, CTL_VERB_STATUS, NULL,
		    cmd_status_body, NULL, &st, &text);
		client_close(cl);
		if (code != CTL_CODE_OK) {
			free(cause);
			xasprintf(&cause, "status: %s", text);
		}
	}
	db = cli_db(&c);
	if (!st.ret_known) {
		st.ret_secs = c.retention;
		if (db != NULL)
			(void)retain_last(db, &st.ret_last, &st.ret);
	}
	if (json) {
		json_init(&j, stdout);
		json_object_begin(&j);
		json_kv_string(&j, "daemon", code == CTL_CODE_OK ? "running" :
		    client_failure(NULL) == CLIENT_NO_ANSWER ? "not answering" :
		    client_failure(NULL) == CLIENT_REFUSED ? "refused" :
		    "not running");
		json_key(&j, "modems");
		json_array_begin(&j);
		for (i = 0; i < st.n; i++) {
			json_object_begin(&j);
			for (k = 0; k < st.m[i].n; k++) {
				const char *key = st.m[i].key[k];
				const char *v = st.m[i].val[k];
				if (strncmp(key, "clock_", 6) == 0 ||
				    strncmp(key, "balance_", 8) == 0 ||
				    strcmp(key, "no_credit_at") == 0)
					continue;	/* below */
				if (strcmp(key, "signal") == 0) {
					json_key(&j, "signal_dbm");
					if (strcmp(v, "0") == 0)
						json_null(&j);
					else
						json_int(&j, strtol(v, NULL,
						    10));
				} else if (strcmp(key, "rate") == 0) {
					json_key(&j, "rate_per_minute");
					json_raw(&j, v);
				} else if (strcmp(key, "storage_used") == 0 ||
				    strcmp(key, "today") == 0 ||
				    strcmp(key, "this_hour") == 0 ||
				    strcmp(key, "this_minute") == 0 ||
				    strcmp(key, "cap_day") == 0 ||
				    strcmp(key, "cap_hour") == 0 ||
				    strcmp(key, "cap_minute") == 0 ||
				    strcmp(key, "capped_for") == 0 ||
				    strcmp(key, "storage_total") == 0 ||
				    strcmp(key, "sent") == 0 ||
				    strcmp(key, "failed") == 0 ||
				    strcmp(key, "received") == 0)
					json_kv_int(&j, key, strtol(v, NULL,
					    10));
				else if (strcmp(key, "busy") == 0)
					json_kv_bool(&j, key,
					    strcmp(v, "yes") == 0);
				else
					json_kv_string(&j, key, v);
			}
			cmd_status_clock_json(&j, &st.m[i]);
			cmd_status_json_credit(&j, &st.m[i]);
			json_object_end(&j);
		}
		json_array_end(&j);
		if (db != NULL)
			(void)outbox_depth(db, &st.queue, &st.broadcasts);
		json_kv_int(&j, "queue", st.queue);
		json_kv_int(&j, "not_stored", st.db_held);
		json_key(&j, "database_error");
		if (st.db_held > 0)
			json_string(&j, st.db_error);
		else
			json_null(&j);
		json_key(&j, "retention");
		json_object_begin(&j);
		json_kv_int(&j, "days", st.ret_secs / 86400);
		json_kv_int(&j, "seconds", st.ret_secs);
		json_kv_int(&j, "last_run", st.ret_last);
		json_kv_bool(&j, "running", st.ret_running);
		json_key(&j, "removed");
		json_object_begin(&j);
		json_kv_int(&j, "inbox", st.ret.inbox);
		json_kv_int(&j, "outbox", st.ret.outbox);
		json_kv_int(&j, "numbers", st.ret.numbers);
		json_kv_int(&j, "consent_texts", st.ret.consent_texts);
		json_object_end(&j);
		json_object_end(&j);
		json_key(&j, "broadcasts");
		json_array_begin(&j);
		if (db != NULL)
			(void)broadcast_foreach(db, 50, cmd_status_bc_cb, &j);
		json_array_end(&j);
		json_object_end(&j);
		fputc('\n', stdout);
	} else {
		if (code == CTL_CODE_OK)
			printf("daemon: running\n");
		else
			printf("daemon: %s\n", cause ? cause : "no answer");
		for (i = 0; i < st.n; i++) {
			const struct cmd_status_modem *m = &st.m[i];
			sig = cmd_status_get(m, "signal");
			printf("modem %s: %s", cmd_status_get(m, "name"),
			    cmd_status_get(m, "state"));
			if (*cmd_status_get(m, "operator"))
				printf(", %s", cmd_status_get(m, "operator"));
			if (strcmp(sig, "0") != 0 && *sig)
				printf(", signal %s dBm", sig);
			if (strcmp(cmd_status_get(m, "storage_total"), "-1"))
				printf(", storage %s/%s",
				    cmd_status_get(m, "storage_used"),
				    cmd_status_get(m, "storage_total"));
			printf(", sent %s, failed %s, received %s",
			    cmd_status_get(m, "sent"),
			    cmd_status_get(m, "failed"),
			    cmd_status_get(m, "received"));
			if (strcmp(cmd_status_get(m, "busy"), "yes") == 0)
				printf(", sending");
			printf("\n");
			printf("  rate %s/min; today %s", cmd_status_get(m,
			    "rate"), cmd_status_get(m, "today"));
			cmd_status_cap(m, "cap_day");
			printf(", this hour %s", cmd_status_get(m,
			    "this_hour"));
			cmd_status_cap(m, "cap_hour");
			printf(", this minute %s", cmd_status_get(m,
			    "this_minute"));
			cmd_status_cap(m, "cap_minute");
			if (strcmp(cmd_status_get(m, "capped_for"), "0") != 0 &&
			    *cmd_status_get(m, "capped_for"))
				printf("; at its cap, sending again in %s s",
				    cmd_status_get(m, "capped_for"));
			printf("\n");
			cmd_status_clock(m);
			if (*cmd_status_get(m, "last_error"))
				printf("  last error: %s\n",
				    cmd_status_get(m, "last_error"));
			cmd_status_print_credit(m, "  ");
		}
		if (code == CTL_CODE_OK && st.n == 0)
			printf("no modems configured\n");
		if (st.db_held > 0)
			printf("database: cannot be written: %s; %ld not "
			    "stored yet (texts wait on the SIM, their senders "
			    "get nothing; see tambuli doctor)\n", st.db_error,
			    st.db_held);
		if (db != NULL) {
			(void)outbox_depth(db, &st.queue, &st.broadcasts);
			printf("queue: %ld message%s waiting\n", st.queue,
			    st.queue == 1 ? "" : "s");
			printf("broadcasts in progress: %ld\n", st.broadcasts);
			(void)broadcast_foreach(db, 50, cmd_status_bc_cb, NULL);
		}
		cmd_status_retention_print(&st);
	}
	for (i = 0; i < st.n; i++)
		for (k = 0; k < st.m[i].n; k++) {
			free(st.m[i].key[k]);
			free(st.m[i].val[k]);
		}
	db_close(db);
	conf_free(&c);
	free(cause);
	return code == CTL_CODE_OK ? CMD_OK : CMD_FAIL;
}

static void
cmd_status_ussd_body(const char *line, void *arg)
{
	(void)arg;
	printf("%s\n", line);
	fflush(stdout);
}

static int
cmd_status_ussd_exec(struct cmd_ctx *ctx)
{
	struct client	*cl;
	struct conf	 c;
	const char	*text, *argv[3];
	char		*cause = NULL, modem[64];
	int		 code, i, status, rc = CMD_FAIL;

	if (cli_conf(ctx, &c) == -1)
		return CMD_FAIL;
	if ((cl = client_open(c.socket, &cause)) == NULL) {
		cmd_error("ussd: %s", cause);
		free(cause);
		conf_free(&c);
		return CMD_FAIL;
	}
	argv[0] = cmd_get(ctx, "modem") ? cmd_get(ctx, "modem") : "-";
	argv[1] = ctx->argv[0];
	argv[2] = NULL;
	code = client_request(cl, CTL_VERB_USSD, argv, cmd_status_ussd_body,
	    NULL, NULL, &text);
	for (i = 1;; i++) {
		if (code != CTL_CODE_OK) {
			cmd_error("ussd: %s", text);
			break;
		}
		/* "STATUS menu|done MODEM" */
		modem[0] = '\0';
		if (sscanf(text, "%d %*s %63s", &status, modem) < 1)
			status = 0;
		if (status == 4) {
			cmd_error("ussd: the network does not support this "
			    "code");
			break;
		}
		if (status != 1) {
			if (i < ctx->argc)
				fprintf(stderr, "tambuli: ussd: the session "
				    "ended; %d reply argument%s not used\n",
				    ctx->argc - i, ctx->argc - i == 1 ? "" :
				    "s");
			rc = status == 5 ? CMD_FAIL : CMD_OK;
			if (status == 5)
				cmd_error("ussd: the network timed out");
			break;
		}
		argv[0] = modem;
		if (i >= ctx->argc) {
			/* a menu left open: cancel it */
			argv[1] = NULL;
			(void)client_request(cl, CTL_VERB_USSD_CANCEL, argv,
			    NULL, NULL, NULL, &text);
			rc = CMD_OK;
			break;
		}
		argv[1] = ctx->argv[i];
		code = client_request(cl, CTL_VERB_USSD_REPLY, argv,
		    cmd_status_ussd_body, NULL, NULL, &text);
	}
	client_close(cl);
	conf_free(&c);
	return rc;
}

static const struct cmd_opt cmd_status_balance_opts[] = {
	{ "modem", "NAME", "check this modem only (default: every modem with "
	    "a balance code)", 0 },
	{ "json", NULL, "print JSON", 0 },
	{ NULL, NULL, NULL, 0 }
};

static int	cmd_status_balance_exec(struct cmd_ctx *);

const struct cmd_entry cmd_status_balance_entry = {
	.name = "balance",
	.args = "",
	.help = "check the SIM balance of the daemon's modems now (the "
	    "balance USSD code of each [modem] section)",
	.opts = cmd_status_balance_opts,
	.min_args = 0,
	.max_args = 0,
	.flags = CMD_NEEDS_DAEMON | CMD_PRIVILEGED,
	.exec = cmd_status_balance_exec,
};

/*
 * One line per modem:
 *   modem1: 12.50 "Your balance is PHP 12.50"
 *   modem2: unknown "Service unavailable"
 *   modem3: check failed: no answer from the network (timeout)
 */
static int
cmd_status_balance_exec(struct cmd_ctx *ctx)
{
	struct cmd_status	 st;
	struct client		*cl;
	struct conf		 c;
	struct json		 j;
	const char		*text, *argv[2];
	char			*cause = NULL;
	size_t			 i, k;
	int			 code, rc = CMD_OK;

	if (cli_conf(ctx, &c) == -1)
		return CMD_FAIL;
	if ((cl = client_open(c.socket, &cause)) == NULL) {
		cmd_error("balance: %s", cause);
		free(cause);
		conf_free(&c);
		return CMD_FAIL;
	}
	memset(&st, 0, sizeof st);
	argv[0] = cmd_get(ctx, "modem") ? cmd_get(ctx, "modem") : "-";
	argv[1] = NULL;
	code = client_request(cl, CTL_VERB_BALANCE, argv, cmd_status_body,
	    NULL, &st, &text);
	client_close(cl);
	if (code != CTL_CODE_OK && st.n == 0) {
		cmd_error("balance: %s", text);
		conf_free(&c);
		return CMD_FAIL;
	}
	if (cmd_isset(ctx, "json")) {
		json_init(&j, stdout);
		json_array_begin(&j);
		for (i = 0; i < st.n; i++) {
			json_object_begin(&j);
			json_kv_string(&j, "modem", cmd_status_get(&st.m[i],
			    "name"));
			cmd_status_json_credit(&j, &st.m[i]);
			json_object_end(&j);
		}
		json_array_end(&j);
		fputc('\n', stdout);
	}
	for (i = 0; i < st.n; i++) {
		const struct cmd_status_modem *m = &st.m[i];
		const char *err = cmd_status_get(m, "balance_error");
		const char *amount = cmd_status_get(m, "balance_amount");
		if (*err) {
			fprintf(stderr, "tambuli: balance: %s: %s\n",
			    cmd_status_get(m, "name"), err);
			rc = CMD_FAIL;
			continue;
		}
		if (cmd_isset(ctx, "json"))
			continue;
		printf("%s: %s \"%s\"%s\n", cmd_status_get(m, "name"),
		    *amount ? amount : "unknown",
		    cmd_status_get(m, "balance_text"),
		    strcmp(cmd_status_get(m, "balance_low"), "yes") == 0 ?
		    ", LOW" : "");
	}
	if (code != CTL_CODE_OK)
		rc = CMD_FAIL;
	for (i = 0; i < st.n; i++)
		for (k = 0; k < st.m[i].n; k++) {
			free(st.m[i].key[k]);
			free(st.m[i].val[k]);
		}
	conf_free(&c);
	return rc;
}
