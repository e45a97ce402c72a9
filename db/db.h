/*
 * db/db.h — the SQLite store: schema, migrations and every SQL statement
 * of tambuli.  SQLite is the queue.
 *
 * - WAL, so the CLI reads while the daemon writes; synchronous=FULL so a
 *   committed row survives a power cut (see README "Durability").
 * - secure_delete, so deleted rows (numbers, texts) are overwritten.
 * - The schema version lives in PRAGMA user_version; ordered migrations
 *   run in one transaction at open; a database newer than the binary is
 *   refused.
 * - Statements are prepared once per handle and reused.
 * - Every state change is one short BEGIN IMMEDIATE transaction.
 * - Times are Unix seconds passed in by the caller (no clock here).
 * - No logging: a failing call returns -1 and db_error() names the
 *   problem.
 */
#ifndef DB_H
#define DB_H

#include <stddef.h>
#include <stdint.h>

#define DB_SCHEMA_VERSION	11
/* a consent event or inbox text repeated within this many seconds of
 * the last repeat is counted on the row before, not stored again */
#define DB_REPEAT_WINDOW	3600

struct db;

/* db.c */
/*
 * Open and migrate.  busy_ms is how long a call may wait for another
 * writer: short in the daemon (the wait blocks its loop), longer in the
 * CLI.  NULL with *cause (allocated) on failure, and *status (may be
 * NULL) says which:
 *
 * - Without DB_OPEN_CREATE a missing database, or an empty file, is
 *   DB_OPEN_MISSING: only the daemon creates one; and a database of an
 *   older schema is refused (DB_OPEN_FAILED): only the daemon migrates.
 * - With DB_OPEN_CREATE a missing database is made at a temporary name
 *   beside path (mode 0600), migrated, synced and renamed into place, so
 *   no other process ever sees it half made; *status is then
 *   DB_OPEN_CREATED.  A -wal file without its database is refused: it
 *   belongs to a database that was removed.
 * - With DB_OPEN_CHECK, PRAGMA quick_check runs too.  A damaged file is
 *   DB_OPEN_CORRUPT.
 *
 * db_open() is db_open_mode() with DB_OPEN_CREATE (tests, bench).
 */
#define DB_OPEN_CREATE	0x1
#define DB_OPEN_CHECK	0x2
#define DB_OPEN_OK	0
#define DB_OPEN_CREATED	1
#define DB_OPEN_FAILED	2
#define DB_OPEN_MISSING	3
#define DB_OPEN_CORRUPT	4
struct db	*db_open_mode(const char *, int, int, int *, char **);
struct db	*db_open(const char *, int, char **);
void		 db_close(struct db *);
/*
 * The file is damaged: some statement met SQLITE_CORRUPT or
 * SQLITE_NOTADB.  The callback set with db_on_corrupt() runs once, when
 * that is first seen (from inside the failing call).
 */
int		 db_corrupt(const struct db *);
void		 db_on_corrupt(struct db *, void (*)(struct db *, void *),
		    void *);
/* PRAGMA data_version: changes when ANOTHER connection commits. */
int		 db_data_version(struct db *, int64_t *);
const char	*db_error(const struct db *);
int		 db_begin(struct db *);
int		 db_commit(struct db *);
void		 db_rollback(struct db *);
int		 db_busy(const struct db *);	/* last error was SQLITE_BUSY */
int		 db_setting_get(struct db *, const char *, char *, size_t);
int		 db_setting_set(struct db *, const char *, const char *);
/* The newest time recorded in the store, 0 when empty. */
int		 db_latest_time(struct db *, int64_t *);

/* backup.c */
/*
 * Write a consistent snapshot of the open database to path (online backup
 * API; the daemon may keep writing), mode 0600, one self-contained file,
 * checked, synced and renamed into place.  Refuses the database's own
 * files.  0, or -1 with *cause (allocated).
 */
int		 backup_db(struct db *, const char *, char **);
/* Record an absolute path where a backup was written (wipe.c destroys it). */
int		 backup_record(struct db *, const char *, int64_t);

/* ---- the panic wipe (wipe.c) ---- */

