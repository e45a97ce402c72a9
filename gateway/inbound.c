/*
 * gateway/inbound.c — what happens to a text a member sends.
 *
 *   modem reads it -> parts of a concatenated message wait in the
 *   database for their siblings -> the keyword engine -> subscriptions,
 *   opt-outs, replies, the inbox -> committed -> only then acknowledged,
 *   so the modem deletes it from the SIM.
 *
 * A crash anywhere before the acknowledgement leaves the message on the
 * SIM, and the start-up sweep reads it again: nothing is lost.
 *
 * Everything one text changes is one transaction.  Automatic replies never
 * go to alphanumeric senders, short codes or the gateway's own numbers,
 * and at most autoreply_limit per number per hour (STOP confirmations
 * included, though the first of the hour always goes), so two machines
 * cannot ping-pong.  STOP is confirmed once per opt-out; a number already
 * opted out gets silence.  Forwards never take a text from a forward
 * number or the gateway's own, and at most autoreply_limit texts per
 * sender per hour.  A text identical to the sender's previous one is
 * counted on its inbox row, not stored or forwarded again.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compat.h"
#include "gateway.h"
#include "log.h"
#include "orgcmd.h"
#include "phone.h"

/* The sender as stored: E.164 when it is a phone number. */
static void
inbound_sender(const struct gw *gw, const struct sms_msg *msg, char *out,
    size_t len)
{
	const char	*err;

	if (msg->addr.ton == SMS_TON_ALPHANUMERIC ||
	    phone_is_alpha(msg->addr.text) ||
	    phone_is_shortcode(msg->addr.text, gw_country(gw)) ||
	    phone_normalize(msg->addr.text, gw_country(gw), out, len,
	    &err) == -1)
		strlcpy(out, msg->addr.text, len);
}

/* A number that can get automatic replies (not a bank, not a short code). */
static int
inbound_is_phone(const char *phone)
{
	return phone[0] == '+' && !phone_is_alpha(phone);
}

/* a and b are the same number (b as configured or as a modem says it). */
static int
inbound_same(const struct gw *gw, const char *a, const char *b)
{
	char		 nb[32];
	const char	*err;

	if (b == NULL || *b == '\0')
		return 0;
	if (phone_normalize(b, gw_country(gw), nb, sizeof nb, &err) == -1)
		return strcmp(a, b) == 0;
	return strcmp(a, nb) == 0;
}

/*
 * One of the gateway's own numbers: a modem's configured "number", or
 * what its SIM reports (+CNUM).  A text from there is the gateway talking
 * to itself (a forward to its own number): kept, never answered or
 * forwarded.
 */
static int
inbound_is_own(const struct gw *gw, const char *phone)
{
	const struct gw_modem	*gm;
	size_t			 i;

	for (i = 0; i < gw->conf->nmodems; i++) {
		const struct conf_modem *cm = &gw->conf->modems[i];
		if (cm->number.n > 0 && inbound_same(gw, phone,
		    cm->number.v[0]))
			return 1;
	}
	TAILQ_FOREACH(gm, &gw->modems, entry) {
		if (inbound_same(gw, phone, modem_info(gm->m)->number))
			return 1;
	}
	return 0;
}

/* An organizer's phone that gets forwarded texts. */
static int
inbound_is_forward(const struct gw *gw, const char *phone)
{
	size_t	i;

	for (i = 0; i < gw->conf->forward.n; i++) {
		if (inbound_same(gw, phone, gw->conf->forward.v[i]))
			return 1;
	}
	return 0;
}

/*
 * At most autoreply_limit automatic replies per number per hour, the STOP
 * confirmations included (a number cycling JOIN and STOP cannot get them
 * without end).
 */
static int
inbound_may_reply(const struct gw *gw, const char *phone)
{
	int64_t	now = gw_now();
	long	n, sys;

	if (outbox_count_since(gw->db, phone, OUTBOX_REPLY, now - 3600, now,
	    &n) == -1 || outbox_count_since(gw->db, phone, OUTBOX_SYSTEM,
	    now - 3600, now, &sys) == -1)
		return 1;
	n += sys;
	if (n >= (long)gw->conf->autoreply_limit) {
		log_info("from=%s autoreply=suppressed reason=\"%ld replies in "
		    "the last hour\"", log_number(phone), n);
		return 0;
	}
	return 1;
}

/*
 * The STOP confirmation: one per opt-out (a number already opted out gets
 * silence).  The first of the hour goes out even past the reply limit;
 * after that it counts against the limit like any reply.
 */
static int
inbound_may_confirm_stop(const struct gw *gw, const char *phone)
{
	int64_t	now = gw_now();
	long	sys;

	if (outbox_count_since(gw->db, phone, OUTBOX_SYSTEM, now - 3600, now,
	    &sys) == -1 || sys == 0)
		return 1;
	return inbound_may_reply(gw, phone);
}

static int
inbound_reply(struct gw *gw, int may, const char *phone, const char *lang,
    enum reply_kind k, enum outbox_kind kind, const char *list,
    const char *keyword)
{
	char	*text;
	int	 rc;

	if (!may)
		return 0;
	text = reply_text(gw, lang, k, list, keyword);
	rc = outbox_enqueue(gw->db, phone, text, kind, OUTBOX_PRIO_REPLY,
	    gw_now(), NULL);
	free(text);
	return rc;
}

/*
 * Forward an inbox text to the organizers' phones.  Never a text from an
 * organizer's phone or from the gateway's own number (a forward number
 * that answers automatically, or the gateway's own number configured as
 * one, would loop), and at most autoreply_limit texts per sender per
 * hour: the rest stay in the inbox, flagged "unforwarded".  Returns 1
 * when it may be forwarded, 0 when it is not for forwarding, 2 when it
 * is over the limit, -1 on a database error.
 */
