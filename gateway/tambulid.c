/*
 * gateway/tambulid.c — the daemon: options, configuration, start-up in
 * dependency order, signals, and shutdown in exact reverse order.
 *
 *   tambulid [-dn] [-c FILE] [--db PATH] [--socket PATH] [--modem DEVICE]
 *            [-T TRACES]
 *   tambulid --version
 *
 * Runs in the foreground and logs to stderr (journald adds timestamps).
 * SIGTERM/SIGINT: stop taking work, let messages in flight on the modems
 * finish (or time out), close cleanly.  A database that is damaged,
 * deleted or replaced stops the daemon the same way, with exit status 1
 * and one error saying what to do (README "When the database is lost or
 * damaged").  SIGHUP: reload the configuration
 * (texts, keywords, limits; modems and paths need a restart).  SIGUSR2:
 * toggle debug logging (-d and SIGUSR2 say so at warning level, and it
 * switches itself off after an hour; into the journal, numbers stay
 * masked unless debug_numbers = yes).  The WIPE request (tambuli wipe)
 * and gw_wipe(): stop at once and exit 0, the database destroyed.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "compat.h"
#include "gateway.h"
#include "log.h"

#define TAMBULID_CONF		"/etc/tambuli/tambuli.conf"
#define TAMBULID_DRAIN_SEC	70	/* a submission's longest timeout */
#define TAMBULID_DEBUG_SEC	3600	/* debug logging switches itself off */

static void	tambulid_usage(void) __attribute__((noreturn));

static void
tambulid_usage(void)
{
	static const char *const lines[] = {
	    "usage: tambulid [-dn] [-c FILE] [--db PATH] [--socket PATH] "
	    "[--modem DEVICE]... [-T TRACES]",
	    "       tambulid --version",
	    "  -c FILE          configuration (default " TAMBULID_CONF ")",
	    "  --db PATH        database (overrides the configuration)",
	    "  --socket PATH    control socket (overrides the configuration)",
	    "  --modem DEVICE   add a modem with default settings "
	    "(repeatable)",
	    "  -d               debug logging for an hour (numbers unmasked,",
	    "                   but not into the journal: debug_numbers)",
	    "  -n               check the configuration and exit",
	    "  -T TRACES        trace at,db,ctl,sched (or all)",
	};
	size_t	i;

	/* into the journal too (a bad ExecStart=), each line an error */
	for (i = 0; i < sizeof lines / sizeof lines[0]; i++)
		fprintf(stderr, "%s%s\n", log_prefix(LOG_ERR), lines[i]);
	exit(2);
}

/* ---- the configuration as the rest of the daemon sees it ---------------- */

const char *
gw_language(const struct gw *gw)
{
	return gw->conf->language[0] ? gw->conf->language : "en";
}

const char *
gw_organization(const struct gw *gw)
{
	return gw->conf->organization ? gw->conf->organization : "";
}

const char *
gw_contact(const struct gw *gw)
{
	if (gw->conf->contact == NULL || *gw->conf->contact == '\0')
		return "reply to this number";
	return gw->conf->contact;
}

const char *
gw_country(const struct gw *gw)
{
	static char	cc[8];

	snprintf(cc, sizeof cc, "%d", gw->conf->country);
	return cc;
}

const char *
gw_reply_override(const struct gw *gw, const char *lang, const char *kind)
{
	const struct conf_reply	*r = conf_reply_find(gw->conf, lang);

	if (r == NULL)
		return NULL;
	if (strcmp(kind, "join") == 0)
		return r->join;
	if (strcmp(kind, "stop") == 0)
		return r->stop;
	if (strcmp(kind, "info") == 0)
		return r->info;
	if (strcmp(kind, "lang") == 0)
		return r->lang;
	return NULL;
}

int64_t
gw_now(void)
{
	return (int64_t)time(NULL);
}

/*
 * Seconds of the monotonic clock: for the daemon's own waits, kept in
 * memory, which a step of the wall clock must neither cut short nor
 * stretch (netclock.c).
 */
int64_t
gw_mono(void)
{
	struct timespec	ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) == -1)
		fatal("clock_gettime");
	return (int64_t)ts.tv_sec;
}

void
gw_plan_opts(const struct gw *gw, struct plan_opts *o)
{
	memset(o, 0, sizeof *o);
	o->force = PLAN_AUTO;
	switch (gw->conf->encoding) {
	case CONF_ENC_EXACT:
		break;
	case CONF_ENC_STRIP_ACCENTS:
		o->smart = 1;
		o->strip_accents = 1;
		break;
	default:
		o->smart = 1;
		break;
	}
}

