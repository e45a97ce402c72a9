/*
 * gateway/gateway.h — the daemon tambulid: shared state and the
 * prototypes of each of its files.
 *
 * One struct gw holds the event base, the database, the configuration,
 * the modems and the control listener, and is passed explicitly; there
 * are no globals beyond the log sink.
 */
#ifndef GATEWAY_H
#define GATEWAY_H

#include <sys/queue.h>
#include <sys/types.h>

#include <event2/event.h>

#include <regex.h>
#include <stdint.h>

#include "conf.h"
#include "db.h"
#include "keyword.h"
#include "modem.h"
#include "plan.h"

#define GW_MAX_ATTEMPTS		8	/* temporary failures before giving
					 * a message up */
#define GW_RETRY_BASE		5	/* seconds; quadratic backoff: 5 s, 20 s,
					 * 45 s ... (an alert is worth little
					 * late) */
#define GW_RETRY_MAX		3600
#define GW_MAX_LOST		10	/* submissions of one message a lost
					 * port may cut short without counting
					 * an attempt (send.c: send_lost) */
#define GW_LOST_SLOTS		32	/* messages whose lost submissions are
					 * remembered, most recent kept */
#define GW_PARTS_TIMEOUT	600	/* incomplete multipart messages go to
					 * the inbox after this */
#define GW_HOUSEKEEPING		60	/* seconds between housekeeping runs */
#define GW_RATE_RING		32	/* submissions kept for the rate */
#define GW_REREAD_SEC		5	/* a text not stored is read again */
#define GW_HELD_MAX		256	/* senders held back while a text from
					 * them is not committed */
#define GW_ORDER_WAIT		300	/* a text waits this long at most for
					 * an earlier one from its sender
					 * that is not read again */
#define GW_HELD_TELL		60	/* texts still not stored are logged
					 * again (in one line) at most this
					 * often */
#define GW_SHOWN_MAX		64	/* texts shown, not stored, by a
					 * modem (+CMT) kept while the
					 * database does not take them */
#define PHONE_BUF		(PDU_ADDR_MAX * 3 + 2)	/* a sender */
#define GW_POLLS_OPEN		8	/* open polls a reply is matched against */
#define GW_REPORT_WINDOW	(3 * 24 * 3600)	/* status reports match
						 * messages this recent */
#define GW_REPORTS_HELD		1024	/* status reports not recorded yet
					 * (the disk full), tried again */

struct gw;
struct ctl;
struct notify;
struct dbfile;
struct organizer_q;

/* The credit watch of one modem (credit.c). */
struct gw_credit {
	struct event		*ev;		/* the next check */
	unsigned		 bit;		/* 1 << modem index (ctl) */
	int			 state;
#define CREDIT_IDLE		0
#define CREDIT_WANTED		1	/* due: after the message in flight */
#define CREDIT_ASKING		2	/* the USSD session is open */
	char			 sim[80];	/* IMSI, or "modem:NAME" */
	int			 loaded;
	regex_t			 re;		/* balance_pattern */
	int			 re_ok;
	int			 has_amount;
	double			 amount;
	char			*text;		/* the last answer, or NULL */
	int64_t			 checked_at;	/* 0: never */
	int			 low;		/* organizers told it is low */
	int64_t			 no_credit_at;	/* 0: has credit */
	int			 fails;		/* no-credit refusals in a row */
	int			 unread_logged;	/* "balance unknown" said */
	char			 error[160];	/* the last check's failure */
};