static int
inbound_may_forward(struct gw *gw, const char *phone)
{
	long	n;

	if (gw->conf->forward.n == 0 || inbound_is_forward(gw, phone) ||
	    inbound_is_own(gw, phone))
		return 0;
	if (outbox_forwards_since(gw->db, phone, gw_now() - 3600, gw_now(),
	    &n) == -1)
		return -1;
	/* one row per organizer's phone for each text forwarded */
	if (n / (long)gw->conf->forward.n >= (long)gw->conf->autoreply_limit) {
		log_info("from=%s forward=suppressed reason=\"%ld texts "
		    "forwarded in the last hour\"", log_number(phone),
		    n / (long)gw->conf->forward.n);
		return 2;
	}
	return 1;
}

static int
inbound_forward(struct gw *gw, const char *phone, const char *text)
{
	char	*fwd;
	size_t	 i;
	int	 rc = 0;

	xasprintf(&fwd, "From %s: %s", phone, text);
	for (i = 0; i < gw->conf->forward.n; i++)
		rc |= outbox_forward(gw->db, gw->conf->forward.v[i], fwd,
		    phone, gw_now());
	free(fwd);
	return rc;
}

/*
 * An answer to a poll sent to this member (still open): the newest such
 * poll one of whose options the text is.  Kept in poll_answers and in the
 * inbox (keyword: the option, so the default view skips it), never
 * answered automatically nor forwarded as an ordinary text; an option
 * named by --alert-on is forwarded to the organizers at once with the
 * member's number, and stays in the default inbox view (flag "alert").
 * 1 when the text was an answer, 0 when not, -1 on a database error.
 */
_Static_assert(POLL_OPTION_MAX == KEYWORD_OPTION_MAX &&
    POLL_OPTIONS_MAX == KEYWORD_OPTIONS_MAX, "poll option sizes differ");

static int
inbound_answer(struct gw *gw, const char *phone, const char *text,
    int64_t at, const char *modem, int review)
{
	struct poll	 v[GW_POLLS_OPEN], *p = NULL;
	const char	*opt;
	char		 fl[64], *fwd;
	size_t		 n, i;
	int		 k = -1, changed, alert, fw = 0, rc;

	if (poll_open_for(gw->db, phone, gw_now(), v, GW_POLLS_OPEN, &n) == -1)
		return -1;
	for (i = 0; i < n && k < 0; i++) {
		k = keyword_poll_match((const char (*)[KEYWORD_OPTION_MAX])
		    v[i].options, v[i].noptions, text, strlen(text));
		p = &v[i];
	}
	if (k < 0)
		return 0;
	opt = p->options[k];
	if (poll_answer(gw->db, p->broadcast_id, phone, opt, text, gw_now(),
	    &changed) == -1)
		return -1;
	alert = (p->alert >> k) & 1;
	if (alert && (fw = inbound_may_forward(gw, phone)) == -1)
		return -1;
	/* an answer that also asks to be let go ("NO 🛑") is counted, and
	 * shown to an organizer flagged */
	snprintf(fl, sizeof fl, "%s%s%s%s%s", alert ? INBOX_FLAG_ALERT : "",
	    alert && review ? "," : "", review ? INBOX_FLAG_REVIEW : "",
	    fw == 2 ? "," : "", fw == 2 ? INBOX_FLAG_UNFORWARDED : "");
	if ((rc = inbox_add(gw->db, phone, text, at, modem, opt,
	    fl[0] ? fl : NULL, NULL)) == -1)
		return -1;
	log_info("from=%s poll=%lld answer=%s%s%s", log_number(phone),
	    (long long)p->broadcast_id, opt, changed ? "" : " same=yes",
	    alert ? " alert=yes" : "");
	/* a repeat of the same words is counted, not forwarded again */
	if (alert && fw == 1 && rc == 0) {
		xasprintf(&fwd, "From %s: %s (poll %lld: %s)", phone, text,
		    (long long)p->broadcast_id, opt);
		for (i = 0; i < gw->conf->forward.n; i++) {
			if (outbox_forward(gw->db, gw->conf->forward.v[i], fwd,
			    phone, gw_now()) == -1) {
				free(fwd);
				return -1;
			}
		}
		free(fwd);
	}
	return 1;
}

/*
 * FORGET: the member asks for their number to be deleted.  Everything
 * stored about it goes (db/forget.c), which opts it out for good (a
 * marker, not the number); the text itself is not kept.  One
 * confirmation says so: it is forgotten too once it has gone
 * (inbound_forgotten).  A number already forgotten gets silence, unless
 * its confirmation had not gone yet (the new forget removes it: it is
 * queued again).
 */
static int
inbound_forget(struct gw *gw, const char *phone, const struct subscriber *sub,
    const struct keyword_result *kr, const char *lang)
{
	char	*text;
	long	 rows;
	int	 already = 0, pending = 0, rc;

	if (sub->id == 0) {	/* no row: unknown, or only a marker */
		if ((already = mark_has(gw->db, phone)) == -1)
			return -1;
		if (already &&
		    (pending = forget_pending(gw->db, phone)) == -1)
			return -1;
	}
	if (forget_number(gw->db, phone, gw_country(gw), gw_now(),
	    &rows) == -1)
		return -1;
	log_info("from=%s keyword=%s result=forgotten rows=%ld",
	    log_number(phone), kr->keyword, rows);
	gw->forget_ckpt = 1;
	if (already && !pending)
		return 0;
	text = reply_text(gw, lang, REPLY_FORGET, NULL, kr->keyword);
	rc = forget_confirm(gw->db, phone, text, gw_now());
	free(text);
	return rc;
}

/*
 * Act on one complete text: every change it makes (consent, replies,
 * inbox, forwards) in one transaction, so a failure leaves nothing half
 * done for the re-read to trip on.  0 when committed, -1 when it must be
 * read again.
 */