/* ---- configuration loading -------------------------------------------- */

/*
 * The keyword table of c: the built-in words and the configured ones.
 * NULL and *cause ("keyword WORD: why") when a configured word cannot be
 * added: "tambulid -n" says the same as a start.
 */
static struct keyword_table *
tambulid_keywords_build(const struct conf *c, char **cause)
{
	static const struct {
		enum keyword_action	 a;
		size_t			 off;
	} fam[] = {
		{ KEYWORD_JOIN, offsetof(struct conf, kw_join) },
		{ KEYWORD_STOP, offsetof(struct conf, kw_stop) },
		{ KEYWORD_INFO, offsetof(struct conf, kw_info) },
		{ KEYWORD_FORGET, offsetof(struct conf, kw_forget) },
	};
	struct keyword_table	*kw;
	const struct conf_keywords *k;
	const char		*err;
	size_t			 i, j;

	if ((kw = keyword_table_new()) == NULL)
		fatalx("keywords: out of memory");
	for (i = 0; i < sizeof fam / sizeof fam[0]; i++) {
		k = (const struct conf_keywords *)((const char *)c +
		    fam[i].off);
		for (j = 0; j < k->n; j++) {
			if (keyword_add(kw, fam[i].a, k->v[j].word,
			    k->v[j].lang[0] ? k->v[j].lang : NULL, &err) == -1) {
				xasprintf(cause, "keyword %s: %s",
				    k->v[j].word, err);
				keyword_table_free(kw);
				return NULL;
			}
		}
	}
	return kw;
}

static int
tambulid_keywords(struct gw *gw)
{
	struct keyword_table	*kw;
	char			*cause;

	if ((kw = tambulid_keywords_build(gw->conf, &cause)) == NULL) {
		log_warnx("%s", cause);
		free(cause);
		return -1;
	}
	keyword_table_free(gw->kw);
	gw->kw = kw;
	return 0;
}

/* ---- modems ------------------------------------------------------------ */

static void
tambulid_modem_state(struct modem *m, enum modem_state s, void *arg)
{
	struct gw_modem	*gm = arg;

	(void)m;
	log_info("modem=%s state=%s", gm->name, modem_state_name(s));
	notify_changed(gm->gw->notify);
	if (s == MODEM_READY) {
		credit_ready(gm);
		sched_kick(gm->gw);
	} else {
		if (gm->busy)
			send_abort(gm);
		credit_lost(gm);
	}
}

static void
tambulid_modem_swept(struct modem *m, void *arg)
{
	struct gw_modem	*gm = arg;

	(void)m;
	inbound_swept(gm);
	sched_kick(gm->gw);
}

static void
tambulid_modem_clock(struct modem *m, void *arg)
{
	struct gw_modem	*gm = arg;

	(void)m;
	netclock_heard(gm->gw, gm);
}

/*
 * How often each modem is checked: every minute.  TAMBULID_HEALTH_SECONDS
 * (for the test suite only) may shorten it, never lengthen it.
 */
static int
tambulid_health_secs(void)
{
	const char	*v = getenv("TAMBULID_HEALTH_SECONDS");
	const char	*err;
	long long	 n;

	if (v == NULL)
		return 0;
	n = strtonum(v, 1, 60, &err);
	return err == NULL ? (int)n : 0;
}

/*
 * How long a held text's sender waits for it to be read again:
 * GW_ORDER_WAIT.  TAMBULID_ORDER_WAIT_SECONDS (for the test suite only)
 * may shorten it, never lengthen it.
 */
static int64_t
tambulid_order_wait(void)
{
	const char	*v = getenv("TAMBULID_ORDER_WAIT_SECONDS");
	const char	*err;
	long long	 n;

	if (v == NULL)
		return GW_ORDER_WAIT;
	n = strtonum(v, 1, GW_ORDER_WAIT, &err);
	return err == NULL ? n : GW_ORDER_WAIT;
}

