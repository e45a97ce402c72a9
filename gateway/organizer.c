/*
 * gateway/organizer.c — commands from an organizer's phone.
 *
 *   ALERT <PIN> [LIST] <text>     a preview comes back with a code;
 *   URGENT <PIN> [LIST] <text>    YES <code> from the same number
 *   ASK <PIN> [LIST] A,B <text>   queues the broadcast (or poll)
 *   YES <code>
 *   STATUS <PIN>                  modems ready, queue, broadcasts running
 *   CANCEL <PIN> <id>
 *   WIPE <PIN>, then WIPE <code>  the panic wipe (gw_wipe_told)
 *
 * Only from a number registered with "tambuli organizers add"; from any
 * other number the same words are an ordinary text (inbound.c goes on as
 * always).  Sender ids can be spoofed: the PIN, and the code sent back to
 * the real number, are the defence.  Three wrong PINs or codes within an
 * hour lock the number for an hour (the right PIN is refused too, with no
 * hint) and the other organizers are told.  Every refusal is the same
 * "Not accepted.", so nothing leaks.  A text from an organizer that
 * starts with a verb but is no command ("ALERT main 2468 text") is
 * refused too, and kept with its digits masked (orgmask.c), never
 * forwarded: it likely holds the PIN.
 *
 * The inbox keeps a redacted copy ("ALERT **** text"); PINs and codes are
 * never stored, logged or put in the consent trail, and the reply that
 * carries a code is blanked once sent (outbox.secret).
 *
 * Checking a PIN is slow by design (Argon2id, tenths of a second on a
 * Pi): it runs on a worker thread, one check at a time, and its result
 * comes back through a pipe to the event loop, so the modems keep
 * sending meanwhile.  The text is committed (its redacted inbox row) and
 * deleted from the SIM before the check ends: if the daemon dies during
 * the check, the command is lost and the organizer simply sends it again.
 */
#include <sys/queue.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "compat.h"
#include "gateway.h"
#include "log.h"
#include "orgcmd.h"
#include "orgmask.h"

#define ORGANIZER_TRIES		3	/* wrong PINs or codes ... */
#define ORGANIZER_TRY_WINDOW	3600	/* ... within this lock the number */
#define ORGANIZER_LOCK_SEC	3600	/* for this long */
#define ORGANIZER_CODE_SEC	600	/* a code for YES is valid */
#define ORGANIZER_WIPE_SEC	300	/* a code for WIPE is valid */
#define ORGANIZER_QUEUE_MAX	16	/* checks waiting; more are dropped */
#define ORGANIZER_REFUSED	"Not accepted."

/* One command whose PIN is being checked, or waits to be. */
struct organizer_job {
	TAILQ_ENTRY(organizer_job) entry;
	char			 phone[24];
	char			 hash[ORGANIZER_HASH_MAX];
	char			*text;		/* the command as sent (it holds
						 * the PIN): wiped when done */
	size_t			 len;
	struct orgcmd		 c;
	int			 wipe_now;	/* WIPE <code> matched: wipe
						 * once committed */
	int			 ok;		/* the PIN matched */
	int			 fd;		/* the pipe's write end */
};
TAILQ_HEAD(organizer_jobs, organizer_job);

struct organizer_q {
	struct organizer_jobs	 jobs;		/* the first is running when
						 * running is set */
	size_t			 njobs;
	struct organizer_job	*staged;	/* from the text being
						 * committed */
	int			 running;
	pthread_t		 thread;
	int			 fds[2];
	struct event		*ev;
};

static void	organizer_next(struct gw *);

static void
organizer_job_free(struct organizer_job *j)
{
	if (j == NULL)
		return;
	if (j->text != NULL) {
		sodium_memzero(j->text, j->len);
		free(j->text);
	}
	sodium_memzero(j, sizeof *j);
	free(j);
}

/* ---- replies ------------------------------------------------------------ */

/*
 * A refusal: "Not accepted.", the same whatever the reason.  While the
 * number is locked, the gateway sends it at most ORGANIZER_TRIES +
 * autoreply_limit texts an hour, so a forged sender cannot make it text
 * an organizer without end.
 */