static int
inbound_act(struct gw *gw, const char *phone, const char *text,
    int64_t at, const char *modem, const char *flags)
{
	struct keyword_result	 kr;
	struct subscriber	 sub;
	struct consent		 c = { NULL, text, "sms" };
	const char		*lang;
	char			 fl[64];
	long			 cancelled;
	int			 result, may, fw, rc;

	if (!inbound_is_phone(phone) || flags != NULL ||
	    inbound_is_own(gw, phone)) {
		/* a bank, the carrier, a short code, a broken message, the
		 * gateway itself: kept, never answered */
		if ((rc = inbox_add(gw->db, phone, text, at, modem, NULL,
		    flags, NULL)) == -1)
			return -1;
		log_info("from=%s inbox=%s%s%s", log_number(phone),
		    rc == 1 ? "repeat" : "1", flags ? " flags=" : "",
		    flags ? flags : "");
		return 0;
	}
	/* an organizer's command (ALERT <PIN> ...): never a keyword, never
	 * forwarded; from anyone else the same words are an ordinary text */
	if ((rc = organizer_inbound(gw, phone, text, at, modem)) != 0) {
		/* the PIN was in this transaction's pages: out of the
		 * -wal once it commits (inbound_forgotten) */
		if (rc == 1)
			gw->forget_ckpt = 1;
		return rc == -1 ? -1 : 0;
	}

	keyword_match(gw->kw, text, strlen(text), &kr);
	may = kr.action != KEYWORD_NONE && inbound_may_reply(gw, phone);
	c.keyword = kr.keyword;
	if (subscriber_get(gw->db, phone, &sub) == -1)
		return -1;
	lang = kr.lang[0] ? kr.lang : sub.language[0] ? sub.language :
	    gw_language(gw);
	/* an answer to a poll sent to this member wins over every keyword
	 * but STOP (HELP is INFO otherwise), and only from a member still
	 * subscribed: one who opted out and texts YES asks to come back.
	 * A text with an opt-out word in it is no answer; one flagged for
	 * a hint ("remove") may be (a poll KEEP,REMOVE) */
	if (kr.action != KEYWORD_STOP && kr.action != KEYWORD_FORGET &&
	    (!kr.flag_review || kr.review_hint) &&
	    sub.status == SUBSCRIBER_ACTIVE &&
	    (rc = inbound_answer(gw, phone, text, at, modem,
	    kr.flag_review)) != 0)
		return rc == -1 ? -1 : 0;

	switch (kr.action) {
	case KEYWORD_JOIN:
		if (subscriber_join(gw->db, phone, kr.list[0] ? kr.list : NULL,
		    kr.lang[0] ? kr.lang : NULL, &c, gw_now(), &result) == -1)
			return -1;
		log_info("from=%s keyword=%s list=%s result=%s",
		    log_number(phone), kr.keyword, kr.list[0] ? kr.list :
		    "default", result == SUBSCRIBER_NO_LIST ? "no-such-list" :
		    result == SUBSCRIBER_ALREADY ? "already" : "joined");
		if (inbound_reply(gw, may, phone, lang, result == SUBSCRIBER_NO_LIST ?
		    REPLY_NO_LIST : REPLY_JOIN, OUTBOX_REPLY, kr.list,
		    kr.keyword) == -1)
			return -1;
		break;
	case KEYWORD_STOP:
		/* a forgotten number is opted out already (its marker):
		 * silence, and nothing stored that would name it again */
		if (sub.id == 0 && (rc = mark_has(gw->db, phone)) != 0) {
			if (rc == -1)
				return -1;
			log_info("from=%s keyword=%s result=forgotten-already",
			    log_number(phone), kr.keyword);
			return 0;
		}
		if (subscriber_optout(gw->db, phone, &c, gw_now(),
		    &cancelled) == -1)
			return -1;
		log_info("from=%s keyword=%s result=opted-out cancelled=%ld",
		    log_number(phone), kr.keyword, cancelled);
		/* one confirmation per opt-out, then silence */
		if (sub.status != SUBSCRIBER_OPTED_OUT &&
		    inbound_reply(gw, inbound_may_confirm_stop(gw, phone),
		    phone, lang, REPLY_STOP, OUTBOX_SYSTEM, NULL,
		    kr.keyword) == -1)
			return -1;
		/* the keyword's language is the member's, opted out too */
		if (kr.lang[0] && strcmp(kr.lang, sub.language) != 0 &&
		    subscriber_set_language(gw->db, phone, kr.lang, &c,
		    gw_now()) == -1)
			return -1;
		break;
	case KEYWORD_INFO:
		log_info("from=%s keyword=%s", log_number(phone), kr.keyword);
		if (inbound_reply(gw, may, phone, lang, REPLY_INFO, OUTBOX_REPLY,
		    NULL, kr.keyword) == -1)
			return -1;
		break;
	case KEYWORD_LANG:
		log_info("from=%s keyword=%s lang=%s", log_number(phone),
		    kr.keyword, kr.lang_unknown ? "unknown" : kr.lang_code);
		if (kr.lang_unknown) {
			if (inbound_reply(gw, may, phone, lang, REPLY_UNKNOWN_LANG,
			    OUTBOX_REPLY, NULL, kr.keyword) == -1)
				return -1;
			break;
		}
		if (subscriber_set_language(gw->db, phone, kr.lang_code, &c,
		    gw_now()) == -1)
			return -1;
		if (inbound_reply(gw, may, phone, kr.lang_code, REPLY_LANG,
		    OUTBOX_REPLY, NULL, kr.keyword) == -1)
			return -1;
		break;
	case KEYWORD_FORGET:
		return inbound_forget(gw, phone, &sub, &kr, lang);
	case KEYWORD_NONE:
		if ((fw = inbound_may_forward(gw, phone)) == -1)
			return -1;
		snprintf(fl, sizeof fl, "%s%s%s", kr.flag_review ?
		    INBOX_FLAG_REVIEW : "", kr.flag_review && fw == 2 ? "," :
		    "", fw == 2 ? INBOX_FLAG_UNFORWARDED : "");
		if ((rc = inbox_add(gw->db, phone, text, at, modem, NULL,
		    fl[0] ? fl : NULL, NULL)) == -1)
			return -1;
		/* a repeat of the sender's last text is counted on its row,
		 * and not forwarded again */
		log_info("from=%s inbox=%s%s%s", log_number(phone),
		    rc == 1 ? "repeat" : "1", fl[0] ? " flags=" : "", fl);
		if (rc == 0 && fw == 1 && inbound_forward(gw, phone, text) == -1)
			return -1;
		return 0;
	}
	/* keyword texts are kept too (hidden from the default inbox view) */
	if (inbox_add(gw->db, phone, text, at, modem, kr.keyword, NULL,
	    NULL) == -1)
		return -1;
	return 0;
}