struct wipe_report {
	char	 path[1024];	/* the database */
	int	 db, wal, shm, journal, lock;	/* destroyed */
	int	 backups;	/* recorded backups destroyed */
	int	 backups_gone;	/* recorded, no longer there */
	int	 backups_kept;	/* recorded, no longer a tambuli database:
				 * left alone */
	char	 kept[1024];	/* one of those */
	int	 backups_unknown;	/* the database could not be read */
	int	 snapshots;	/* "<db>.pre-vN" */
	int	 leftovers;	/* "<db>.new-PID" */
	int	 errors;	/* each told to the callback */
};

/*
 * Destroy the store at path (the database, -wal, -shm, -journal, the
 * recorded backups, migration snapshots, half-made databases, and last
 * "<path>.lock"): each file overwritten with zeros over its full size,
 * synced, then unlinked.  Never follows a symbolic link; a recorded
 * backup that is no longer a tambuli database is left alone.  The caller
 * holds the lock, and no connection to the database is open.  Each
 * problem goes to err(message, arg) naming the file, and the wipe goes
 * on; 0 when everything went, -1 when something could not.
 */
int	 wipe_store(const char *, struct wipe_report *,
	    void (*)(const char *, void *), void *);
/* "wiped: PATH (+wal, shm), 2 backups, 1 migration snapshot" */
void	 wipe_summary(const struct wipe_report *, char *, size_t);
/* 1 when the file at path is a tambuli database (header and tables) */
int	 wipe_is_store(const char *);

/* ---- opt-out markers (mark.c) ---- */

/*
 * A number that asked not to be contacted, remembered as a keyed hash
 * (BLAKE2b with a random per-database key, created on first use inside
 * the caller's transaction): the opt-out survives, the number does not.
 * Numbers are E.164, normalized by the caller.
 */
#define MARK_LEN	32
int	 mark_of(struct db *, const char *, unsigned char [MARK_LEN]);
int	 mark_add(struct db *, const char *, int64_t);
/* 1 when the number carries a marker, 0 when not, -1 on error */
int	 mark_has(struct db *, const char *);
int	 mark_del(struct db *, const char *);
int	 mark_count(struct db *, long *);

/* ---- the credit watch (balance.c) ---- */

/*
 * The last balance of a SIM, keyed by its IMSI (or "modem:NAME" when the
 * modem does not tell it), so a SIM moved to another modem keeps its
 * history.  Each setter creates the row when missing.
 */
struct balance {
	char		 modem[64];	/* where it was last seen */
	int		 has_amount;	/* 0: never read, or not understood */
	double		 amount;
	char		*text;		/* the answer; NULL if none */
	int64_t		 checked_at;	/* 0: never */
	int		 low;		/* organizers were told it is low */
	int64_t		 no_credit_at;	/* sends refused for credit; 0 */
};
/* 1 and *b (balance_clear it), 0 when the SIM has no row, -1 */
int	 balance_get(struct db *, const char *, struct balance *);
void	 balance_clear(struct balance *);
/* An answer read at a time: amount NULL when it held none. */
int	 balance_record(struct db *, const char *, const char *,
	    const double *, const char *, int64_t);
int	 balance_set_low(struct db *, const char *, const char *, int);
/* Out of credit since a time, or 0: no longer. */
int	 balance_set_no_credit(struct db *, const char *, const char *,
	    int64_t);

/* ---- forgetting a number (forget.c) ---- */

/*
 * Remove every trace of phone (E.164): its subscriber row and
 * memberships, consent events, inbox texts and their parts, the messages
 * to it with their parts and delivery reports, and the forwards quoting
 * its texts; its broadcasts keep their counts (gone_* columns).  It gets
 * an opt-out marker (mark.c), even when nothing was stored: forgetting
 * implies opting out.  One transaction (nested in the caller's, if
 * any).  Texts stored as undecodable (sender "unknown", the raw PDU in
 * hex) go too when the PDU holds the number's semi-octets: with its
 * country code, and without it when the number starts with cc (the
 * deployment's country calling code, "1"; NULL: international only).
 * *rows counts the rows removed, 0 when the number was unknown.  Call
 * forget_checkpoint() after the outermost commit.
 */