static void
tambulid_modems(struct gw *gw)
{
	struct modem_cb		 cb = {
		.state = tambulid_modem_state,
		.sent = send_result,
		.sms = inbound_sms,
		.report = inbound_report,
		.ussd = credit_ussd,
		.swept = tambulid_modem_swept,
		.clock = tambulid_modem_clock,
	};
	struct modem_config	 mc;
	struct gw_modem		*gm;
	size_t			 i;

	for (i = 0; i < gw->conf->nmodems; i++) {
		const struct conf_modem *cm = &gw->conf->modems[i];
		gm = xcalloc(1, sizeof *gm);
		gm->gw = gw;
		strlcpy(gm->name, cm->name, sizeof gm->name);
		memset(&mc, 0, sizeof mc);
		mc.name = cm->name;
		mc.device = cm->device;
		mc.baud = cm->baud;
		mc.rtscts = cm->rtscts;
		mc.pin = cm->pin;
		mc.sweep = 1;
		mc.health_sec = tambulid_health_secs();
		gm->m = modem_new(gw->base, &mc, &cb, gm);
		gm->cm = cm;
		send_init(gm);
		credit_init(gm, 1U << i);
		sched_modem_init(gm);
		TAILQ_INSERT_TAIL(&gw->modems, gm, entry);
	}
	TAILQ_FOREACH(gm, &gw->modems, entry)
		modem_start(gm->m);
}

/* ---- signals ----------------------------------------------------------- */

static void
tambulid_drained(struct gw *gw)
{
	struct gw_modem	*gm;

	TAILQ_FOREACH(gm, &gw->modems, entry)
		if (gm->busy)
			return;
	event_base_loopexit(gw->base, NULL);
}

static void
tambulid_drain_cb(evutil_socket_t fd, short what, void *arg)
{
	struct gw	*gw = arg;
	struct timeval	 tv = { 0, 100000 };

	(void)fd;
	(void)what;
	if (--gw->stopping <= 1) {
		log_warnx("shutdown: messages still in flight; they go back to "
		    "the queue at the next start");
		event_base_loopexit(gw->base, NULL);
		return;
	}
	tambulid_drained(gw);
	event_base_once(gw->base, -1, EV_TIMEOUT, tambulid_drain_cb, gw, &tv);
}

/* Stop claiming; wait (on a timer) for in-flight messages. */
static void
tambulid_drain(struct gw *gw)
{
	struct timeval	 tv = { 0, 100000 };

	notify_stopping(gw->notify);
	gw->stopping = TAMBULID_DRAIN_SEC * 10 + 1;
	tambulid_drained(gw);
	event_base_once(gw->base, -1, EV_TIMEOUT, tambulid_drain_cb, gw, &tv);
}

static void
tambulid_sigterm(evutil_socket_t sig, short what, void *arg)
{
	struct gw	*gw = arg;

	(void)what;
	if (gw->stopping) {
		event_base_loopexit(gw->base, NULL);
		return;
	}
	log_info("signal %d: shutting down", (int)sig);
	tambulid_drain(gw);
}

void
gw_fatal(struct gw *gw, int now, const char *fmt, ...)
{
	va_list	ap;
	char	*msg;

	if (gw->failed)
		return;
	gw->failed = 1;
	va_start(ap, fmt);
	xvasprintf(&msg, fmt, ap);
	va_end(ap);
	log_warnx("%s", msg);
	free(msg);
	if (gw->base == NULL)
		return;		/* still starting: main gives up */
	if (now || gw->stopping) {
		gw->stopping = 1;
		event_base_loopexit(gw->base, NULL);
		return;
	}
	tambulid_drain(gw);
}

/*
 * Met a damaged page (any statement, any caller): going on would fail on
 * it again and again, or write beside it what a restore could save.  A
 * message in flight is recovered at the next start.
 */
static void
tambulid_corrupt(struct db *db, void *arg)
{
	struct gw	*gw = arg;

	gw_fatal(gw, 1, "database %s is damaged (%s): stopping.  Stop "
	    "tambulid from restarting and restore the database from a backup "
	    "(README: \"When the database is lost or damaged\")",
	    gw->conf->database, db_error(db));
}