/*
 * A text not stored: said at warning level the first time; when it is
 * read again and fails again (again set), only in debug lines, the texts
 * still held said together by inbound_tell_held().
 */
static int
inbound_process(struct gw *gw, const char *phone, const char *text,
    int64_t at, const char *modem, const char *flags, int again)
{
	log_stage_begin();	/* what it did is said once it commits */
	if (db_begin(gw->db) == -1)
		goto fail;
	if (inbound_act(gw, phone, text, at, modem, flags) == -1) {
		db_rollback(gw->db);
		goto fail;
	}
	if (db_commit(gw->db) == -1)
		goto fail;
	log_stage_end(1);
	organizer_committed(gw, 1);
	if (gw->forget_ckpt)
		inbound_forgotten(gw);
	return 0;
fail:
	log_stage_end(0);
	organizer_committed(gw, 0);
	if (again)
		log_debug("%s: from=%s not processed again: %s", __func__,
		    log_number(phone), db_error(gw->db));
	else
		log_warnx("from=%s not processed, will be read again: %s",
		    log_number(phone), db_error(gw->db));
	return -1;
}

/* ---- texts read but not committed ------------------------------------ */

/*
 * A text from phone, in slot index of gm's storage, failed to commit: hold
 * its sender back (a claim skips the number) until that slot commits.  A
 * text whose sender is unknown (undecodable) holds nobody: it is stored
 * as undecodable and can never opt anyone out, so holding sends back
 * would change nothing.
 */
static void
inbound_hold(struct gw *gw, const struct gw_modem *gm, int index,
    const char *phone, int64_t scts)
{
	struct gw_held	*h;
	size_t		 i;

	if (phone == NULL)
		return;
	for (i = 0; i < gw->nheld; i++) {
		h = &gw->held[i];
		if (h->gm == gm && h->index == index &&
		    (index >= 0 || strcmp(h->phone, phone) == 0)) {
			strlcpy(h->phone, phone, sizeof h->phone);
			h->scts = scts;
			h->failed_at = gw_mono();
			return;
		}
	}
	if (gw->nheld == GW_HELD_MAX) {
		if (!gw->held_overflow)
			log_warnx("more than %d texts not stored: no message "
			    "goes out until they are", GW_HELD_MAX);
		gw->held_overflow = 1;
		return;
	}
	h = &gw->held[gw->nheld++];
	h->gm = gm;
	h->index = index;
	strlcpy(h->phone, phone, sizeof h->phone);
	h->scts = scts;
	h->failed_at = gw_mono();
}

/* 1 when the text in slot index of gm's storage is held: read again. */
static int
inbound_is_held(const struct gw *gw, const struct gw_modem *gm, int index)
{
	size_t	i;

	if (index < 0)
		return 0;
	for (i = 0; i < gw->nheld; i++)
		if (gw->held[i].gm == gm && gw->held[i].index == index)
			return 1;
	return 0;
}

/*
 * A held text failed again.  Each was logged when it first failed; while
 * they keep failing, one line says how many wait, at most every
 * GW_HELD_TELL seconds, not one per text per re-read (a full disk on a
 * Pi would flood the journal).
 */
static void
inbound_tell_held(struct gw *gw)
{
	size_t	i, n = 0;

	if (gw_mono() - gw->held_told_at < GW_HELD_TELL)
		return;
	for (i = 0; i < gw->nheld; i++)
		if (gw->held[i].index >= 0 &&
		    gw_mono() - gw->held[i].failed_at <= gw->order_wait)
			n++;
	log_warnx("held texts: %zu not stored yet, read again every %d "
	    "seconds: %s", n, GW_REREAD_SEC, gw->held_err);
	gw->held_told_at = gw_mono();
}

/*
 * 1 when a text from phone, stamped scts by the network, must wait for an
 * earlier one from the same number that is on a SIM, not stored yet: a
 * JOIN that failed and a STOP sent after it (in a lower slot, freed
 * meanwhile) would otherwise be acted on in the wrong order and leave
 * the member subscribed.  Only while that earlier text is being read
 * again (it failed in the last GW_ORDER_WAIT seconds): one that vanished
 * from the SIM must not hold the number's texts for ever.
 */
static int
inbound_waits(const struct gw *gw, const struct gw_modem *gm, int index,
    const char *phone, int64_t scts)
{
	const struct gw_held	*h;
	size_t			 i;

	if (scts == 0)
		return 0;
	for (i = 0; i < gw->nheld; i++) {
		h = &gw->held[i];
		if (h->index < 0 || (h->gm == gm && h->index == index) ||
		    h->scts == 0 || h->scts >= scts ||
		    strcmp(h->phone, phone) != 0 ||
		    gw_mono() - h->failed_at > gw->order_wait)
			continue;
		return 1;
	}
	return 0;
}

/*
 * The text in slot index is committed.  A text that had no slot (shown,
 * not stored, by the modem) cannot be read again: its hold ends when its
 * sender's next text commits.
 */
static void
inbound_release(struct gw *gw, const struct gw_modem *gm, int index,
    const char *phone)
{
	size_t	i = 0;
	int	left = 0;

	while (i < gw->nheld) {
		struct gw_held *h = &gw->held[i];
		if (h->gm == gm && index >= 0 && h->index == index)
			gw->held_stored++;
		if ((h->gm == gm && index >= 0 && h->index == index) ||
		    (h->index < 0 && phone != NULL &&
		    strcmp(h->phone, phone) == 0)) {
			gw->held[i] = gw->held[--gw->nheld];
			continue;
		}
		if (h->index >= 0)
			left = 1;
		i++;
	}
	/* the end of what inbound_sms() warned about, in one line */
	if (!left && gw->held_stored > 0) {
		log_info("held texts: %ld stored, none waits on a SIM now",
		    gw->held_stored);
		gw->held_stored = 0;
	}
}

/* The numbers held back, at most n of them into v; returns how many. */
size_t
inbound_held(const struct gw *gw, const char **v, size_t n)
{
	size_t	i, k = 0;

	for (i = 0; i < gw->nheld && k < n; i++)
		v[k++] = gw->held[i].phone;
	return k;
}