static int
organizer_refuse(struct gw *gw, const char *phone, int locked)
{
	long	n;

	if (locked) {
		if (outbox_count_since(gw->db, phone, OUTBOX_SYSTEM,
		    gw_now() - 3600, gw_now(), &n) == -1)
			return -1;
		if (n >= ORGANIZER_TRIES + (long)gw->conf->autoreply_limit)
			return 0;
	}
	return organizer_reply(gw->db, phone, ORGANIZER_REFUSED, 0, gw_now());
}

/*
 * A command that will not be checked (no room, no thread): "Not
 * accepted." in its own transaction, within the same cap as a locked
 * number's, so a flood cannot make the gateway text without end.
 */
static void
organizer_refuse_now(struct gw *gw, const char *phone)
{
	if (db_begin(gw->db) == -1)
		goto fail;
	if (organizer_refuse(gw, phone, 1) == -1) {
		db_rollback(gw->db);
		goto fail;
	}
	if (db_commit(gw->db) == -1)
		goto fail;
	sched_kick(gw);
	return;
fail:
	log_warnx("from=%s organizer: no reply: %s", log_number(phone),
	    db_error(gw->db));
}

/* A wrong PIN or code: counted, and the third in an hour locks. */
static int
organizer_wrong(struct gw *gw, const struct organizer *o)
{
	char	*text;
	long	 n;
	int	 rc;

	if (organizer_attempt(gw->db, o->number, gw_now(),
	    gw_now() - ORGANIZER_TRY_WINDOW, &n) == -1)
		return -1;
	if (n < ORGANIZER_TRIES) {
		log_info("from=%s organizer=%s result=refused", log_number(
		    o->number), o->name);
		return organizer_refuse(gw, o->number, 0);
	}
	if (organizer_lock(gw->db, o->number, gw_now() + ORGANIZER_LOCK_SEC)
	    == -1)
		return -1;
	log_warnx("from=%s organizer=%s result=locked minutes=%d reason="
	    "\"%d wrong PINs or codes within an hour\"", log_number(o->number),
	    o->name, ORGANIZER_LOCK_SEC / 60, ORGANIZER_TRIES);
	xasprintf(&text, "tambuli: the phone of organizer %s (%s) is locked "
	    "out for %d minutes after %d wrong PINs or codes.", o->name,
	    o->number, ORGANIZER_LOCK_SEC / 60, ORGANIZER_TRIES);
	rc = tell_organizers(gw, text, o->number);
	free(text);
	if (rc == -1)
		return -1;
	return organizer_refuse(gw, o->number, 0);
}

/* A fresh code: 6 random digits, the first not 0. */
static void
organizer_code(char code[8])
{
	snprintf(code, 8, "%06u", 100000 + randombytes_uniform(900000));
}

/* "about 12 s", "about 3 min", "about 2 h" */
static void
organizer_eta(long secs, char *buf, size_t len)
{
	if (secs < 60)
		snprintf(buf, len, "about %ld s", secs);
	else if (secs < 3 * 3600)
		snprintf(buf, len, "about %ld min", (secs + 59) / 60);
	else
		snprintf(buf, len, "about %ld h", (secs + 3599) / 3600);
}

static int
organizer_modems_ready(const struct gw *gw)
{
	const struct gw_modem	*gm;
	int			 n = 0;

	TAILQ_FOREACH(gm, &gw->modems, entry) {
		if (modem_info(gm->m)->state == MODEM_READY)
			n++;
	}
	return n;
}

static const char *
organizer_encoding(enum sms_encoding e)
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

/* ---- the commands, once the PIN is right ---------------------------------- */

/*
 * ALERT, URGENT, ASK: the text (and the list, and a poll's options)
 * checked and planned, a preview with a code sent back, the command kept
 * until YES <code> (or ORGANIZER_CODE_SEC).
 */