/* A modem and the message it is sending. */
struct gw_modem {
	TAILQ_ENTRY(gw_modem)	 entry;
	struct gw		*gw;
	struct modem		*m;
	char			 name[64];
	/* the message in flight: one outbox row, all its segments */
	int			 busy;
	struct outbox_item	 item;
	struct plan		*plan;
	size_t			 seg;
	unsigned		 ref;
	int			 mr[PLAN_MAX_SEGMENTS];
	struct event		*ev_spacing;	/* next segment after spacing */
	struct event		*ev_reread;	/* storage again after a
						 * failure to store a text */
	/* the retry of texts not stored (inbound.c) */
	int			 reread;
#define GW_REREAD_NONE		0
#define GW_REREAD_DUE		1	/* before the next claim */
#define GW_REREAD_SWEEPING	2	/* claims wait for the sweep */
#define GW_REREAD_WAIT		3	/* failed again: on the timer */
	int			 reread_again;	/* a text failed in this sweep */
	/* the outcome to record (retried while the database fails) */
	int			 outcome;
#define SEND_SENT	0
#define SEND_RETRY	1
#define SEND_FAILED	2
#define SEND_UNCLAIM	3	/* back now, the attempt not counted */
	char			 outcome_err[256];
	int64_t			 outcome_at;
	struct event		*ev_pending;
	/* caps (sched.c): segments in the current minute, hour and day */
	const struct conf_modem	*cm;
	long			 used_min, used_hour, used_day;
	int64_t			 win_min, win_hour, win_day;
	int64_t			 last_submit;
	int64_t			 capped_until;	/* 0: not capped */
	int64_t			 recent[GW_RATE_RING];	/* submissions */
	size_t			 nrecent;
	struct gw_credit	 credit;
};
TAILQ_HEAD(gw_modems, gw_modem);

/*
 * A text read but not committed (the database failed): its sender gets no
 * message until it is (inbound.c).  Keyed by modem and SIM slot.
 */
/* A text a modem showed without storing it, not stored by us yet. */
struct gw_shown {
	struct gw_modem		*gm;
	struct sms_msg		*msg;		/* NULL: undecodable */
	char			*pdu_hex;
	char			*error;		/* why it is undecodable */
	char			 phone[PHONE_BUF];	/* its sender, or "" */
};

struct gw_held {
	const struct gw_modem	*gm;
	int			 index;
	char			 phone[24];
	int64_t			 scts;		/* the network's time stamp
						 * of the text, 0 unknown */
	int64_t			 failed_at;	/* its last failure
						 * (gw_mono()) */
};

/* A status report the database did not take yet (inbound.c). */
struct gw_report {
	char			 modem[CONF_NAME_MAX];
	char			 phone[PDU_ADDR_MAX * 3 + 2];
	int			 mr;
	int			 status;
	int64_t			 at;		/* when it arrived */
};

/*
 * A message whose submission a lost port cut short: how many times
 * (send.c), in memory only; a restart puts every message in flight back
 * anyway.
 */
struct gw_lost {
	int64_t			 id;		/* outbox row, 0 unused */
	int			 n;
};

struct gw {
	struct event_base	*base;
	struct db		*db;
	struct dbfile		*dbf;		/* lock, identity, watch */
	struct conf		*conf;
	char			*conf_path;
	struct keyword_table	*kw;
	struct gw_modems	 modems;
	struct event		*ev_sched;	/* the one scheduler timer */
	struct event		*ev_house;	/* housekeeping */
	struct event		*ev_purge;	/* retention (purge.c) */
	struct event		*ev_clock;	/* steps of the clock */
	int64_t			 clock_offset;	/* wall - monotonic, ms
						 * (netclock.c) */
	struct retain		 purge;		/* the run under way */
	int			 purging;
	struct event		*ev_sigterm, *ev_sigint, *ev_sighup;
	struct event		*ev_sigusr2;
	struct ctl		*ctl;
	struct notify		*notify;	/* systemd, or NULL */
	unsigned		 next_ref;	/* concatenation references */
	struct gw_lost		 lost[GW_LOST_SLOTS];
	size_t			 lost_next;	/* the slot to reuse next */
	int			 stopping;
	int			 sched_pending;
	struct gw_held		 held[GW_HELD_MAX];
	size_t			 nheld;
	int			 held_overflow;	/* a sender not recorded:
						 * no claims until a sweep
						 * stores everything */
	long			 held_stored;	/* held texts stored since
						 * the last all-clear */
	int64_t			 held_told_at;	/* the last warning about
						 * texts not stored */
	int64_t			 order_wait;	/* GW_ORDER_WAIT, shorter in
						 * the test suite */
	struct gw_shown		 shown[GW_SHOWN_MAX];	/* oldest first */
	size_t			 nshown;
	size_t			 shown_done;	/* stored since the last
						 * all-clear */
	struct event		*ev_shown;	/* try them again */
	struct event		*ev_held;	/* a hold may have ended */
	int			 failed;	/* stopping on an error: exit 1 */
	int			 wipe;		/* stopping for a panic wipe */
#define GW_WIPE_STOP		1	/* tambuli wipe destroys the files */
#define GW_WIPE_DESTROY		2	/* the daemon destroys them itself */
	int64_t			 wipe_told_at;	/* gw_wipe_told(): notices */
	int64_t			 wipe_deadline;	/* queued then; wipe by then
						 * (gw_mono()) */
	struct event		*ev_debug;	/* debug logging switches off */
	int			 forget_ckpt;	/* a number was forgotten: the
						 * WAL is still to truncate */
	struct organizer_q	*org;		/* organizer.c: PIN checks */
	struct gw_report	*reports;	/* held, oldest first */
	size_t			 nreports;
	long			 reports_lost;	/* beyond GW_REPORTS_HELD */
	size_t			 reports_done;	/* held ones recorded since
						 * the last were held */
	struct event		*ev_reports;	/* try the held again */
	char			 held_err[256];	/* why the last text, report
						 * or outcome was held */
};