/* A text was not stored: read the storage again, first thing. */
static void
inbound_retry_later(struct gw_modem *gm)
{
	struct timeval	tv = { GW_REREAD_SEC, 0 };

	switch (gm->reread) {
	case GW_REREAD_NONE:
		/* the next claim waits for a sweep: when the store works
		 * again, what members sent is processed before anything
		 * else goes out */
		gm->reread = GW_REREAD_DUE;
		break;
	case GW_REREAD_SWEEPING:
		gm->reread_again = 1;
		return;		/* inbound_swept() decides */
	default:
		break;
	}
	if (!evtimer_pending(gm->ev_reread, NULL))
		evtimer_add(gm->ev_reread, &tv);
}

static void
inbound_sweep(struct gw_modem *gm)
{
	evtimer_del(gm->ev_reread);
	gm->reread = GW_REREAD_SWEEPING;
	gm->reread_again = 0;
	log_debug("%s: modem=%s reading storage again", __func__, gm->name);
	modem_sweep(gm->m);
}

/* Read the modem's storage again after a failure to store a text. */
void
inbound_reread_cb(evutil_socket_t fd, short what, void *arg)
{
	struct gw_modem	*gm = arg;

	(void)fd;
	(void)what;
	inbound_sweep(gm);
}

/*
 * A sweep of gm's storage is over.  A text that failed again during it
 * is retried on the timer, and claims go on meanwhile (its sender stays
 * held back): a text that keeps failing must not stop every send.
 */
void
inbound_swept(struct gw_modem *gm)
{
	struct timeval	tv = { GW_REREAD_SEC, 0 };

	if (gm->reread != GW_REREAD_SWEEPING)
		return;
	if (gm->reread_again) {
		gm->reread = GW_REREAD_WAIT;
		if (!evtimer_pending(gm->ev_reread, NULL))
			evtimer_add(gm->ev_reread, &tv);
	} else {
		gm->reread = GW_REREAD_NONE;
		gm->gw->held_overflow = 0;
	}
	gm->reread_again = 0;
}

/*
 * 1 when no message may be claimed now: a text not stored awaits its
 * first retry (started here) or the retry is reading the storage, or
 * more senders are held back than we could record.
 */
/*
 * A held text its modem, ready and not reading its storage again, has
 * not read again for the order wait is no longer there (a modem's own
 * memory emptied by a reboot, another program, another SIM): its sender
 * is held back no longer, or no message would reach them until a
 * restart.  A text without a slot is the shown queue's business.
 */
static void
inbound_held_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	sched_kick(arg);	/* the claim looks again */
}

static void
inbound_held_gone(struct gw *gw)
{
	struct gw_held	*h;
	struct timeval	 tv = { 0, 0 };
	int64_t		 now = gw_mono(), next = 0, due;
	size_t		 i = 0;

	while (i < gw->nheld) {
		h = &gw->held[i];
		if (h->index < 0) {
			i++;
			continue;
		}
		due = h->failed_at + gw->order_wait + 1;
		if (h->gm->reread == GW_REREAD_NONE &&
		    modem_info(h->gm->m)->state == MODEM_READY &&
		    now >= due) {
			log_warnx("modem=%s slot=%d: the text from %s that "
			    "was not stored is gone from the modem's "
			    "storage; messages to the number go out again",
			    h->gm->name, h->index, log_number(h->phone));
			gw->held[i] = gw->held[--gw->nheld];
			continue;
		}
		if (next == 0 || due < next)
			next = due;
		i++;
	}
	/* a message skipped for a held sender wakes nobody: look again
	 * when the earliest hold may end */
	if (next == 0)
		return;
	if (gw->ev_held == NULL &&
	    (gw->ev_held = evtimer_new(gw->base, inbound_held_cb, gw)) == NULL)
		fatalx("out of memory");
	tv.tv_sec = next > now ? (time_t)(next - now) : GW_REREAD_SEC;
	evtimer_add(gw->ev_held, &tv);
}

void
inbound_held_free(struct gw *gw)
{
	if (gw->ev_held != NULL)
		event_free(gw->ev_held);
	gw->ev_held = NULL;
}

int
inbound_claims_wait(struct gw *gw)
{
	struct gw_modem	*gm;
	int		 wait = gw->held_overflow;

	inbound_held_gone(gw);

	TAILQ_FOREACH(gm, &gw->modems, entry) {
		if (modem_info(gm->m)->state != MODEM_READY)
			continue;	/* its own start-up sweep reads it */
		if (gm->reread == GW_REREAD_DUE)
			inbound_sweep(gm);
		if (gm->reread == GW_REREAD_SWEEPING)
			wait = 1;
	}
	return wait;
}

/*
 * A joined text that could not be processed goes to the inbox as it is;
 * one that reads as an organizer's command ("ALERT <PIN> ...") only as
 * its redacted copy, so a PIN never lands there.
 */
static int
inbound_keep(struct gw *gw, const char *phone, const char *text,
    int64_t at, const char *modem, const char *flags)
{
	struct orgcmd	 c;
	char		*red;
	size_t		 len = strlen(text), n;
	int		 rc;

	if (orgcmd_parse(text, len, &c) == ORGCMD_NONE)
		return inbox_add(gw->db, phone, text, at, modem, NULL,
		    flags, NULL);
	n = orgcmd_redact(text, len, &c, NULL, 0);
	red = xmalloc(n + 1);
	orgcmd_redact(text, len, &c, red, n + 1);
	rc = inbox_add(gw->db, phone, red, at, modem, NULL, flags, NULL);
	free(red);
	gw->forget_ckpt = 1;	/* the PIN's pages out of the -wal */
	return rc;
}

static int64_t
inbound_time(const struct sms_time *t)
{
	/* the member's phone clock is not ours: when we got it counts */
	(void)t;
	return gw_now();
}

/*
 * One part of a long text: stored, and when it is the last one missing,
 * the joined text acted on, in one transaction.  A failure undoes both:
 * the part stays on the SIM and is read again, the parts before it stay
 * stored.  (Parts consumed in a transaction of their own, with the
 * action failing after, made the re-read part look like the network
 * repeating a completed message: it was deleted, the text lost.)
 */