static void
tambulid_sighup(evutil_socket_t sig, short what, void *arg)
{
	struct gw	*gw = arg;
	struct conf	*c, *old;
	struct keyword_table *kw;
	struct gw_modem	*gm;
	size_t		 i;

	(void)sig;
	(void)what;
	if (gw->conf_path == NULL) {
		log_info("SIGHUP: no configuration file to reload");
		return;
	}
	c = xcalloc(1, sizeof *c);
	if (conf_file_load(gw->conf_path, 1, "tambulid", c) == -1) {
		log_warnx("reload failed: keeping the running configuration");
		conf_free(c);
		free(c);
		return;
	}
	/* paths and modems stay as started */
	free(c->database);
	c->database = xstrdup(gw->conf->database);
	free(c->socket);
	c->socket = xstrdup(gw->conf->socket);
	conf_free_modems(c);	/* the file's, unused: the running ones stay */
	memcpy(c->modems, gw->conf->modems, sizeof c->modems);
	c->nmodems = gw->conf->nmodems;
	memset(gw->conf->modems, 0, sizeof gw->conf->modems);
	gw->conf->nmodems = 0;
	old = gw->conf;
	gw->conf = c;
	/* the modems point into the configuration: into the new one now */
	TAILQ_FOREACH(gm, &gw->modems, entry) {
		gm->cm = NULL;
		for (i = 0; i < c->nmodems; i++)
			if (strcmp(c->modems[i].name, gm->name) == 0)
				gm->cm = &c->modems[i];
	}
	kw = gw->kw;
	if (tambulid_keywords(gw) == -1) {
		log_warnx("reload: keyword error; keeping the old keywords");
		gw->kw = kw;
	}
	conf_free(old);
	free(old);
	log_set_debug_numbers(c->debug_numbers);
	log_info("configuration reloaded from %s (modems and paths need a "
	    "restart)", gw->conf_path);
}

/* ---- debug logging ------------------------------------------------------ */

/*
 * How long debug logging lasts: an hour.  TAMBULID_DEBUG_SECONDS (for
 * the test suite only) may shorten it, never lengthen it.
 */
static int
tambulid_debug_secs(void)
{
	const char	*v = getenv("TAMBULID_DEBUG_SECONDS");
	const char	*err;
	long long	 n;

	if (v == NULL)
		return TAMBULID_DEBUG_SEC;
	n = strtonum(v, 1, TAMBULID_DEBUG_SEC, &err);
	return err == NULL ? (int)n : TAMBULID_DEBUG_SEC;
}

static void
tambulid_debug_cb(evutil_socket_t fd, short what, void *arg)
{
	int	n;

	(void)fd;
	(void)what;
	(void)arg;
	if (!log_get_debug())
		return;
	log_set_debug(0);
	n = tambulid_debug_secs();
	log_warnx("debug logging switched itself off after %d %s: phone "
	    "numbers are masked again", n % 60 == 0 ? n / 60 : n,
	    n % 60 == 0 ? (n == 60 ? "minute" : "minutes") : "seconds");
}

void
gw_debug(struct gw *gw, int on, const char *why)
{
	struct timeval	 tv = { 0, 0 };
	struct tm	 tm;
	time_t		 until;
	char		 when[32];

	if (!on) {
		if (gw->ev_debug != NULL)
			evtimer_del(gw->ev_debug);
		if (!log_get_debug())
			return;
		log_set_debug(0);
		log_warnx("debug logging is off (%s): phone numbers are masked "
		    "again", why);
		return;
	}
	log_set_debug(1);
	tv.tv_sec = tambulid_debug_secs();
	until = (time_t)(gw_now() + tv.tv_sec);
	if (localtime_r(&until, &tm) == NULL ||
	    strftime(when, sizeof when, "%H:%M:%S", &tm) == 0)
		strlcpy(when, "?", sizeof when);
	if (gw->ev_debug != NULL)
		evtimer_add(gw->ev_debug, &tv);
	if (log_numbers_shown())
		log_warnx("debug logging is on (%s): FULL PHONE NUMBERS are "
		    "written to the log until %s, when it switches itself off",
		    why, when);
	else
		log_warnx("debug logging is on (%s) until %s, when it switches "
		    "itself off; phone numbers stay masked: the log is the "
		    "journal (debug_numbers = yes shows them)", why, when);
}

static void
tambulid_sigusr2(evutil_socket_t sig, short what, void *arg)
{
	(void)sig;
	(void)what;
	gw_debug(arg, !log_get_debug(), "SIGUSR2");
}

/* ---- the panic wipe ---------------------------------------------------- */

static void
tambulid_wipe_cb(evutil_socket_t fd, short what, void *arg)
{
	struct gw	*gw = arg;

	(void)fd;
	(void)what;
	event_base_loopexit(gw->base, NULL);
}