static int
organizer_prepare(struct gw *gw, const struct organizer_job *j)
{
	const char	*t = j->text, *err, *kind;
	struct plan	 p;
	struct plan_opts o;
	char		 list[KEYWORD_LIST_MAX + 1] = "", *text = NULL;
	char		 opts[KEYWORD_OPTIONS_MAX][KEYWORD_OPTION_MAX];
	char		 optstr[KEYWORD_OPTIONS_MAX * KEYWORD_OPTION_MAX];
	char		 msg[160], eta[32], code[8], *reply;
	size_t		 off = j->c.rest_off, len = j->c.rest_len, woff, wlen;
	size_t		 next, nlen, nopts = 0, i, k;
	long		 n;
	int		 exists, rc;

	/* [LIST]: the first word, when a list has that name */
	orgcmd_word(t + off, len, &woff, &wlen, &next, &nlen);
	if (wlen > 0 && wlen <= KEYWORD_LIST_MAX && nlen > 0) {
		for (k = 0; k < wlen; k++) {
			char ch = t[off + woff + k];
			list[k] = ch >= 'A' && ch <= 'Z' ? (char)(ch + 32) : ch;
		}
		list[wlen] = '\0';
		if (list_exists(gw->db, list, &exists) == -1)
			return -1;
		if (exists) {
			off += next;
			len = nlen;
		} else
			list[0] = '\0';
	}
	optstr[0] = '\0';
	if (j->c.verb == ORGCMD_ASK) {
		orgcmd_word(t + off, len, &woff, &wlen, &next, &nlen);
		memcpy(msg, t + off + woff, wlen < sizeof msg ? wlen :
		    sizeof msg - 1);
		msg[wlen < sizeof msg ? wlen : sizeof msg - 1] = '\0';
		if (keyword_poll_options(gw->kw, msg, opts, &nopts, eta,
		    sizeof eta) == -1) {
			log_info("from=%s command=ASK result=bad-options",
			    log_number(j->phone));
			return organizer_reply(gw->db, j->phone, "Not accepted: "
			    "the options must be words separated by commas, "
			    "like SAFE,HELP, and never STOP.", 0, gw_now());
		}
		for (i = 0; i < nopts; i++) {
			if (i > 0)
				strlcat(optstr, ",", sizeof optstr);
			strlcat(optstr, opts[i], sizeof optstr);
		}
		off += next;
		len = nlen;
	}
	if (len == 0)
		return organizer_reply(gw->db, j->phone, "Not accepted: no "
		    "text.", 0, gw_now());
	text = xmalloc(len + 1);
	memcpy(text, t + off, len);
	text[len] = '\0';
	if (strlen(text) != len) {	/* a NUL inside */
		free(text);
		return organizer_refuse(gw, j->phone, 0);
	}
	gw_plan_opts(gw, &o);
	if (plan_make(&p, text, len, &o, &err) == -1) {
		snprintf(msg, sizeof msg, "Not accepted: %s.", err);
		free(text);
		return organizer_reply(gw->db, j->phone, msg, 0, gw_now());
	}
	if (broadcast_recipients(gw->db, list[0] ? list : NULL, &n) == -1) {
		plan_free(&p);
		free(text);
		return -1;
	}
	organizer_eta(plan_estimate_secs(n * (long)p.nseg,
	    organizer_modems_ready(gw)), eta, sizeof eta);
	organizer_code(code);
	kind = j->c.verb == ORGCMD_URGENT ? ORGANIZER_KIND_URGENT :
	    j->c.verb == ORGCMD_ASK ? ORGANIZER_KIND_ASK :
	    ORGANIZER_KIND_ALERT;
	xasprintf(&reply, "%s%s to %ld member%s (list %s): %zu SMS each, %s, "
	    "%s. Reply YES %s to send",
	    j->c.verb == ORGCMD_URGENT ? "Urgent alert" :
	    j->c.verb == ORGCMD_ASK ? "Poll " : "Alert",
	    j->c.verb == ORGCMD_ASK ? optstr : "", n, n == 1 ? "" : "s",
	    list[0] ? list : "default", p.nseg, organizer_encoding(p.encoding),
	    eta, code);
	plan_free(&p);
	rc = organizer_pending_set(gw->db, j->phone, kind, code, list, text,
	    optstr[0] ? optstr : NULL, gw_now() + ORGANIZER_CODE_SEC);
	if (rc == 0)
		rc = organizer_reply(gw->db, j->phone, reply, gw_now() +
		    ORGANIZER_CODE_SEC, gw_now());
	sodium_memzero(code, sizeof code);
	sodium_memzero(reply, strlen(reply));
	free(reply);
	free(text);
	if (rc == 0)
		log_info("from=%s command=%s result=preview recipients=%ld",
		    log_number(j->phone), orgcmd_verb_name(j->c.verb), n);
	return rc;
}