static int
inbound_part(struct gw *gw, const char *phone, const struct sms_msg *msg,
    const char *modem, int again)
{
	char	*full = NULL;

	log_stage_begin();	/* what it did is said once it commits */
	if (db_begin(gw->db) == -1)
		goto fail;
	/* UCS-2 parts keep their UTF-16: a surrogate pair may be split
	 * between two of them */
	if (inbox_part_add_ucs2(gw->db, phone, msg->concat.ref,
	    msg->concat.parts, msg->concat.part, msg->text,
	    msg->encoding == SMS_ENC_UCS2 && !msg->compressed ? msg->data :
	    NULL, msg->data_len, gw_now(), modem, &full) == -1) {
		db_rollback(gw->db);
		goto fail;
	}
	log_debug("%s: from=%s part %u/%u ref %u%s", __func__,
	    log_number(phone), msg->concat.part, msg->concat.parts,
	    msg->concat.ref, full ? " (complete)" : "");
	if (full != NULL && inbound_act(gw, phone, full, gw_now(), modem,
	    NULL) == -1) {
		db_rollback(gw->db);
		goto fail;
	}
	if (db_commit(gw->db) == -1)
		goto fail;
	log_stage_end(1);
	if (full != NULL) {
		organizer_committed(gw, 1);
		if (gw->forget_ckpt)
			inbound_forgotten(gw);
	}
	free(full);
	return 0;
fail:
	log_stage_end(0);
	organizer_committed(gw, 0);
	if (again)
		log_debug("%s: from=%s part %u/%u not processed again: %s",
		    __func__, log_number(phone), msg->concat.part,
		    msg->concat.parts, db_error(gw->db));
	else
		log_warnx("from=%s part %u/%u not processed, will be read "
		    "again: %s", log_number(phone), msg->concat.part,
		    msg->concat.parts, db_error(gw->db));
	free(full);
	return -1;
}

/*
 * Store and act on one text: 0, -1 when the database did not take it, -2
 * when it waits for an earlier text from its sender.  phone (PHONE_BUF
 * bytes) gets the sender; *from points to it, or is NULL for a text with
 * no sender (undecodable).
 */
static int	inbound_shown_has(const struct gw *, size_t, const char *);

static int
inbound_text(struct gw *gw, struct gw_modem *gm, const struct modem_sms *s,
    int again, int queued, char *phone, size_t plen, const char **from,
    int64_t *scts)
{
	const struct sms_msg	*msg = s->msg;
	char			*text;
	int			 rc;

	*from = NULL;
	*scts = 0;
	if (msg == NULL) {
		/* keep what we could not decode: nothing is lost */
		xasprintf(&text, "[undecodable message: %s] %s", s->error,
		    s->pdu_hex);
		rc = inbound_process(gw, "unknown", text, gw_now(),
		    gm->name, INBOX_FLAG_UNDECODABLE, again);
		free(text);
		return rc;
	}
	inbound_sender(gw, msg, phone, plen);
	*from = phone;
	*scts = pdu_time_epoch(&msg->scts);
	/* an earlier text from this sender waits in memory: after it
	 * (a JOIN stored after the STOP that followed it would undo it) */
	if (!queued && inbound_shown_has(gw, 0, phone)) {
		if (again)
			log_debug("%s: from=%s still waits", __func__,
			    log_number(phone));
		else
			log_info("from=%s waits for an earlier text from this "
			    "number, not stored yet", log_number(phone));
		return -2;
	}
	if (s->index >= 0 && inbound_waits(gw, gm, s->index, phone, *scts)) {
		if (again)
			log_debug("%s: from=%s slot=%d still waits",
			    __func__, log_number(phone), s->index);
		else
			log_info("from=%s slot=%d waits for an earlier text "
			    "from this number, not stored yet",
			    log_number(phone), s->index);
		return -2;
	}
	if (msg->encoding == SMS_ENC_8BIT) {
		xasprintf(&text, "[%zu octets of 8-bit data]", msg->data_len);
		rc = inbound_process(gw, phone, text, inbound_time(&msg->scts),
		    gm->name, "binary", again);
		free(text);
		return rc;
	}
	if (msg->concat.present && msg->concat.parts > 1)
		return inbound_part(gw, phone, msg, gm->name, again);
	return inbound_process(gw, phone, msg->text,
	    inbound_time(&msg->scts), gm->name, NULL, again);
}

/*
 * The texts a modem showed without storing them (+CMT: a modem that
 * cannot store and announce, a flash message) and the database did not
 * take, oldest first, until one fails again; then again in
 * GW_REREAD_SEC.  Nothing can read them from a SIM again: dropping one
 * would lose a STOP.
 */
static void
inbound_shown_cb(evutil_socket_t fd, short what, void *arg)
{
	struct gw		*gw = arg;
	struct timeval		 tv = { GW_REREAD_SEC, 0 };
	struct gw_shown		*k;
	struct modem_sms	 s;
	char			 phone[PHONE_BUF];
	const char		*from;
	int64_t			 scts;
	size_t			 n = 0;

	(void)fd;
	(void)what;
	netclock_check(gw);
	while (n < gw->nshown) {
		k = &gw->shown[n];
		memset(&s, 0, sizeof s);
		s.index = -1;
		s.pdu_hex = k->pdu_hex;
		s.msg = k->msg;
		s.error = k->error;
		if (inbound_text(gw, k->gm, &s, 1, 1, phone, sizeof phone,
		    &from, &scts) != 0)
			break;
		/* the sender stays held while a later text of theirs
		 * waits here too */
		if (from == NULL || !inbound_shown_has(gw, n + 1, from))
			inbound_release(gw, k->gm, -1, from);
		free(k->msg);
		free(k->pdu_hex);
		free(k->error);
		n++;
	}
	memmove(gw->shown, gw->shown + n, (gw->nshown - n) * sizeof
	    *gw->shown);
	gw->nshown -= n;
	gw->shown_done += n;
	if (n > 0)
		sched_kick(gw);
	if (gw->nshown > 0) {
		if (!gw->stopping)
			evtimer_add(gw->ev_shown, &tv);
		return;
	}
	if (gw->shown_done > 0)
		log_info("texts shown, not stored, by a modem: %zu held "
		    "ones stored", gw->shown_done);
	gw->shown_done = 0;
}

