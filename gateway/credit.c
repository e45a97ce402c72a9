/*
 * gateway/credit.c — the credit watch: each modem's SIM balance, checked
 * by USSD between submissions, and the SIMs whose sends are refused for
 * lack of credit.
 *
 * A modem with `balance = CODE` runs that code shortly after it becomes
 * ready, then every balance_every, and when `tambuli balance` asks.  A
 * check never interrupts a submission: when it falls due while a message
 * is in flight, the modem claims no further message, and the check runs
 * as soon as that message is done (every segment of it); while the
 * session is open the modem claims nothing.  A session the network keeps
 * open (a menu) is closed with AT+CUSD=2 once its text is read.
 *
 * The amount is group 1 of balance_pattern (amount.c).  The answer, the
 * amount and the time are kept per SIM (IMSI, else "modem:NAME") in the
 * database.  When the amount falls below balance_low the organizers are
 * texted once; again only after it went back to or above the threshold
 * (a top-up) and fell below again.  That "told" mark is stored, so a
 * restart does not text again.
 *
 * Out of credit: prepaid networks refuse a submission from a SIM without
 * credit with RP-cause 8, "operator determined barring" (TS 24.011 annex
 * E: the operator has forbidden the transaction for this subscriber),
 * which modems report as +CMS ERROR: 8.  Other codes seen around credit
 * problems are left alone on purpose: 21 ("short message transfer
 * rejected") and 500 ("unknown error") are just as often about the
 * destination or anything else, and stopping a SIM on them would stop an
 * alert.  After CREDIT_NO_CREDIT_FAILS such refusals in a row the modem
 * stops claiming messages ("out of credit" in status, with the time), and
 * the organizers are told once.  Every message refused that way goes
 * straight back to the queue without counting as an attempt, so another
 * modem sends it.  The modem sends again when a balance check reads an
 * amount of at least balance_low (above zero when there is no
 * threshold); without a balance code, it tries again after balance_every.
 * The state is stored: a restart does not put a dry SIM back to work
 * before a check says so.
 */
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "amount.h"
#include "compat.h"
#include "gateway.h"
#include "log.h"

#define CREDIT_FIRST		5	/* seconds after ready: the first check */
#define CREDIT_RETRY		600	/* after a failed check, at most */
#define CREDIT_DRY_EVERY	3600	/* out of credit: checks at least this often */
#define CREDIT_NO_CREDIT_FAILS	2	/* refusals in a row: out of credit */
#define CREDIT_CMS_NO_CREDIT	8	/* operator determined barring */

static void	credit_start(struct gw_modem *);

static const char *
credit_code(const struct gw_modem *gm)
{
	return gm->cm != NULL ? gm->cm->balance : NULL;
}

static void
credit_arm(struct gw_modem *gm, int64_t sec)
{
	struct timeval	tv;

	tv.tv_sec = (time_t)sec;
	tv.tv_usec = 0;
	evtimer_add(gm->credit.ev, &tv);
}

/* 1 when the amount is enough to send again. */
static int
credit_enough(const struct gw_modem *gm)
{
	const struct gw_credit	*cr = &gm->credit;
	double			 low = gm->cm != NULL ? gm->cm->balance_low : -1;

	if (!cr->has_amount)
		return 0;
	return low >= 0 ? cr->amount >= low : cr->amount > 0;
}

static void
credit_tell(struct gw_modem *gm, const char *text)
{
	if (tell_organizers(gm->gw, text, NULL) == -1)
		log_warnx("modem=%s organizers not told: %s", gm->name,
		    db_error(gm->gw->db));
	else
		sched_kick(gm->gw);
}

/* The check is over (cr->error says whether it failed). */
static void
credit_done(struct gw_modem *gm)
{
	struct gw_credit	*cr = &gm->credit;
	int64_t			 every = gm->cm != NULL ?
				    gm->cm->balance_every : 6 * 3600;

	cr->state = CREDIT_IDLE;
	if (cr->error[0] != '\0' && every > CREDIT_RETRY)
		every = CREDIT_RETRY;
	/* out of credit: a top-up is noticed within the hour */
	if (cr->no_credit_at != 0 && every > CREDIT_DRY_EVERY)
		every = CREDIT_DRY_EVERY;
	credit_arm(gm, every);
	ctl_balance_done(gm->gw->ctl, gm);
	sched_kick(gm->gw);
}