int	 forget_number(struct db *, const char *, const char *, int64_t,
	    long *);
/*
 * Queue the text that confirms a member's own request (a system text
 * marked source "forget"): the number is forgotten again once it is
 * finished (forget_finished), so the row does not outlive its purpose.
 */
#define FORGET_SOURCE	"forget"
int	 forget_confirm(struct db *, const char *, const char *, int64_t);
/* Confirmations no longer queued or sending: forget their numbers
 * again (cc as for forget_number; *n counts them; checkpoint after). */
int	 forget_finished(struct db *, const char *, int64_t, long *);
/* 1 when a confirmation to phone is still queued or being sent. */
int	 forget_pending(struct db *, const char *);
/*
 * Copy the write-ahead log into the database and truncate it to zero
 * bytes, so the old page images of forgotten rows are gone from the
 * -wal file too.  Waits up to the busy timeout for other connections;
 * -1 (db_error() says why) when it could not complete.  Outside any
 * transaction.
 */
int	 forget_checkpoint(struct db *);

/* ---- subscribers and lists (subscriber.c) ---- */

enum subscriber_status {
	SUBSCRIBER_NONE,	/* unknown number */
	SUBSCRIBER_ACTIVE,
	SUBSCRIBER_OPTED_OUT,
};

struct subscriber {
	int64_t			 id;
	char			 phone[24];
	enum subscriber_status	 status;
	char			 language[8];
	int64_t			 created_at, updated_at;
	char			 lists[512];	/* comma-separated */
};

/* Where a consent change came from (the audit trail records it). */
struct consent {
	const char	*keyword;	/* "JOIN", or NULL */
	const char	*text;		/* the member's message, or NULL */
	const char	*source;	/* "sms", "cli", "import" */
};

#define SUBSCRIBER_JOINED	1	/* newly active on the list */
#define SUBSCRIBER_ALREADY	2	/* was already on it */
#define SUBSCRIBER_NO_LIST	3	/* the list does not exist */
#define SUBSCRIBER_REFUSED	4	/* opted out or forgotten (a marker):
					 * only the member can rejoin, by
					 * texting */

/*
 * Subscribe phone (E.164) to list (NULL: the default list) and make it
 * active.  lang (or NULL) sets the language.  A member's own JOIN
 * (source "sms") reactivates an opted-out number or removes a forgotten
 * number's marker; an organizer's add does not (SUBSCRIBER_REFUSED).
 * *result is one of the SUBSCRIBER_* values.
 */
int	 subscriber_join(struct db *, const char *, const char *,
	    const char *, const struct consent *, int64_t, int *);
/*
 * Opt out of everything: status opted-out (the row is kept, or created,
 * so the opt-out is never forgotten), a consent event, and every queued
 * alert or reply to this number skipped.  *cancelled counts those.
 */
int	 subscriber_optout(struct db *, const char *, const struct consent *,
	    int64_t, long *);
int	 subscriber_set_language(struct db *, const char *, const char *,
	    const struct consent *, int64_t);
/* 0 and *s filled (status SUBSCRIBER_NONE when unknown), or -1 */
int	 subscriber_get(struct db *, const char *, struct subscriber *);
/* Remove from all lists; an active number is deleted, an opted-out one
 * keeps its opt-out.  *found is 0 if the number was unknown. */
int	 subscriber_remove(struct db *, const char *, int64_t, int *);
/* Every subscriber (of list, with status, when given), by phone. */
int	 subscriber_foreach(struct db *, const char *, int,
	    int (*)(const struct subscriber *, void *), void *);
int	 subscriber_count(struct db *, const char *, long *);
/* Create a list if it does not exist. */
int	 list_create(struct db *, const char *, int64_t);
int	 list_exists(struct db *, const char *, int *);
int	 list_foreach(struct db *, int (*)(const char *, long, long, void *),
	    void *);	/* name, active members, opted-out members */

/* ---- broadcasts and the outbox (outbox.c) ---- */