void
gw_wipe(struct gw *gw, int how)
{
	/* a moment for the control socket's answer to leave */
	struct timeval	 tv = { 0, 200000 };

	if (gw->wipe >= how)
		return;
	if (gw->wipe == 0) {
		notify_stopping(gw->notify);
		event_base_once(gw->base, -1, EV_TIMEOUT, tambulid_wipe_cb, gw,
		    &tv);
	}
	gw->wipe = how;
	gw->stopping = 1;	/* no more claims */
	log_warnx("panic wipe: stopping now%s", how == GW_WIPE_DESTROY ?
	    "; the database and every copy known will be destroyed" :
	    " (tambuli wipe destroys the database)");
}

/* Are the notices to the organizers out?  Then wipe; else look again. */
static void
tambulid_wipe_tell_cb(evutil_socket_t fd, short what, void *arg)
{
	struct gw	*gw = arg;
	struct timeval	 tv = { 1, 0 };
	long		 n = 0;
	int		 rc;

	(void)fd;
	(void)what;
	if (gw->wipe)
		return;
	rc = outbox_unsent_since(gw->db, OUTBOX_SYSTEM, gw->wipe_told_at, &n);
	if (rc == 0 && n > 0 && gw_mono() < gw->wipe_deadline) {
		event_base_once(gw->base, -1, EV_TIMEOUT,
		    tambulid_wipe_tell_cb, gw, &tv);
		return;
	}
	if (rc == -1 || n > 0)
		log_warnx("panic wipe: %s: wiping anyway", rc == -1 ?
		    db_error(gw->db) : "the notices to the organizers are "
		    "not all sent");
	gw_wipe(gw, GW_WIPE_DESTROY);
}

int
gw_wipe_told(struct gw *gw, const char *text, const char *except)
{
	struct timeval	 tv = { 0, 0 };
	int		 n;

	if (gw->wipe || gw->wipe_deadline != 0)
		return 0;	/* under way */
	/* the notices are rows created from then on (a step of the
	 * clock after this moves no created_at); the wait is on the
	 * monotonic clock: a step neither wipes before they are out nor
	 * keeps the store for days */
	gw->wipe_told_at = gw_now();
	gw->wipe_deadline = gw_mono() + GW_WIPE_TELL_SEC;
	if ((n = tell_organizers(gw, text, except)) == -1) {
		log_warnx("panic wipe: the organizers could not be told (%s): "
		    "wiping now", db_error(gw->db));
		gw_wipe(gw, GW_WIPE_DESTROY);
		return -1;
	}
	log_warnx("panic wipe: %d organizer%s told; the store is destroyed "
	    "once %s sent (at most %d s)", n, n == 1 ? "" : "s",
	    n == 1 ? "that text is" : "those texts are", GW_WIPE_TELL_SEC);
	sched_kick(gw);
	event_base_once(gw->base, -1, EV_TIMEOUT, tambulid_wipe_tell_cb, gw,
	    &tv);
	return 0;
}

static void
tambulid_wipe_err(const char *msg, void *arg)
{
	(void)arg;
	log_warnx("wipe: %s", msg);
}

/* After the database is closed, the lock still held. */
static void
tambulid_wipe_files(struct gw *gw)
{
	struct wipe_report	 r;
	char			 line[2048];

	wipe_store(gw->conf->database, &r, tambulid_wipe_err, NULL);
	wipe_summary(&r, line, sizeof line);
	log_warnx("%s%s", line, r.errors > 0 ? " (not all: see above)" : "");
}

/*
 * How often housekeeping runs: every minute.  TAMBULID_HOUSEKEEPING_SECONDS
 * (for the test suite only) may shorten it, never lengthen it.
 */
static int
tambulid_house_secs(void)
{
	const char	*v = getenv("TAMBULID_HOUSEKEEPING_SECONDS");
	const char	*err;
	long long	 n;

	if (v == NULL)
		return GW_HOUSEKEEPING;
	n = strtonum(v, 1, GW_HOUSEKEEPING, &err);
	return err == NULL ? (int)n : GW_HOUSEKEEPING;
}

static void
tambulid_house_cb(evutil_socket_t fd, short what, void *arg)
{
	struct gw	*gw = arg;
	struct timeval	 tv = { tambulid_house_secs(), 0 };

	(void)fd;
	(void)what;
	/* still the file opened?  (the watch also says so at once) */
	dbfile_poll(gw->dbf);
	if (gw->stopping)
		return;
	netclock_check(gw);	/* nothing expires on a step not seen */
	organizer_housekeeping(gw);	/* before the WAL truncation */
	inbound_housekeeping(gw);
	evtimer_add(gw->ev_house, &tv);
}