/* YES <code>: the command waiting for it is queued. */
static int
organizer_yes(struct gw *gw, const struct organizer *o, const char *code)
{
	struct organizer_pending pend;
	struct broadcast_new	 bn;
	struct plan		 p;
	struct plan_opts	 po;
	char			 opts[KEYWORD_OPTIONS_MAX][KEYWORD_OPTION_MAX];
	const char		*ptr[KEYWORD_OPTIONS_MAX], *err;
	char			 msg[160], e[160];
	size_t			 nopts = 0, i;
	int64_t			 id;
	long			 n;
	int			 rc;

	if ((rc = organizer_pending_take(gw->db, o->number, 0, code,
	    gw_now(), &pend)) == -1)
		return -1;
	if (rc == 0 || pend.text == NULL)
		return organizer_wrong(gw, o);
	memset(&bn, 0, sizeof bn);
	gw_plan_opts(gw, &po);
	if (plan_make(&p, pend.text, strlen(pend.text), &po, &err) == -1) {
		organizer_pending_clear(&pend);
		return organizer_refuse(gw, o->number, 0);
	}
	if (strcmp(pend.kind, ORGANIZER_KIND_ASK) == 0 &&
	    (pend.options == NULL || keyword_poll_options(gw->kw,
	    pend.options, opts, &nopts, e, sizeof e) == -1)) {
		plan_free(&p);
		organizer_pending_clear(&pend);
		return organizer_refuse(gw, o->number, 0);
	}
	for (i = 0; i < nopts; i++)
		ptr[i] = opts[i];
	bn.text = pend.text;
	bn.list = pend.list[0] ? pend.list : NULL;
	bn.priority = strcmp(pend.kind, ORGANIZER_KIND_URGENT) == 0 ?
	    OUTBOX_PRIO_URGENT : OUTBOX_PRIO_ROUTINE;
	bn.expires_at = gw->conf->expires > 0 ? gw_now() + gw->conf->expires :
	    0;
	bn.encoding = plan_encoding_name(p.encoding);
	bn.segments = (int)p.nseg;
	plan_free(&p);
	if (nopts > 0) {
		/* as "send --ask": the last option is forwarded */
		bn.poll_options = ptr;
		bn.npoll = nopts;
		bn.poll_alert = 1u << (nopts - 1);
		bn.poll_window = gw->conf->poll_window;
	}
	bn.author = o->name;
	bn.notify = o->number;
	rc = broadcast_create(gw->db, &bn, gw_now(), &id, &n);
	organizer_pending_clear(&pend);
	if (rc == -1) {
		/* a list removed since the preview */
		if (strncmp(db_error(gw->db), "no such list", 12) == 0)
			return organizer_refuse(gw, o->number, 0);
		return -1;
	}
	log_info("from=%s organizer=%s command=YES broadcast=%lld "
	    "recipients=%ld", log_number(o->number), o->name, (long long)id, n);
	snprintf(msg, sizeof msg, "Queued as broadcast %lld.", (long long)id);
	return organizer_reply(gw->db, o->number, msg, 0, gw_now());
}

static int
organizer_status(struct gw *gw, const char *phone)
{
	int64_t	ids[8];
	size_t	nids, i;
	long	depth, running;
	char	msg[160], num[24];
	int	ready = organizer_modems_ready(gw);

	if (outbox_depth(gw->db, &depth, &running) == -1 ||
	    organizer_running(gw->db, ids, 8, &nids) == -1)
		return -1;
	snprintf(msg, sizeof msg, "%d modem%s ready, %ld queued, ", ready,
	    ready == 1 ? "" : "s", depth);
	if (nids == 0)
		strlcat(msg, "no broadcast running", sizeof msg);
	else {
		strlcat(msg, nids == 1 ? "broadcast running: " :
		    "broadcasts running: ", sizeof msg);
		for (i = 0; i < nids; i++) {
			snprintf(num, sizeof num, "%s%lld", i ? ", " : "",
			    (long long)ids[i]);
			strlcat(msg, num, sizeof msg);
		}
		if (nids == 8)
			strlcat(msg, ", ...", sizeof msg);
	}
	log_info("from=%s command=STATUS", log_number(phone));
	return organizer_reply(gw->db, phone, msg, 0, gw_now());
}