/* Low-balance alert, and the way back from "out of credit". */
static void
credit_judge(struct gw_modem *gm)
{
	struct gw_credit	*cr = &gm->credit;
	struct gw		*gw = gm->gw;
	double			 low = gm->cm != NULL ? gm->cm->balance_low : -1;
	char			 text[320];

	if (!cr->has_amount)
		return;
	if (low >= 0 && cr->amount < low && !cr->low) {
		if (balance_set_low(gw->db, cr->sim, gm->name, 1) == -1) {
			log_warnx("modem=%s balance: %s", gm->name,
			    db_error(gw->db));
			return;	/* told at the next check, never twice */
		}
		cr->low = 1;
		log_info("modem=%s balance=%.2f low=%.2f: telling the "
		    "organizers", gm->name, cr->amount, low);
		snprintf(text, sizeof text, "tambuli: the SIM in modem %s is "
		    "low on credit: %.2f (below %.2f). Top it up. \"%.160s\"",
		    gm->name, cr->amount, low, cr->text != NULL ? cr->text : "");
		credit_tell(gm, text);
	} else if (cr->low && (low < 0 || cr->amount >= low)) {
		if (balance_set_low(gw->db, cr->sim, gm->name, 0) == 0) {
			cr->low = 0;
			log_info("modem=%s balance=%.2f: no longer low",
			    gm->name, cr->amount);
		}
	}
	if (cr->no_credit_at != 0 && credit_enough(gm)) {
		if (balance_set_no_credit(gw->db, cr->sim, gm->name, 0) == -1) {
			log_warnx("modem=%s balance: %s", gm->name,
			    db_error(gw->db));
			return;
		}
		cr->no_credit_at = 0;
		cr->fails = 0;
		log_info("modem=%s balance=%.2f: credit back, sending again",
		    gm->name, cr->amount);
	}
}

/* The answer to a balance check. */
static void
credit_answer(struct gw_modem *gm, int status, const char *text)
{
	struct gw_credit	*cr = &gm->credit;
	const char		*why;
	double			 amount;
	int			 ok;

	if (status == 1)	/* a menu: read it, close the session */
		modem_ussd_cancel(gm->m);
	if (status < 0 || text == NULL) {
		snprintf(cr->error, sizeof cr->error, "%s", status < 0 &&
		    text != NULL ? text : "the network answered without text");
		log_warnx("modem=%s balance check failed: %s", gm->name,
		    cr->error);
		credit_done(gm);
		return;
	}
	cr->error[0] = '\0';
	free(cr->text);
	cr->text = xstrdup(text);
	cr->checked_at = gw_now();
	ok = cr->re_ok && amount_match(&cr->re, text, &amount, &why) == 0;
	cr->has_amount = ok;
	cr->amount = ok ? amount : 0;
	if (!ok && cr->re_ok && !cr->unread_logged) {
		/* said once, until an answer is read again */
		log_warnx("modem=%s balance unknown: %s: \"%s\"", gm->name,
		    why, text);
		cr->unread_logged = 1;
	} else if (ok)
		cr->unread_logged = 0;
	if (balance_record(gm->gw->db, cr->sim, gm->name, ok ? &amount : NULL,
	    text, cr->checked_at) == -1)
		log_warnx("modem=%s balance not stored: %s", gm->name,
		    db_error(gm->gw->db));
	if (ok)
		log_info("modem=%s balance=%.2f", gm->name, amount);
	credit_judge(gm);
	credit_done(gm);
}

/* The modem's USSD callback: a balance check's, or a control client's. */
void
credit_ussd(struct modem *m, int status, const char *text, void *arg)
{
	struct gw_modem	*gm = arg;

	if (gm->credit.state == CREDIT_ASKING) {
		credit_answer(gm, status, text);
		return;
	}
	ctl_ussd(m, status, text, arg);
}