/* ---- privileges -------------------------------------------------------- */

/* Hand the files opened as root to the service user, and become it. */
static void
tambulid_drop(struct gw *gw)
{
	static const char	*suffix[] = { "", "-wal", "-shm", ".lock" };
	char			*files[5], *cause;
	const char		*own[6];
	size_t			 i;

	for (i = 0; i < 4; i++)
		xasprintf(&files[i], "%s%s", gw->conf->database, suffix[i]);
	files[4] = xstrdup(gw->conf->socket);
	for (i = 0; i < 5; i++)
		own[i] = files[i];
	own[5] = NULL;
	/* the store is the organizers' group's and nobody else's */
	priv_files(gw->conf, files[3]);
	if (priv_drop(gw->conf, own, &cause) == -1)
		fatalx("%s", cause);
	for (i = 0; i < 5; i++)
		free(files[i]);
}

/* ---- the way out ---------------------------------------------------------- */

/*
 * Free what main() made, in reverse order, as far as it got: the one way
 * out, after the loop and on an early exit alike.  The control clients
 * go first, as they may hold a modem (a USSD session); the store goes
 * (a panic wipe) while the lock is still held, so nothing opens it.
 */
static void
tambulid_free(struct gw *gw)
{
	struct gw_modem	*gm;

	ctl_close(gw->ctl);
	gw->ctl = NULL;
	/* while the modems, the organizers and the clock they name or use
	 * are still there */
	inbound_shown_free(gw);
	inbound_held_free(gw);
	while ((gm = TAILQ_FIRST(&gw->modems)) != NULL) {
		TAILQ_REMOVE(&gw->modems, gm, entry);
		modem_free(gm->m);
		send_free(gm);
		credit_free(gm);
		if (gm->plan != NULL) {
			plan_free(gm->plan);
			free(gm->plan);
		}
		outbox_item_clear(&gm->item);
		free(gm);
	}
	if (gw->base != NULL)	/* deferred frees */
		event_base_loop(gw->base, EVLOOP_NONBLOCK);
	dbfile_unwatch(gw->dbf);
	if (gw->ev_house != NULL)
		event_free(gw->ev_house);
	purge_free(gw);
	netclock_free(gw);
	organizer_free(gw);
	inbound_reports_free(gw);
	sched_free(gw);
	if (gw->ev_debug != NULL)
		event_free(gw->ev_debug);
	if (gw->ev_sigusr2 != NULL)
		event_free(gw->ev_sigusr2);
	if (gw->ev_sighup != NULL)
		event_free(gw->ev_sighup);
	if (gw->ev_sigint != NULL)
		event_free(gw->ev_sigint);
	if (gw->ev_sigterm != NULL)
		event_free(gw->ev_sigterm);
	gw->ev_house = gw->ev_debug = gw->ev_sigusr2 = gw->ev_sighup = NULL;
	gw->ev_sigint = gw->ev_sigterm = NULL;
	notify_close(gw->notify);
	gw->notify = NULL;
	if (gw->base != NULL)
		event_base_free(gw->base);
	gw->base = NULL;
	keyword_table_free(gw->kw);
	gw->kw = NULL;
	db_close(gw->db);
	gw->db = NULL;
	if (gw->wipe == GW_WIPE_DESTROY)
		tambulid_wipe_files(gw);
	dbfile_free(gw->dbf);	/* after the database: the lock last */
	gw->dbf = NULL;
	if (gw->conf != NULL)
		conf_free(gw->conf);
	free(gw->conf);
	gw->conf = NULL;
	free(gw->conf_path);
	gw->conf_path = NULL;
}

/*
 * Give up while starting: free what was made (cause too, an allocated
 * message or NULL), then fatalx with the message.
 */
static void __attribute__((noreturn, format(printf, 3, 4)))
tambulid_fail(struct gw *gw, char *cause, const char *fmt, ...)
{
	va_list	ap;
	char	buf[2048];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	free(cause);
	tambulid_free(gw);
	fatalx("%s", buf);
}