static int
organizer_cancel(struct gw *gw, const char *phone, int64_t id)
{
	char	msg[160];
	long	n;
	int	rc;

	if (id == 0)
		return organizer_refuse(gw, phone, 0);
	if ((rc = broadcast_cancel(gw->db, id, gw_now(), &n)) == -1)
		return -1;
	if (rc == 1)	/* unknown, or finished already */
		return organizer_refuse(gw, phone, 0);
	log_info("from=%s command=CANCEL broadcast=%lld cancelled=%ld",
	    log_number(phone), (long long)id, n);
	snprintf(msg, sizeof msg, "Broadcast %lld cancelled.", (long long)id);
	return organizer_reply(gw->db, phone, msg, 0, gw_now());
}

/* WIPE <PIN>: a code comes back, for WIPE <code>. */
static int
organizer_wipe_code(struct gw *gw, const char *phone)
{
	char	code[8], *reply;
	int	rc;

	organizer_code(code);
	xasprintf(&reply, "WIPE destroys every subscriber, text and broadcast "
	    "on the gateway, for good. Reply WIPE %s within %d minutes to "
	    "wipe. The other organizers will be told.", code,
	    ORGANIZER_WIPE_SEC / 60);
	rc = organizer_pending_set(gw->db, phone, ORGANIZER_KIND_WIPE, code,
	    NULL, NULL, NULL, gw_now() + ORGANIZER_WIPE_SEC);
	if (rc == 0)
		rc = organizer_reply(gw->db, phone, reply, gw_now() +
		    ORGANIZER_WIPE_SEC, gw_now());
	sodium_memzero(code, sizeof code);
	sodium_memzero(reply, strlen(reply));
	free(reply);
	if (rc == 0)
		log_warnx("from=%s command=WIPE result=code-sent (the wipe "
		    "runs when the code comes back)", log_number(phone));
	return rc;
}

/* ---- the PIN check, on a worker thread -------------------------------------- */

static void *
organizer_thread(void *arg)
{
	struct organizer_job	*j = arg;
	ssize_t			 n;

	j->ok = organizer_pin_check(j->hash, j->c.digits);
	do {
		n = write(j->fd, &j, sizeof j);
	} while (n == -1 && errno == EINTR);
	return NULL;
}

/* Start the first job's check, if none runs. */
static void
organizer_next(struct gw *gw)
{
	struct organizer_q	*q = gw->org;
	struct organizer_job	*j;
	sigset_t		 all, old;
	int			 rc;

	if (q->running)
		return;
	while ((j = TAILQ_FIRST(&q->jobs)) != NULL) {
		j->fd = q->fds[1];
		/* signals stay with the event loop's thread */
		sigfillset(&all);
		pthread_sigmask(SIG_SETMASK, &all, &old);
		rc = pthread_create(&q->thread, NULL, organizer_thread, j);
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		if (rc == 0) {
			q->running = 1;
			return;
		}
		/* this one is refused; the next may have better luck */
		log_warnx("from=%s organizer: cannot start the PIN check: %s",
		    log_number(j->phone), strerror(rc));
		TAILQ_REMOVE(&q->jobs, j, entry);
		q->njobs--;
		organizer_refuse_now(gw, j->phone);
		organizer_job_free(j);
	}
}