enum reply_kind {
	REPLY_JOIN,
	REPLY_STOP,
	REPLY_INFO,
	REPLY_LANG,
	REPLY_NO_LIST,
	REPLY_UNKNOWN_LANG,
	REPLY_FORGET,		/* FORGET: deleted, no more texts */
};

/* tambulid.c: the configuration as the rest of the daemon sees it */
const char	*gw_language(const struct gw *);
const char	*gw_organization(const struct gw *);
const char	*gw_contact(const struct gw *);
const char	*gw_country(const struct gw *);
const char	*gw_reply_override(const struct gw *, const char *,
		    const char *);
int64_t		 gw_now(void);
int64_t		 gw_mono(void);
void		 gw_plan_opts(const struct gw *, struct plan_opts *);
/*
 * The daemon cannot go on (its database is damaged, deleted or
 * replaced): log the message once, claim no more work, and exit 1 —
 * at once when now is set, else after the messages in flight.
 */
void		 gw_fatal(struct gw *, int, const char *, ...)
		    __attribute__((format(printf, 3, 4)));
/*
 * The panic wipe: claim nothing more, close the control socket, the
 * modems and the database, and exit 0 (Restart=on-failure does not start
 * the daemon again).  how is GW_WIPE_STOP (tambuli wipe destroys the
 * files once the lock is free) or GW_WIPE_DESTROY (the daemon destroys
 * the store itself, wipe_store(), once the database is closed, and logs
 * what went).  A text queued now is never sent: tell the organizers first.
 */
void		 gw_wipe(struct gw *, int);
/*
 * The remote wipe: tell every organizer (tell_organizers(gw, text,
 * except)), keep sending until those notices are sent (at most
 * GW_WIPE_TELL_SEC), then gw_wipe(gw, GW_WIPE_DESTROY).  0, or -1 when the
 * notices could not be queued (the wipe goes ahead at once then).
 */
#define GW_WIPE_TELL_SEC	60
int		 gw_wipe_told(struct gw *, const char *, const char *);
/*
 * Debug logging on (for an hour, then off by itself) or off, saying so
 * loudly; why is "SIGUSR2", "-d", "tambuli log debug"...
 */
void		 gw_debug(struct gw *, int, const char *);

/* dbfile.c */
struct dbfile	*dbfile_lock(const char *, char **);
int		 dbfile_lost(struct dbfile *, char **);
void		 dbfile_forget(struct dbfile *);
int		 dbfile_watch(struct dbfile *, struct gw *, char **);
int		 dbfile_check(struct dbfile *, char **);
void		 dbfile_poll(struct dbfile *);
void		 dbfile_unwatch(struct dbfile *);
void		 dbfile_free(struct dbfile *);
int		 dbfile_same(const struct dbfile *, const char *);

/* netclock.c */
#define NETCLOCK_STEP_MIN	5	/* seconds: a change of the wall clock
					 * against the monotonic one by this
					 * much is a step, not drift */