/* ---- main -------------------------------------------------------------- */

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'D' },
		{ "socket", required_argument, NULL, 'S' },
		{ "modem", required_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct gw	 gw;
	struct timeval	 tv = { GW_HOUSEKEEPING, 0 };
	const char	*conf_path = TAMBULID_CONF, *db_path = NULL;
	const char	*sock_path = NULL, *err, *bad;
	const char	*modems[CONF_MODEMS_MAX];
	char		*cause;
	size_t		 nmodems = 0, i;
	long		 n;
	int		 ch, debug = 0, check = 0, named = 0, traces = 0;
	int		 status;

	/* the journal's priority prefix from the first line (a bad option,
	 * a configuration error); debug is set once the options are read */
	log_init("tambulid", 0, LOG_TO_DAEMON);
	opterr = 0;	/* getopt's own messages would lack it */
	while ((ch = getopt_long(argc, argv, "c:dhm:nT:", longopts, NULL)) !=
	    -1) {
		switch (ch) {
		case 'c':
			conf_path = optarg;
			named = 1;
			break;
		case 'd':
			debug = 1;
			break;
		case 'D':
			db_path = optarg;
			break;
		case 'S':
			sock_path = optarg;
			break;
		case 'm':
			if (nmodems == CONF_MODEMS_MAX) {
				fprintf(stderr, "%stambulid: at most %d "
				    "modems\n", log_prefix(LOG_ERR),
				    CONF_MODEMS_MAX);
				return 2;
			}
			modems[nmodems++] = optarg;
			break;
		case 'n':
			check = 1;
			break;
		case 'V':
			printf("tambulid %s\n", TAMBULI_VERSION);
			return 0;
		case 'T':
			if ((traces = log_parse_traces(optarg, &bad)) == -1) {
				fprintf(stderr, "%stambulid: unknown trace %s "
				    "(at, db, ctl, sched, all)\n",
				    log_prefix(LOG_ERR), bad);
				return 2;
			}
			break;
		case '?':
			if (optind > 0 && optind <= argc)
				fprintf(stderr, "%stambulid: unknown option, or "
				    "one missing its argument: %s\n",
				    log_prefix(LOG_ERR), argv[optind - 1]);
			tambulid_usage();
		default:
			tambulid_usage();
		}
	}
	if (optind != argc)
		tambulid_usage();

	memset(&gw, 0, sizeof gw);
	gw.order_wait = tambulid_order_wait();
	TAILQ_INIT(&gw.modems);
	gw.conf = xcalloc(1, sizeof *gw.conf);
	if (conf_file_load(conf_path, named, "tambulid", gw.conf) == -1) {
		tambulid_free(&gw);
		return 1;
	}
	if (named || access(conf_path, F_OK) == 0)
		gw.conf_path = xstrdup(conf_path);
	if (db_path != NULL) {
		free(gw.conf->database);
		gw.conf->database = xstrdup(db_path);
	}
	if (sock_path != NULL) {
		free(gw.conf->socket);
		gw.conf->socket = xstrdup(sock_path);
	}
	for (i = 0; i < nmodems; i++) {
		if (conf_add_modem(gw.conf, modems[i], &err) == -1) {
			fprintf(stderr, "%stambulid: --modem %s: %s\n",
			    log_prefix(LOG_ERR), modems[i], err);
			tambulid_free(&gw);
			return 1;
		}
	}
	if (check) {
		/* what a start would refuse beyond the file's syntax */
		if ((gw.kw = tambulid_keywords_build(gw.conf, &cause)) ==
		    NULL) {
			fprintf(stderr, "%stambulid: %s\n",
			    log_prefix(LOG_ERR), cause);
			free(cause);
			tambulid_free(&gw);
			return 1;
		}
		printf("configuration OK\n");
		tambulid_free(&gw);
		return 0;
	}

	log_init("tambulid", debug, LOG_TO_DAEMON);
	log_set_debug_numbers(gw.conf->debug_numbers);
	log_set_traces(traces);
	signal(SIGPIPE, SIG_IGN);
	umask(077);

	/* start-up, in dependency order; a configuration refused before
	 * anything is created */
	if (tambulid_keywords(&gw) == -1) {
		tambulid_free(&gw);
		return 1;
	}
	if (priv_check(gw.conf, &cause) == -1)
		tambulid_fail(&gw, cause, "%s", cause);
	/* the lock before anything reads
	 * or recovers the database (a second daemon would requeue the
	 * first one's message in flight and send it again) */
	if ((gw.dbf = dbfile_lock(gw.conf->database, &cause)) == NULL ||
	    dbfile_lost(gw.dbf, &cause) == -1)
		tambulid_fail(&gw, cause, "%s", cause);
	gw.db = db_open_mode(gw.conf->database, 250, DB_OPEN_CREATE |
	    DB_OPEN_CHECK, &status, &cause);
	if (gw.db == NULL)
		dbfile_forget(gw.dbf);
	if (gw.db == NULL && status == DB_OPEN_CORRUPT) {
		i = strlen(gw.conf->database);	/* cause is "PATH: ..." */
		tambulid_fail(&gw, cause, "database %s is damaged (%s): not "
		    "starting.  Restore it from a backup (README: \"When the "
		    "database is lost or damaged\")", gw.conf->database,
		    strncmp(cause, gw.conf->database, i) == 0 &&
		    strncmp(cause + i, ": ", 2) == 0 ? cause + i + 2 : cause);
	}
	if (gw.db == NULL)
		tambulid_fail(&gw, cause, "database %s", cause);
	if (status == DB_OPEN_CREATED)
		log_warnx("created a new, empty database at %s (no subscribers, "
		    "no opt-outs: if one existed, stop and restore it)",
		    gw.conf->database);
	db_on_corrupt(gw.db, tambulid_corrupt, &gw);
	if (outbox_recover(gw.db, gw_now(), &n) == -1) {
		if (gw.failed) {
			tambulid_free(&gw);
			return 1;
		}
		tambulid_fail(&gw, NULL, "database: %s", db_error(gw.db));
	}
	if (n > 0)
		log_info("%ld messages interrupted by the last stop are queued "
		    "again", n);
	if ((gw.base = event_base_new()) == NULL)
		tambulid_fail(&gw, NULL, "cannot create the event loop");
	if ((gw.ctl = ctl_open(&gw, gw.conf->socket, &cause)) == NULL)
		tambulid_fail(&gw, cause, "control socket: %s", cause);
	/* share the store with the organizers' group only; then, if started
	 * as root, become the service user */
	tambulid_drop(&gw);
	gw.ev_sigterm = evsignal_new(gw.base, SIGTERM, tambulid_sigterm, &gw);
	gw.ev_sigint = evsignal_new(gw.base, SIGINT, tambulid_sigterm, &gw);
	gw.ev_sighup = evsignal_new(gw.base, SIGHUP, tambulid_sighup, &gw);
	gw.ev_sigusr2 = evsignal_new(gw.base, SIGUSR2, tambulid_sigusr2, &gw);
	evsignal_add(gw.ev_sigterm, NULL);
	evsignal_add(gw.ev_sigint, NULL);
	evsignal_add(gw.ev_sighup, NULL);
	evsignal_add(gw.ev_sigusr2, NULL);
	gw.ev_debug = evtimer_new(gw.base, tambulid_debug_cb, &gw);
	if (debug)
		gw_debug(&gw, 1, "-d");
	gw.next_ref = (unsigned)time(NULL);
	if (dbfile_watch(gw.dbf, &gw, &cause) == -1)
		tambulid_fail(&gw, cause, "database watch: %s", cause);
	sched_init(&gw);
	if (netclock_init(&gw) == -1)
		tambulid_fail(&gw, NULL, "database: %s", db_error(gw.db));
	if (organizer_init(&gw) == -1)
		tambulid_fail(&gw, NULL, "organizer commands: pipe: %s",
		    strerror(errno));
	gw.ev_house = evtimer_new(gw.base, tambulid_house_cb, &gw);
	tv.tv_sec = tambulid_house_secs();
	evtimer_add(gw.ev_house, &tv);
	purge_init(&gw);
	tambulid_modems(&gw);
	gw.notify = notify_open(&gw);
	log_info("tambulid started: database=%s socket=%s modems=%zu",
	    gw.conf->database, gw.conf->socket, gw.conf->nmodems);
	notify_ready(gw.notify);
	if (gw.conf->nmodems == 0)
		log_warnx("no modems configured: messages stay queued (add "
		    "[modem NAME] sections or --modem DEVICE)");
	sched_kick(&gw);

	event_base_dispatch(gw.base);
	/* stopped (a signal, an error) while the notices of a wipe were
	 * going out: the wipe still runs */
	if (gw.wipe_deadline != 0 && gw.wipe == 0)
		gw.wipe = GW_WIPE_DESTROY;

	tambulid_free(&gw);
	log_info("stopped%s", gw.wipe ? " for a panic wipe" : gw.failed ?
	    " on an error" : "");
	/* a wipe is not a failure: a service manager must not start the
	 * daemon again (it would make a new, empty database) */
	return gw.wipe ? 0 : gw.failed ? 1 : 0;
}