static void
credit_start(struct gw_modem *gm)
{
	struct gw_credit	*cr = &gm->credit;

	cr->state = CREDIT_ASKING;
	log_trace(TRACE_SCHED, "modem=%s balance check", gm->name);
	/* on failure the callback has run already */
	(void)modem_ussd(gm->m, credit_code(gm));
}

static void
credit_due_cb(evutil_socket_t fd, short what, void *arg)
{
	struct gw_modem		*gm = arg;
	struct gw_credit	*cr = &gm->credit;

	(void)fd;
	(void)what;
	if (credit_code(gm) == NULL) {
		/* nothing to read the credit with: try sending again */
		if (cr->no_credit_at != 0 && balance_set_no_credit(gm->gw->db,
		    cr->sim, gm->name, 0) == 0) {
			cr->no_credit_at = 0;
			cr->fails = 0;
			log_info("modem=%s trying to send again after running "
			    "out of credit", gm->name);
			sched_kick(gm->gw);
		}
		return;
	}
	if (gm->gw->stopping)
		return;
	if (cr->state != CREDIT_IDLE ||
	    modem_info(gm->m)->state != MODEM_READY)
		return;		/* ready again arms it */
	if (gm->busy) {
		cr->state = CREDIT_WANTED;	/* after this message */
		return;
	}
	credit_start(gm);
}

void
credit_init(struct gw_modem *gm, unsigned bit)
{
	struct gw_credit	*cr = &gm->credit;
	char			 err[160];

	cr->bit = bit;
	snprintf(cr->sim, sizeof cr->sim, "modem:%s", gm->name);
	cr->ev = evtimer_new(gm->gw->base, credit_due_cb, gm);
	if (cr->ev == NULL)
		fatalx("modem %s: out of memory", gm->name);
	if (gm->cm != NULL && gm->cm->balance_pattern != NULL) {
		if (amount_compile(&cr->re, gm->cm->balance_pattern, err,
		    sizeof err) == 0)
			cr->re_ok = 1;
		else	/* the configuration was checked: cannot happen */
			log_warnx("modem=%s balance_pattern: %s", gm->name,
			    err);
	}
}

void
credit_free(struct gw_modem *gm)
{
	struct gw_credit	*cr = &gm->credit;

	if (cr->ev != NULL)
		event_free(cr->ev);
	cr->ev = NULL;
	if (cr->re_ok)
		regfree(&cr->re);
	cr->re_ok = 0;
	free(cr->text);
	cr->text = NULL;
}

/* The modem is ready: whose SIM is it, what do we know, check soon. */
void
credit_ready(struct gw_modem *gm)
{
	struct gw_credit	*cr = &gm->credit;
	const char		*imsi = modem_info(gm->m)->imsi;
	struct balance		 b;
	char			 sim[sizeof cr->sim];

	if (imsi[0] != '\0')
		strlcpy(sim, imsi, sizeof sim);
	else
		snprintf(sim, sizeof sim, "modem:%s", gm->name);
	if (!cr->loaded || strcmp(sim, cr->sim) != 0) {
		/* another SIM (or the first time): its own history */
		strlcpy(cr->sim, sim, sizeof cr->sim);
		free(cr->text);
		cr->text = NULL;
		cr->has_amount = cr->low = 0;
		cr->checked_at = cr->no_credit_at = 0;
		cr->fails = 0;
		switch (balance_get(gm->gw->db, cr->sim, &b)) {
		case -1:
			log_warnx("modem=%s balance: %s", gm->name,
			    db_error(gm->gw->db));
			break;
		case 1:
			cr->has_amount = b.has_amount;
			cr->amount = b.amount;
			cr->text = b.text;
			b.text = NULL;
			cr->checked_at = b.checked_at;
			cr->low = b.low;
			cr->no_credit_at = b.no_credit_at;
			balance_clear(&b);
			cr->loaded = 1;
			break;
		default:
			cr->loaded = 1;
			break;
		}
		if (cr->no_credit_at != 0)
			log_info("modem=%s out of credit since %lld: not "
			    "sending until a balance check says otherwise",
			    gm->name, (long long)cr->no_credit_at);
	}
	if (credit_code(gm) != NULL && cr->state == CREDIT_IDLE)
		credit_arm(gm, CREDIT_FIRST);
	else if (credit_code(gm) == NULL && cr->no_credit_at != 0)
		credit_arm(gm, gm->cm != NULL ? gm->cm->balance_every :
		    6 * 3600);
}