/* 1 when a text from phone waits in the shown queue, from entry i on. */
static int
inbound_shown_has(const struct gw *gw, size_t i, const char *phone)
{
	for (; i < gw->nshown; i++)
		if (strcmp(gw->shown[i].phone, phone) == 0)
			return 1;
	return 0;
}

/* A text with no slot, not stored: kept here and tried again. */
static void
inbound_shown_keep(struct gw *gw, struct gw_modem *gm,
    const struct modem_sms *s, const char *from)
{
	struct timeval	 tv = { GW_REREAD_SEC, 0 };
	struct gw_shown	*k;

	if (gw->nshown == GW_SHOWN_MAX) {
		log_warnx("modem=%s a text shown, not stored, by the modem "
		    "is lost: %d others wait for the database", gm->name,
		    GW_SHOWN_MAX);
		return;
	}
	k = &gw->shown[gw->nshown++];
	k->gm = gm;
	strlcpy(k->phone, from != NULL ? from : "", sizeof k->phone);
	k->msg = NULL;
	if (s->msg != NULL) {
		k->msg = xmalloc(sizeof *k->msg);
		memcpy(k->msg, s->msg, sizeof *k->msg);
	}
	k->pdu_hex = xstrdup(s->pdu_hex != NULL ? s->pdu_hex : "");
	k->error = xstrdup(s->error != NULL ? s->error : "");
	if (gw->ev_shown == NULL)
		gw->ev_shown = evtimer_new(gw->base, inbound_shown_cb, gw);
	if (gw->ev_shown == NULL)
		fatalx("out of memory");
	if (!evtimer_pending(gw->ev_shown, NULL))
		evtimer_add(gw->ev_shown, &tv);
}

/* At exit: the texts shown, not stored, are tried once more. */
void
inbound_shown_free(struct gw *gw)
{
	if (gw->nshown > 0 && gw->db != NULL && gw->wipe == 0)
		inbound_shown_cb(-1, 0, gw);
	if (gw->nshown > 0)
		log_warnx("%zu texts shown, not stored, by a modem are lost "
		    "at exit: the database did not take them", gw->nshown);
	while (gw->nshown > 0) {
		struct gw_shown *k = &gw->shown[--gw->nshown];
		free(k->msg);
		free(k->pdu_hex);
		free(k->error);
	}
	if (gw->ev_shown != NULL) {
		event_free(gw->ev_shown);
		gw->ev_shown = NULL;
	}
}

void
inbound_sms(struct modem *m, const struct modem_sms *s, void *arg)
{
	struct gw_modem		*gm = arg;
	struct gw		*gw = gm->gw;
	char			 phone[PHONE_BUF];
	const char		*from;
	int64_t			 scts;
	int			 rc, again;

	/* a step of the clock moves what was stored before it first: a
	 * text stored on the new clock must not move with it */
	netclock_check(gw);
	/* the texts waiting in memory first: they came earlier */
	if (gw->nshown > 0)
		inbound_shown_cb(-1, 0, gw);
	/* read again after a failure: said once, not at each re-read */
	again = inbound_is_held(gw, gm, s->index);
	rc = inbound_text(gw, gm, s, again, 0, phone, sizeof phone, &from,
	    &scts);
	if (rc == 0) {
		inbound_release(gw, gm, s->index, from);
		modem_sms_done(m, s->index);
		sched_kick(gw);
		return;
	}
	/* not stored (the database was busy or failing): it stays on the
	 * SIM, its sender gets nothing until it is stored, and the modem's
	 * storage is read again before the next claim */
	if (rc == -1)
		strlcpy(gw->held_err, db_error(gw->db), sizeof gw->held_err);
	inbound_hold(gw, gm, s->index, from, scts);
	if (s->index < 0) {
		/* on no SIM: kept here, tried again */
		inbound_shown_keep(gw, gm, s, from);
		/* senders beyond the hold list wait for a sweep */
		if (gw->held_overflow)
			inbound_retry_later(gm);
		return;
	}
	if (again)
		inbound_tell_held(gw);
	else
		gw->held_told_at = gw_mono();
	modem_sms_retry(m, s->index);
	inbound_retry_later(gm);
}

/* 1 while a modem's send outcome waits to be recorded (send.c): a report
 * of that message would find no part to match. */
static int
inbound_outcome_pending(const struct gw *gw)
{
	const struct gw_modem	*gm;

	TAILQ_FOREACH(gm, &gw->modems, entry)
		if (gm->ev_pending != NULL &&
		    evtimer_pending(gm->ev_pending, NULL))
			return 1;
	return 0;
}

/*
 * Record one status report: 1 recorded (matched or not), 0 when the
 * database did not take it (logged).
 */
static int
inbound_report_record(struct gw *gw, const struct gw_report *r, int again)
{
	int64_t	id;
	int	rc;

	rc = outbox_report(gw->db, r->modem, r->mr, r->phone, r->status,
	    GW_REPORT_WINDOW, r->at, &id);
	if (rc == -1) {
		/* said once: a full disk must not fill the journal with a
		 * line every few seconds; nor after the daemon has said it
		 * stops on its database (damaged: the reason is said) */
		if (again || gw->failed)
			log_debug("modem=%s status-report mr=%d still not "
			    "recorded: %s", r->modem, r->mr, db_error(gw->db));
		else
			log_warnx("modem=%s status-report mr=%d not recorded, "
			    "will be tried again: %s", r->modem, r->mr,
			    db_error(gw->db));
		return 0;
	}
	if (rc == 0)
		log_info("modem=%s status-report mr=%d to=%s status=%d "
		    "matched=none", r->modem, r->mr, log_number(r->phone),
		    r->status);
	else
		log_info("outbox=%lld modem=%s status-report mr=%d status=%d",
		    (long long)id, r->modem, r->mr, r->status);
	return 1;
}

/*
 * The held reports, oldest first, until one fails again; then again in
 * GW_REREAD_SEC.
 */