enum outbox_kind {
	OUTBOX_ALERT,		/* part of a broadcast */
	OUTBOX_REPLY,		/* an organizer's or automatic reply */
	OUTBOX_SYSTEM,		/* the STOP confirmation: goes even to an
				 * opted-out number */
	OUTBOX_FORWARD,		/* an inbound text forwarded to organizers */
};

#define OUTBOX_PRIO_ROUTINE	0
#define OUTBOX_PRIO_REPLY	1	/* keyword replies: members wait */
#define OUTBOX_PRIO_URGENT	2	/* urgent broadcasts, the gateway's notices */
/*
 * Texts between a member and the organizers: a member's text forwarded to
 * the organizers' phones, an organizer's reply to a member.  Above urgent
 * broadcasts too: the claim takes the highest priority first and, among
 * equals, the oldest, so a forward queued at urgent priority would wait
 * behind every message of an urgent broadcast already queued.  One text
 * to a few organizers costs a broadcast of thousands a few seconds.
 */
#define OUTBOX_PRIO_ORGANIZER	3

struct broadcast_new {
	const char	*text;
	const char	*list;		/* NULL: default list */
	int		 priority;
	int64_t		 scheduled_at;	/* 0: now */
	int64_t		 expires_at;	/* 0: never */
	const char	*encoding;	/* for show */
	int		 segments;
	/* per-language texts: a member whose language has one gets it */
	const char *const *variant_lang;
	const char *const *variant_text;
	size_t		 nvariants;
	/*
	 * A poll (send --ask), when npoll > 0: its options (canonical
	 * words, keyword_poll_options), a mask of those forwarded to the
	 * organizers (bit i: option i), and how long answers are taken
	 * from when it starts going out (scheduled_at, else now).
	 */
	const char *const *poll_options;
	size_t		 npoll;
	unsigned	 poll_alert;
	int64_t		 poll_window;
	/* an organizer's phone (organizer.c): who wrote it (a name) and
	 * the number told "done" when it is finished; NULL: the CLI */
	const char	*author;
	const char	*notify;
};

struct broadcast {
	int64_t		 id;
	char		*text;		/* allocated; broadcast_clear() */
	char		 list[64];
	char		 state[16];	/* queued sending done cancelled */
	int		 priority;
	int64_t		 created_at, scheduled_at, expires_at;
	char		 encoding[8];
	int		 segments;
	long		 recipients;
	/* live rows plus those retention or forgetting deleted */
	long		 queued, sending, sent, delivered, failed, expired,
			 skipped, cancelled;
	char		 author[64];	/* an organizer's name, or "" */
	char		 notify[24];	/* told when done, or "" */
};

/*
 * Queue a broadcast: the broadcast row and one outbox row per active
 * member of the list, in one transaction (set-based).  *recipients gets
 * the count.  -1 with db_error() "no such list: x".
 */
int	 broadcast_create(struct db *, const struct broadcast_new *, int64_t,
	    int64_t *, long *);
/* The number of active members of list (NULL: default). */
int	 broadcast_recipients(struct db *, const char *, long *);
/* 0 and *b, 1 if there is no such broadcast, -1 on error. */
int	 broadcast_get(struct db *, int64_t, struct broadcast *);
void	 broadcast_clear(struct broadcast *);
/* Newest first, at most limit (0: all). */
int	 broadcast_foreach(struct db *, int, int (*)(const struct broadcast *,
	    void *), void *);
/* Cancel what is still queued; *cancelled counts rows.  1 if unknown. */
int	 broadcast_cancel(struct db *, int64_t, int64_t, long *);

struct outbox_item {
	int64_t		 id;
	int64_t		 broadcast_id;	/* 0 for none */
	char		 phone[24];
	char		*text;		/* allocated; outbox_item_clear() */
	enum outbox_kind kind;
	int		 priority;
	int		 attempts;	/* including this one */
	int		 secret;	/* its text is blanked once sent */
};

/* Queue one message (a reply, a confirmation, a forward). */
int	 outbox_enqueue(struct db *, const char *, const char *,
	    enum outbox_kind, int, int64_t, int64_t *);