/* The check is over: act on the command, in one transaction. */
static void
organizer_result(struct gw *gw, struct organizer_job *j)
{
	struct organizer	 o;
	int			 rc;

	if (db_begin(gw->db) == -1)
		goto fail;
	/* removed, or given a new PIN, meanwhile: as if never sent */
	if ((rc = organizer_get(gw->db, j->phone, &o)) != 1 ||
	    strcmp(o.pin_hash, j->hash) != 0) {
		db_rollback(gw->db);
		if (rc == -1)
			goto fail;
		return;
	}
	if (o.locked_until > gw_now())
		rc = organizer_refuse(gw, j->phone, 1);
	else if (!j->ok)
		rc = organizer_wrong(gw, &o);
	else {
		switch (j->c.verb) {
		case ORGCMD_ALERT:
		case ORGCMD_URGENT:
		case ORGCMD_ASK:
			rc = organizer_prepare(gw, j);
			break;
		case ORGCMD_STATUS:
			rc = organizer_status(gw, j->phone);
			break;
		case ORGCMD_CANCEL:
			rc = organizer_cancel(gw, j->phone, j->c.id);
			break;
		case ORGCMD_WIPE:
			rc = organizer_wipe_code(gw, j->phone);
			break;
		default:
			rc = organizer_refuse(gw, j->phone, 0);
			break;
		}
	}
	sodium_memzero(&o, sizeof o);
	if (rc == -1) {
		db_rollback(gw->db);
		goto fail;
	}
	if (db_commit(gw->db) == -1)
		goto fail;
	organizer_done(gw);	/* a cancelled broadcast */
	sched_kick(gw);
	return;
fail:
	log_warnx("from=%s organizer command not carried out (the organizer "
	    "may send it again): %s", log_number(j->phone), db_error(gw->db));
}

static void
organizer_pipe_cb(evutil_socket_t fd, short what, void *arg)
{
	struct gw		*gw = arg;
	struct organizer_q	*q = gw->org;
	struct organizer_job	*j;
	ssize_t			 n;

	(void)what;
	for (;;) {
		n = read(fd, &j, sizeof j);
		if (n == -1 && errno == EINTR)
			continue;
		if (n != (ssize_t)sizeof j)
			break;
		pthread_join(q->thread, NULL);
		q->running = 0;
		if (j != TAILQ_FIRST(&q->jobs))
			fatalx("organizer: a PIN check result for no job");
		TAILQ_REMOVE(&q->jobs, j, entry);
		q->njobs--;
		if (!gw->stopping)
			organizer_result(gw, j);
		organizer_job_free(j);
	}
	if (!gw->stopping)
		organizer_next(gw);
}

/* ---- from inbound.c ------------------------------------------------------ */

int
organizer_init(struct gw *gw)
{
	struct organizer_q	*q;

	q = xcalloc(1, sizeof *q);
	TAILQ_INIT(&q->jobs);
	if (pipe(q->fds) == -1) {
		free(q);
		return -1;
	}
	(void)fcntl(q->fds[0], F_SETFD, FD_CLOEXEC);
	(void)fcntl(q->fds[1], F_SETFD, FD_CLOEXEC);
	(void)fcntl(q->fds[0], F_SETFL, O_NONBLOCK);
	q->ev = event_new(gw->base, q->fds[0], EV_READ | EV_PERSIST,
	    organizer_pipe_cb, gw);
	event_add(q->ev, NULL);
	gw->org = q;
	return 0;
}

void
organizer_free(struct gw *gw)
{
	struct organizer_q	*q = gw->org;
	struct organizer_job	*j;

	if (q == NULL)
		return;
	if (q->running)
		pthread_join(q->thread, NULL);	/* under a second */
	while ((j = TAILQ_FIRST(&q->jobs)) != NULL) {
		TAILQ_REMOVE(&q->jobs, j, entry);
		organizer_job_free(j);
	}
	organizer_job_free(q->staged);
	event_free(q->ev);
	close(q->fds[0]);
	close(q->fds[1]);
	free(q);
	gw->org = NULL;
}

/*
 * A text from an organizer that starts with a command verb but is no
 * command ("ALERT main 2468 text": the PIN in the wrong place): not an
 * ordinary text (no keywords, not forwarded), kept with every run of
 * digits that may be the PIN masked, and "Not accepted." (capped).  From
 * anyone else it is an ordinary text (0).
 */