static void
inbound_reports_cb(evutil_socket_t fd, short what, void *arg)
{
	struct gw	*gw = arg;
	struct timeval	 tv = { GW_REREAD_SEC, 0 };
	size_t		 n = 0;

	(void)fd;
	(void)what;
	while (n < gw->nreports && !inbound_outcome_pending(gw) &&
	    inbound_report_record(gw, &gw->reports[n], 1))
		n++;
	memmove(gw->reports, gw->reports + n,
	    (gw->nreports - n) * sizeof *gw->reports);
	gw->nreports -= n;
	gw->reports_done += n;
	if (gw->nreports > 0 && !gw->stopping)
		evtimer_add(gw->ev_reports, &tv);
	if (gw->nreports == 0 && gw->reports_done > 0) {
		log_info("status reports: %zu held ones recorded",
		    gw->reports_done);
		gw->reports_done = 0;
	}
	if (gw->nreports == 0 && gw->reports_lost > 0) {
		log_warnx("status reports: %ld were not recorded (more than "
		    "%d waited for the database)", gw->reports_lost,
		    GW_REPORTS_HELD);
		gw->reports_lost = 0;
	}
}

/*
 * A status report: the modem has consumed it, so one the database does
 * not take (the disk full) is held here and tried again, or a broadcast
 * would show it undelivered for ever.  So is one that comes while a send
 * outcome is not recorded: it may be that message's.
 */
void
inbound_report(struct modem *m, const struct sms_msg *msg, void *arg)
{
	struct gw_modem		*gm = arg;
	struct gw		*gw = gm->gw;
	struct gw_report	 r;
	struct timeval		 tv = { GW_REREAD_SEC, 0 };

	(void)m;
	/* a step first: the report's time is on the clock its message's
	 * parts are on */
	netclock_check(gw);
	memset(&r, 0, sizeof r);
	strlcpy(r.modem, gm->name, sizeof r.modem);
	inbound_sender(gw, msg, r.phone, sizeof r.phone);
	r.mr = (int)msg->mr;
	r.status = (int)msg->status;
	r.at = gw_now();
	/* after the held ones: a report of the same message comes later */
	if (gw->nreports == 0 && !inbound_outcome_pending(gw) &&
	    inbound_report_record(gw, &r, 0))
		return;
	if (inbound_outcome_pending(gw))
		log_info("modem=%s status-report mr=%d held: a send outcome is "
		    "not recorded yet", r.modem, r.mr);
	else if (gw->nreports == 0)
		strlcpy(gw->held_err, db_error(gw->db), sizeof gw->held_err);
	if (gw->nreports >= GW_REPORTS_HELD) {
		gw->reports_lost++;
		return;
	}
	if (gw->reports == NULL)
		gw->reports = xcalloc(GW_REPORTS_HELD, sizeof *gw->reports);
	gw->reports[gw->nreports++] = r;
	if (gw->ev_reports == NULL)
		gw->ev_reports = evtimer_new(gw->base, inbound_reports_cb, gw);
	if (!evtimer_pending(gw->ev_reports, NULL))
		evtimer_add(gw->ev_reports, &tv);
}

/* At exit: the held reports tried once more; what is left is lost with
 * the daemon (said so). */
void
inbound_reports_free(struct gw *gw)
{
	size_t	n = 0;

	while (gw->db != NULL && gw->wipe == 0 && n < gw->nreports &&
	    inbound_report_record(gw, &gw->reports[n], 1))
		n++;
	gw->nreports -= n;
	if (gw->nreports > 0 || gw->reports_lost > 0)
		log_warnx("status reports: %zu not recorded at exit",
		    gw->nreports + (size_t)gw->reports_lost);
	if (gw->ev_reports != NULL)
		event_free(gw->ev_reports);
	gw->ev_reports = NULL;
	free(gw->reports);
	gw->reports = NULL;
	gw->nreports = 0;
	gw->reports_lost = 0;
}

static int
inbound_expired_part(const char *phone, const char *text, int64_t at,
    const char *modem, void *arg)
{
	struct gw	*gw = arg;

	/* part 1 of a long "ALERT <PIN> ..." with a later part lost:
	 * the PIN stays out of the inbox here too */
	if (inbound_keep(gw, phone, text, at, modem,
	    INBOX_FLAG_INCOMPLETE) == -1) {
		log_warnx("incomplete message from %s kept as parts for "
		    "now: %s", log_number(phone), db_error(gw->db));
		return -1;
	}
	log_info("from=%s inbox=1 flags=incomplete", log_number(phone));
	return 0;
}

/*
 * Confirmations of FORGET that have gone (sent, or failed for good):
 * their numbers are forgotten again, row and all.  Then the write-ahead
 * log is checkpointed and truncated, so no page image of what was
 * forgotten stays in the -wal file; when a reader keeps that from
 * completing it is tried again at the next send and housekeeping run.
 */
void
inbound_forgotten(struct gw *gw)
{
	long	n = 0;

	if (forget_finished(gw->db, gw_country(gw), gw_now(), &n) == -1) {
		log_warnx("forget: %s", db_error(gw->db));
		return;
	}
	if (n > 0) {
		log_info("forget: %ld confirmation%s gone, forgotten", n,
		    n == 1 ? "" : "s");
		gw->forget_ckpt = 1;
	}
	if (!gw->forget_ckpt)
		return;
	if (forget_checkpoint(gw->db) == -1) {
		log_warnx("forget: the write-ahead log still holds forgotten "
		    "rows, will try again: %s", db_error(gw->db));
		return;
	}
	gw->forget_ckpt = 0;
}

void
inbound_housekeeping(struct gw *gw)
{
	int64_t	now = gw_now();
	long	n;

	inbound_forgotten(gw);
	if (inbox_part_expire(gw->db, now - GW_PARTS_TIMEOUT,
	    inbound_expired_part, gw) == -1)
		log_warnx("housekeeping: %s", db_error(gw->db));
	if (gw->conf->retention > 0 &&
	    poll_purge(gw->db, now - gw->conf->retention, &n) == 0 && n > 0)
		log_info("retention: %ld poll answers made anonymous", n);
}