/*
 * Claim the next due message for modem: highest priority first, then
 * oldest.  Opt-out is checked here, at send time: an alert or reply to an
 * opted-out number is marked skipped and the next one is taken; expired
 * ones are marked expired.  The claimed row becomes "sending" before the
 * modem sees it.  Returns 1 with *it filled, 0 if nothing is due, -1.
 */
int	 outbox_claim(struct db *, const char *, int64_t, struct outbox_item *);
/*
 * The same, leaving the rows to the nskip numbers in skip queued and
 * untouched (numbers whose inbound text is not yet committed: it may be
 * a STOP).
 */
int	 outbox_claim_except(struct db *, const char *, int64_t,
	    const char *const *, size_t, struct outbox_item *);
void	 outbox_item_clear(struct outbox_item *);
/*
 * Sent: nseg segments through modem, with their message references (for
 * delivery reports when track is set).
 */
int	 outbox_sent(struct db *, int64_t, const char *, const int *, size_t,
	    int, int64_t);
/*
 * A status report: the part sent through modem with reference mr to
 * phone within the last window seconds.  TP-ST 0x00-0x1f delivered,
 * 0x40-0x7f failed for good, 0x20-0x3f still trying (no change).  The
 * message becomes "delivered" when every part is, "failed" when one part
 * failed.  Returns 1 and *id when a part matched, 0 when nothing did.
 */
int	 outbox_report(struct db *, const char *, int, const char *, int,
	    int64_t, int64_t, int64_t *);
/* Segments sent through modem since a time (caps). */
int	 outbox_modem_usage(struct db *, const char *, int64_t, long *);
int	 outbox_retry(struct db *, int64_t, const char *, int64_t, int64_t);
int	 outbox_failed(struct db *, int64_t, const char *, int64_t);
/* Queued again now, this attempt not counted (the modem's fault). */
int	 outbox_unclaim(struct db *, int64_t, const char *, int64_t);
/* The earliest next_attempt_at of queued rows: 1 and *when, 0 if none. */
int	 outbox_next_due(struct db *, int64_t *);
/*
 * Queued rows whose expiry has passed become "expired" (and their
 * broadcasts done when nothing else is left); *n counts them.  *next
 * gets the earliest expiry still ahead, 0 if none.
 */
int	 outbox_expire(struct db *, int64_t, long *, int64_t *);
/*
 * The wall clock stepped by step seconds (now is after the step): the
 * queued rows' deadlines that are durations (backoff, validity) move with
 * it; a row still waiting for the wall-clock time of a scheduled
 * broadcast (send --at) does not; the send times of the parts status
 * reports are matched against move too.  Then any such duration
 * deadline more than max_wait ahead is brought to now (a step not seen:
 * step 0 does only this).  One transaction; *n counts the rows changed.
 */
int	 outbox_clock_step(struct db *, int64_t, int64_t, int64_t, long *);
/* At start-up: rows left "sending" by a crash go back to the queue. */
int	 outbox_recover(struct db *, int64_t, long *);
/*
 * Messages of a kind sent or queued to phone from since to until (now):
 * one queued "after" now was queued before the clock stepped back, and
 * is not counted (a step starts an hourly limit afresh, either way).
 */
int	 outbox_count_since(struct db *, const char *, enum outbox_kind,
	    int64_t, int64_t, long *);
/* Queue a forward to an organizer of a text from source. */
int	 outbox_forward(struct db *, const char *, const char *, const char *,
	    int64_t);
/* Forwards queued (one row per organizer) of texts from source, from
 * since to until (as outbox_count_since). */
int	 outbox_forwards_since(struct db *, const char *, int64_t, int64_t,
	    long *);
/* Messages of a kind created since a time and not yet sent (queued or
 * sending): the wipe waits for its notices to the organizers. */
int	 outbox_unsent_since(struct db *, enum outbox_kind, int64_t, long *);
/* Queue depth (queued + sending) and broadcasts not finished. */
int	 outbox_depth(struct db *, long *, long *);

/* ---- polls (poll.c) ---- */