#define NETCLOCK_CHECK_SEC	2	/* seconds between looks */
void		 netclock_heard(struct gw *, struct gw_modem *);
void		 netclock_check(struct gw *);
int		 netclock_pending(struct gw *);
int		 netclock_init(struct gw *);
void		 netclock_free(struct gw *);

/* sched.c */
void		 sched_init(struct gw *);
void		 sched_free(struct gw *);
void		 sched_kick(struct gw *);
void		 sched_modem_init(struct gw_modem *);
void		 sched_submitted(struct gw_modem *);
int64_t		 sched_cap_wait(struct gw_modem *, int64_t);
int		 sched_claim(struct gw_modem *, int64_t, struct outbox_item *);
double		 sched_rate(const struct gw_modem *, int64_t);

/* send.c */
void		 send_init(struct gw_modem *);
void		 send_free(struct gw_modem *);
int		 send_start(struct gw_modem *);
void		 send_result(struct modem *, uint64_t, enum modem_result, int,
		    int, const char *, void *);
void		 send_abort(struct gw_modem *);

/* credit.c: the credit watch */
void		 credit_init(struct gw_modem *, unsigned);
void		 credit_free(struct gw_modem *);
void		 credit_ready(struct gw_modem *);
void		 credit_lost(struct gw_modem *);
int		 credit_holds(const struct gw_modem *);
void		 credit_idle(struct gw_modem *);
int		 credit_ask(struct gw_modem *, const char **);
int		 credit_send_failed(struct gw_modem *, int);
void		 credit_send_ok(struct gw_modem *);
void		 credit_ussd(struct modem *, int, const char *, void *);

/* inbound.c */
void		 inbound_sms(struct modem *, const struct modem_sms *, void *);
void		 inbound_report(struct modem *, const struct sms_msg *, void *);
void		 inbound_reports_free(struct gw *);
void		 inbound_shown_free(struct gw *);
void		 inbound_held_free(struct gw *);
void		 inbound_housekeeping(struct gw *);
void		 inbound_forgotten(struct gw *);
void		 inbound_reread_cb(evutil_socket_t, short, void *);
void		 inbound_swept(struct gw_modem *);
int		 inbound_claims_wait(struct gw *);
size_t		 inbound_held(const struct gw *, const char **, size_t);

/* organizer.c: commands from an organizer's phone */
int		 organizer_init(struct gw *);
void		 organizer_free(struct gw *);
int		 organizer_inbound(struct gw *, const char *, const char *,
		    int64_t, const char *);
void		 organizer_committed(struct gw *, int);
void		 organizer_done(struct gw *);
void		 organizer_housekeeping(struct gw *);

/* purge.c: retention, at start and daily */
void		 purge_init(struct gw *);
void		 purge_free(struct gw *);
void		 purge_status(struct gw *, char *, size_t);

/* priv.c */
int		 priv_group(const struct conf *, gid_t *, char **);
int		 priv_check(const struct conf *, char **);
void		 priv_files(const struct conf *, const char *);
int		 priv_drop(const struct conf *, const char *const *, char **);

/* reply.c */
const char	*reply_kind_name(enum reply_kind);
char		*reply_text(const struct gw *, const char *, enum reply_kind,
		    const char *, const char *);

/* tell.c: a text from the gateway to every organizer (the forward
 * numbers and the registered organizers' phones, each once) but except
 * (or NULL), ahead of every broadcast; the count queued, or -1 */
int		 tell_organizers(struct gw *, const char *, const char *);

/* notify.c: sd_notify (no-ops on NULL) */
struct notify	*notify_open(struct gw *);
void		 notify_ready(struct notify *);
void		 notify_changed(struct notify *);
void		 notify_stopping(struct notify *);
void		 notify_close(struct notify *);

/* ctl.c */
struct ctl	*ctl_open(struct gw *, const char *, char **);
void		 ctl_close(struct ctl *);
void		 ctl_event(struct ctl *, int64_t, const char *);
int		 ctl_watching(struct ctl *, int64_t);
void		 ctl_ussd(struct modem *, int, const char *, void *);
void		 ctl_balance_done(struct ctl *, struct gw_modem *);

#endif