/* The modem is gone: a check under way ends with it. */
void
credit_lost(struct gw_modem *gm)
{
	struct gw_credit	*cr = &gm->credit;

	if (cr->state == CREDIT_WANTED)
		cr->state = CREDIT_IDLE;
	if (cr->state == CREDIT_ASKING) {
		snprintf(cr->error, sizeof cr->error, "modem lost");
		cr->state = CREDIT_IDLE;
		ctl_balance_done(gm->gw->ctl, gm);
	}
}

/* 1 while the modem must claim no message: out of credit, or a check due
 * or under way. */
int
credit_holds(const struct gw_modem *gm)
{
	return gm->credit.state != CREDIT_IDLE || gm->credit.no_credit_at != 0;
}

/* No message in flight: a check that waited for that runs now. */
void
credit_idle(struct gw_modem *gm)
{
	if (gm->credit.state == CREDIT_WANTED && !gm->busy &&
	    modem_info(gm->m)->state == MODEM_READY)
		credit_start(gm);
	else if (gm->credit.state == CREDIT_WANTED &&
	    modem_info(gm->m)->state != MODEM_READY)
		gm->credit.state = CREDIT_IDLE;
}

/*
 * A check now (tambuli balance): 0 when it started or waits for the
 * message in flight (its end calls ctl_balance_done), -1 and *err when it
 * cannot be done.
 */
int
credit_ask(struct gw_modem *gm, const char **err)
{
	struct gw_credit	*cr = &gm->credit;

	if (credit_code(gm) == NULL) {
		*err = "no balance code for this modem (balance = in its "
		    "[modem] section)";
		return -1;
	}
	if (modem_info(gm->m)->state != MODEM_READY) {
		*err = "modem not ready";
		return -1;
	}
	if (cr->state != CREDIT_IDLE)
		return 0;	/* the check under way answers */
	evtimer_del(cr->ev);
	cr->error[0] = '\0';
	if (gm->busy) {
		cr->state = CREDIT_WANTED;
		return 0;
	}
	credit_start(gm);
	return 0;
}

/*
 * A submission failed with +CMS ERROR cms (-1: none).  Returns 1 when it
 * was refused for lack of credit: the caller puts the message back in the
 * queue without counting the attempt.
 */
int
credit_send_failed(struct gw_modem *gm, int cms)
{
	struct gw_credit	*cr = &gm->credit;
	char			 text[320];
	int64_t			 now;

	if (cms != CREDIT_CMS_NO_CREDIT) {
		cr->fails = 0;
		return 0;
	}
	if (++cr->fails < CREDIT_NO_CREDIT_FAILS || cr->no_credit_at != 0)
		return 1;
	now = gw_now();
	if (balance_set_no_credit(gm->gw->db, cr->sim, gm->name, now) == -1)
		log_warnx("modem=%s out of credit, not stored: %s", gm->name,
		    db_error(gm->gw->db));
	cr->no_credit_at = now;
	log_warnx("modem=%s out of credit: %d sends refused (+CMS ERROR: %d, "
	    "operator determined barring); sending through the other modems",
	    gm->name, cr->fails, cms);
	snprintf(text, sizeof text, "tambuli: the SIM in modem %s is out of "
	    "credit (the network refuses its texts). Sending through the "
	    "other modems. Top it up; it sends again once a balance check "
	    "shows credit.", gm->name);
	credit_tell(gm, text);
	if (credit_code(gm) == NULL)
		credit_arm(gm, gm->cm != NULL ? gm->cm->balance_every :
		    6 * 3600);
	return 1;
}

void
credit_send_ok(struct gw_modem *gm)
{
	gm->credit.fails = 0;
}