/*
 * A poll is a broadcast that asks (send --ask SAFE,HELP): for its window
 * a recipient's reply that is one of the options is an answer, one per
 * member per poll, the latest winning (a member safe at first and in
 * need of help later must be heard).  broadcast_create() stores it.
 */
#define POLL_OPTIONS_MAX	10
#define POLL_OPTION_MAX		16	/* with the NUL */
/* the phone of an answer whose member was forgotten or is past
 * retention: "-" and 16 random hex digits (SQL) */
#define POLL_ANON	"('-' || lower(hex(randomblob(8))))"
#define poll_anonymous(phone)	((phone)[0] == '-')

struct poll {
	int64_t		 broadcast_id;
	char		 options[POLL_OPTIONS_MAX][POLL_OPTION_MAX];
	size_t		 noptions;
	unsigned	 alert;		/* bit i: option i is forwarded */
	int64_t		 opens_at, closes_at;
};

struct poll_answer {
	char		 phone[24];	/* poll_anonymous(): nobody's */
	char		 option[POLL_OPTION_MAX];
	char		*text;		/* the member's words; NULL once purged */
	int64_t		 answered_at;
};

/* 0 and *p, 1 when the broadcast is no poll (or unknown), -1. */
int	 poll_get(struct db *, int64_t, struct poll *);
/*
 * The polls open at now (before their closes_at) that were sent to
 * phone (its message sent or delivered, not merely queued), newest
 * first: at most max into v, *n of them.
 */
int	 poll_open_for(struct db *, const char *, int64_t, struct poll *,
	    size_t, size_t *);
/*
 * Record phone's answer option (its words text) to poll id.  *changed:
 * 1 when it is the member's first answer or another option than before,
 * 0 when the same again (the row keeps its first time).
 */
int	 poll_answer(struct db *, int64_t, const char *, const char *,
	    const char *, int64_t, int *);
/*
 * counts[i]: the answers of option i; *unanswered: members the poll was
 * sent to (sent or delivered) who have not answered.
 */
int	 poll_counts(struct db *, const struct poll *, long *, long *);
/* The answers to poll id (of one option, or all when NULL), oldest first. */
int	 poll_answers_foreach(struct db *, int64_t, const char *,
	    int (*)(const struct poll_answer *, void *), void *);
/* Retention: answers older than before lose their number and words
 * (POLL_ANON: the count stays); *n counts them. */
int	 poll_purge(struct db *, int64_t, long *);
/*
 * The wall clock stepped by step seconds (now is after the step): a poll
 * open before it closes its window later or sooner by as much (its
 * window is a duration from when it was sent).
 */
int	 poll_clock_step(struct db *, int64_t, int64_t);
/* Every answer of phone made anonymous (a member forgotten). */
int	 poll_forget(struct db *, const char *, long *);

/* ---- organizers' phones (organizer.c) ---- */

/*
 * A registered organizer may command the gateway by SMS (gateway/
 * organizer.c).  The number is E.164, normalized by the caller; the PIN
 * (4 to 8 digits) is kept only as a slow salted hash (Argon2id,
 * crypto_pwhash_str); confirmation codes only as keyed hashes (mark.c's
 * key), and only until they are used or expire.
 */
#define ORGANIZER_PIN_MIN	4
#define ORGANIZER_PIN_MAX	8
#define ORGANIZER_HASH_MAX	128	/* crypto_pwhash_STRBYTES */
#define ORGANIZER_NAME_MAX	64

struct organizer {
	char		 number[24];
	char		 name[ORGANIZER_NAME_MAX];
	char		 pin_hash[ORGANIZER_HASH_MAX];
	int64_t		 created_at;
	int64_t		 locked_until;	/* 0: not locked */
};

/* 1 when pin is 4 to 8 ASCII digits, else 0. */
int	 organizer_pin_valid(const char *);
/* Hash a PIN (slow by design); 0, or -1 (out of memory). */
int	 organizer_pin_hash(const char *, char [ORGANIZER_HASH_MAX]);
/* 1 when pin matches hash, else 0.  Slow (tenths of a second on a Pi),
 * touches no database: the daemon runs it on a worker thread. */