static int
organizer_garbled(struct gw *gw, const char *phone, const char *text,
    int64_t at, const char *modem)
{
	struct organizer	 o;
	char			*red;
	size_t			 len = strlen(text), n;
	int			 rc;

	if ((rc = organizer_get(gw->db, phone, &o)) != 1)
		return rc;
	n = orgmask_digits(text, len, NULL, 0);
	red = xmalloc(n + 1);
	orgmask_digits(text, len, red, n + 1);
	rc = inbox_add(gw->db, phone, red, at, modem, NULL, NULL, NULL);
	free(red);
	if (rc != -1) {
		log_info("from=%s organizer=%s result=refused reason=\"not a "
		    "command\"", log_number(phone), o.name);
		rc = organizer_refuse(gw, phone, 1);
	}
	sodium_memzero(&o, sizeof o);
	return rc == -1 ? -1 : 1;
}

/*
 * A text from phone, inside inbound.c's transaction: 1 when it is an
 * organizer's command (its redacted copy kept in the inbox; the rest
 * happens once the transaction commits, organizer_committed()), 0 when it
 * is an ordinary text, -1 on a database error.
 */
int
organizer_inbound(struct gw *gw, const char *phone, const char *text,
    int64_t at, const char *modem)
{
	struct organizer_q	*q = gw->org;
	struct organizer	 o;
	struct organizer_job	*j, *k;
	struct orgcmd		 c;
	char			*red;
	size_t			 len = strlen(text), n;
	long			 tries;
	int			 rc, wipe;

	if (q == NULL)
		return 0;
	if (orgcmd_parse(text, len, &c) == ORGCMD_NONE)
		/* a verb and what may be a PIN or code in the wrong
		 * place: not an ordinary text ("Yes I'm coming" is) */
		return orgmask_verb(text, len) && orgmask_secret(text, len) ?
		    organizer_garbled(gw, phone, text, at, modem) : 0;
	if ((rc = organizer_get(gw->db, phone, &o)) != 1)
		return rc;
	n = orgcmd_redact(text, len, &c, NULL, 0);
	red = xmalloc(n + 1);
	orgcmd_redact(text, len, &c, red, n + 1);
	rc = inbox_add(gw->db, phone, red, at, modem, orgcmd_verb_name(c.verb),
	    NULL, NULL);
	free(red);
	if (rc == -1)
		return -1;
	log_info("from=%s organizer=%s command=%s", log_number(phone), o.name,
	    orgcmd_verb_name(c.verb));
	if (o.locked_until > gw_now()) {
		log_info("from=%s organizer=%s result=locked", log_number(phone),
		    o.name);
		rc = organizer_refuse(gw, phone, 1);
		goto out;
	}
	if (c.verb == ORGCMD_YES) {
		/* a code: a quick keyed hash, no thread */
		rc = organizer_yes(gw, &o, c.digits);
		goto out;
	}
	organizer_job_free(q->staged);
	q->staged = NULL;
	j = xcalloc(1, sizeof *j);
	strlcpy(j->phone, phone, sizeof j->phone);
	strlcpy(j->hash, o.pin_hash, sizeof j->hash);
	j->c = c;
	if (c.verb == ORGCMD_WIPE) {
		/* a wipe waiting for its code: these digits may be it */
		if ((wipe = organizer_pending_wipe(gw->db, phone, gw_now())) ==
		    -1) {
			organizer_job_free(j);
			rc = -1;
			goto out;
		}
		if (wipe) {
			struct organizer_pending p;
			if ((rc = organizer_pending_take(gw->db, phone, 1,
			    c.digits, gw_now(), &p)) == -1) {
				organizer_job_free(j);
				goto out;
			}
			organizer_pending_clear(&p);
			if (rc == 1) {
				j->wipe_now = 1;
				q->staged = j;
				rc = 0;
				goto out;
			}
			/* not the code: perhaps the PIN again */
		}
	}
	/*
	 * Checks already waiting for this number count as wrong tries
	 * until they end: a flood from one (perhaps forged) number cannot
	 * fill the queue before its first result locks it.
	 */
	if (organizer_attempts(gw->db, phone, gw_now() - ORGANIZER_TRY_WINDOW,
	    &tries) == -1) {
		organizer_job_free(j);
		rc = -1;
		goto out;
	}
	TAILQ_FOREACH(k, &q->jobs, entry) {
		if (strcmp(k->phone, phone) == 0)
			tries++;
	}
	if (tries >= ORGANIZER_TRIES) {
		log_info("from=%s organizer=%s result=refused reason=\"PIN "
		    "checks waiting\"", log_number(phone), o.name);
		organizer_job_free(j);
		rc = organizer_refuse(gw, phone, 1);
		goto out;
	}
	j->len = len;
	j->text = xmalloc(len + 1);
	memcpy(j->text, text, len + 1);
	q->staged = j;
	rc = 0;
out:
	sodium_memzero(&o, sizeof o);
	sodium_memzero(&c, sizeof c);
	return rc == -1 ? -1 : 1;
}