int	 organizer_pin_check(const char *, const char *);
/* Add: 0, or 1 when the number is an organizer already. */
int	 organizer_add(struct db *, const char *, const char *, const char *,
	    int64_t);
/* A new PIN; it also lifts a lock-out.  0, or 1 when unknown. */
int	 organizer_set_pin(struct db *, const char *, const char *);
/* Remove, with its attempts and pending commands: 0, or 1 if unknown. */
int	 organizer_remove(struct db *, const char *);
/* 1 and *o when the number is an organizer, 0 when not, -1. */
int	 organizer_get(struct db *, const char *, struct organizer *);
/* Every organizer, by number. */
int	 organizer_foreach(struct db *, int (*)(const struct organizer *,
	    void *), void *);
/* A wrong PIN or code at now: *n the wrong ones since since, this one
 * included. */
int	 organizer_attempt(struct db *, const char *, int64_t, int64_t,
	    long *);
/* *n the wrong PINs or codes since since (none added). */
int	 organizer_attempts(struct db *, const char *, int64_t, long *);
/* Locked until a time (0: unlocked); the attempts are cleared. */
int	 organizer_lock(struct db *, const char *, int64_t);

/* A command waiting for its code (ORGANIZER_KIND_*). */
#define ORGANIZER_KIND_ALERT	"alert"
#define ORGANIZER_KIND_URGENT	"urgent"
#define ORGANIZER_KIND_ASK	"ask"
#define ORGANIZER_KIND_WIPE	"wipe"
struct organizer_pending {
	char		 kind[8];
	char		 list[64];	/* "" for the default */
	char		*text;		/* allocated, or NULL */
	char		*options;	/* "SAFE,HELP", or NULL */
	int64_t		 expires_at;
};
void	 organizer_pending_clear(struct organizer_pending *);
/*
 * Store the command kind of number with its code (hashed), replacing
 * the one of the same kind; an alert, urgent or ask replaces the other
 * two as well (YES confirms the latest).
 */
int	 organizer_pending_set(struct db *, const char *, const char *,
	    const char *, const char *, const char *, const char *, int64_t);
/*
 * The command of number (the wipe when wipe is set, else the alert,
 * urgent or ask) whose code is code and that has not expired at now:
 * 1 with *p, deleted (a code is used once); 0 when none matches.
 */
int	 organizer_pending_take(struct db *, const char *, int, const char *,
	    int64_t, struct organizer_pending *);
/* 1 when number has a wipe waiting for its code at now, else 0; -1. */
int	 organizer_pending_wipe(struct db *, const char *, int64_t);
/*
 * Queue a reply to an organizer (a system text at the organizers'
 * priority).  secret_until: 0, or the reply carries a code valid until
 * then: it expires with the code (never sent late) and its text is
 * blanked once it is sent or given up (outbox.c), and never kept longer.
 */
int	 organizer_reply(struct db *, const char *, const char *, int64_t,
	    int64_t);
/*
 * Broadcasts started from an organizer's phone that are finished and
 * whose organizer was not yet told: at most max ids into v, *n of them.
 */
int	 organizer_unnotified(struct db *, int64_t *, size_t, size_t *);
int	 organizer_notified(struct db *, int64_t);
/* Broadcasts queued or sending, oldest first: at most max into v. */
int	 organizer_running(struct db *, int64_t *, size_t, size_t *);
/*
 * Housekeeping: expired pending commands, attempts older than before,
 * and the texts of secret replies that are no longer queued or sending;
 * *n counts the rows.
 */
int	 organizer_purge(struct db *, int64_t, int64_t, long *);
/*
 * The wall clock stepped by step seconds (now is after the step): the
 * lock-outs running, the wrong PINs counted and the codes not expired
 * move with it (each is a duration from when it began).
 */
int	 organizer_clock_step(struct db *, int64_t, int64_t);

/* ---- the inbox (inbox.c) ---- */

#define INBOX_FLAG_REVIEW	"review"	/* contains an opt-out word */
#define INBOX_FLAG_INCOMPLETE	"incomplete"	/* parts never arrived */
#define INBOX_FLAG_UNDECODABLE	"undecodable"
#define INBOX_FLAG_UNFORWARDED	"unforwarded"	/* over the forward limit */
#define INBOX_FLAG_ALERT	"alert"		/* a poll answer forwarded to the
						 * organizers (--alert-on) */

struct inbox_msg {
	int64_t		 id;
	char		 phone[24];
	char		*text;		/* allocated */
	int64_t		 received_at;
	char		 modem[32];
	char		 keyword[16];
	char		 flags[64];
	int		 handled;
	int64_t		 repeats;	/* identical texts after this one */
};

/*
 * Keep a text (phone, text, received, modem, keyword, flags; *id).  The
 * same text and keyword as the sender's latest, unhandled, within
 * DB_REPEAT_WINDOW of its last repeat, is counted on that row (repeats)
 * and 1 is returned; a new row, 0.
 */
int	 inbox_add(struct db *, const char *, const char *, int64_t,
	    const char *, const char *, const char *, int64_t *);
int	 inbox_foreach(struct db *, int, int (*)(const struct inbox_msg *,
	    void *), void *);
int	 inbox_mark_handled(struct db *, const char *);
/*
 * Store one part of a concatenated message.  When all parts are there,
 * *complete is the joined text (allocated) and the parts are gone; else
 * NULL.  A part seen twice is stored once; a part of a message completed
 * in the last day, with the same text, is a duplicate and ignored.
 * Inside the caller's transaction (a savepoint), so the caller can act
 * on the joined text and undo both together.
 */
int	 inbox_part_add(struct db *, const char *, unsigned, unsigned,
	    unsigned, const char *, int64_t, const char *, char **);
/*
 * The same for a UCS-2 part: ucs2 holds its user data (ucs2_len octets of
 * big-endian UTF-16, header excluded), text its decoding alone.  The
 * complete message joins the UTF-16 of adjacent UCS-2 parts before
 * decoding it, so a surrogate pair split between parts (TS 23.040 does
 * not forbid it, and some phones do it) comes out whole.
 */
int	 inbox_part_add_ucs2(struct db *, const char *, unsigned, unsigned,
	    unsigned, const char *, const uint8_t *, size_t, int64_t,
	    const char *, char **);
/*
 * Messages whose parts are older than before and still incomplete: the
 * parts present, joined with "[...]" where one is missing, are handed to
 * cb(phone, text, received_at, modem, arg), which stores them in the
 * same transaction, and deleted.  cb returning -1 (db_error() set) undoes
 * that message's transaction: its parts stay, the others go on, and this
 * returns -1.
 */
int	 inbox_part_expire(struct db *, int64_t, int (*)(const char *,
	    const char *, int64_t, const char *, void *), void *);
/*
 * The wall clock stepped by step seconds: the parts waiting for their
 * siblings, and the completed ones remembered, move with it (they wait
 * a duration from when they came).
 */
int	 inbox_part_clock_step(struct db *, int64_t);
/* ---- retention (retain.c) ---- */

/*
 * A purge walks the tables in steps of at most batch rows, one short
 * transaction each (see retain.c for what goes): retain_start() with the
 * cutoffs (rows older than before go; finished outbox rows only when
 * older than outbox_before too), then retain_step() until it returns 0;
 * 1 means more to do, -1 an error (that step undone, the walk can be
 * retried or started again).  The last step records the run in the
 * settings table.
 */
struct retain_counts {
	long		 inbox;		/* inbox texts deleted */
	long		 outbox;		/* outbox rows deleted */
	long		 numbers;	/* opted-out numbers now markers */
	long		 consent_texts;	/* consent events that lost their text */
};
struct retain {
	int64_t		 now, before, outbox_before;
	int		 phase;
	int64_t		 cursor;
	struct retain_counts n;
};
void	 retain_start(struct retain *, int64_t, int64_t, int64_t);
int	 retain_step(struct db *, struct retain *, int);
/* The last run: 1 and its time and counts, 0 if none yet, -1. */
int	 retain_last(struct db *, int64_t *, struct retain_counts *);

#endif