/* inbound.c's transaction is over: committed (ok) or not. */
void
organizer_committed(struct gw *gw, int ok)
{
	struct organizer_q	*q = gw->org;
	struct organizer_job	*j;
	char			*text;

	if (q == NULL || (j = q->staged) == NULL) {
		if (ok && q != NULL)
			sched_kick(gw);
		return;
	}
	q->staged = NULL;
	if (!ok) {
		organizer_job_free(j);
		return;
	}
	if (j->wipe_now) {
		struct organizer o;
		if (organizer_get(gw->db, j->phone, &o) != 1)
			strlcpy(o.name, "an organizer", sizeof o.name);
		log_warnx("from=%s organizer=%s command=WIPE result=wiping",
		    log_number(j->phone), o.name);
		xasprintf(&text, "tambuli: %s (%s) asked for a panic wipe from "
		    "their phone. The gateway's data is being destroyed now.",
		    o.name, j->phone);
		sodium_memzero(&o, sizeof o);
		/* the others are told; the one who asked knows */
		gw_wipe_told(gw, text, j->phone);
		organizer_job_free(j);
		free(text);
		return;
	}
	if (q->njobs >= ORGANIZER_QUEUE_MAX) {
		log_warnx("from=%s organizer command dropped: %zu PIN checks "
		    "waiting already", log_number(j->phone), q->njobs);
		organizer_refuse_now(gw, j->phone);
		organizer_job_free(j);
		return;
	}
	TAILQ_INSERT_TAIL(&q->jobs, j, entry);
	q->njobs++;
	organizer_next(gw);
}

/*
 * Broadcasts started from an organizer's phone that are finished: "done:
 * N sent, M failed" to that phone, once.  Called after each message's
 * outcome (cheap: a partial index holds only such broadcasts) and by
 * housekeeping (expiries).
 */
void
organizer_done(struct gw *gw)
{
	struct broadcast	 b;
	int64_t			 ids[16];
	size_t			 n, i;
	char			 msg[160];

	if (organizer_unnotified(gw->db, ids, 16, &n) == -1) {
		log_warnx("organizer: %s", db_error(gw->db));
		return;
	}
	if (n == 0)
		return;
	if (db_begin(gw->db) == -1)
		goto fail;
	for (i = 0; i < n; i++) {
		if (broadcast_get(gw->db, ids[i], &b) != 0)
			goto rollback;
		snprintf(msg, sizeof msg, "Broadcast %lld %s: %ld sent, %ld "
		    "failed%s", (long long)b.id, strcmp(b.state, "cancelled") ==
		    0 ? "cancelled" : "done", b.sent + b.delivered, b.failed +
		    b.expired, b.skipped > 0 ? " (some opted out meanwhile)" :
		    "");
		if (b.notify[0] != '\0' && organizer_reply(gw->db, b.notify,
		    msg, 0, gw_now()) == -1) {
			broadcast_clear(&b);
			goto rollback;
		}
		broadcast_clear(&b);
		if (organizer_notified(gw->db, ids[i]) == -1)
			goto rollback;
	}
	if (db_commit(gw->db) == -1)
		goto fail;
	sched_kick(gw);
	return;
rollback:
	db_rollback(gw->db);
fail:
	log_warnx("organizer: telling a broadcast done: %s", db_error(gw->db));
}

void
organizer_housekeeping(struct gw *gw)
{
	long	n;

	organizer_done(gw);
	if (organizer_purge(gw->db, gw_now(), gw_now() - ORGANIZER_TRY_WINDOW,
	    &n) == -1) {
		log_warnx("organizer: %s", db_error(gw->db));
		return;
	}
	if (n > 0)
		gw->forget_ckpt = 1;	/* codes and blanked texts: out of
					 * the write-ahead log too */
}
