/*
 * db/db_int.h — private to db/: the handle and the statement cache.
 */
#ifndef DB_INT_H
#define DB_INT_H

#include <sqlite3.h>

#include "db.h"

#define MARK_KEY_LEN	32

/* Every statement, prepared once per handle on first use. */
enum db_stmt_id {
	DB_ST_BEGIN, DB_ST_COMMIT, DB_ST_ROLLBACK,
	DB_ST_SETTING_GET, DB_ST_SETTING_SET, DB_ST_LATEST_TIME,
	/* subscriber.c */
	DB_ST_SUB_GET, DB_ST_SUB_INSERT, DB_ST_SUB_ACTIVATE, DB_ST_SUB_OPTOUT,
	DB_ST_SUB_LANG, DB_ST_SUB_DELETE, DB_ST_SUB_LISTS,
	DB_ST_LIST_ID, DB_ST_LIST_CREATE, DB_ST_LIST_ALL,
	DB_ST_MEMBER_ADD, DB_ST_MEMBER_DEL_ALL, DB_ST_CONSENT,
	DB_ST_OUTBOX_SKIP_PHONE, DB_ST_SUB_ALL,
	DB_ST_SUB_BY_LIST, DB_ST_SUB_COUNT, DB_ST_SUB_ANY_MARK,
	/* outbox.c */
	DB_ST_BC_INSERT, DB_ST_BC_EXPAND, DB_ST_BC_SET_RECIPIENTS,
	DB_ST_BC_COUNT, DB_ST_BC_GET, DB_ST_BC_COUNTS, DB_ST_BC_LIST,
	DB_ST_BC_CANCEL_ROWS, DB_ST_BC_CANCEL, DB_ST_BC_SENDING,
	DB_ST_BC_DONE,
	DB_ST_OB_INSERT, DB_ST_OB_CANDIDATE, DB_ST_OB_SET_STATE,
	DB_ST_OB_CLAIM, DB_ST_OB_SENT, DB_ST_OB_RETRY, DB_ST_OB_FAILED,
	DB_ST_OB_NEXT_DUE, DB_ST_OB_RECOVER, DB_ST_OB_COUNT_SINCE,
	DB_ST_OB_DEPTH, DB_ST_OB_BROADCAST_OF,
	DB_ST_OB_PART_ADD, DB_ST_OB_PART_FIND, DB_ST_OB_PART_STATUS,
	DB_ST_OB_PART_LEFT, DB_ST_OB_DELIVERED, DB_ST_OB_USAGE,
	DB_ST_BC_VARIANT, DB_ST_OB_EXPIRE, DB_ST_BC_FINISH,
	DB_ST_OB_NEXT_EXPIRY, DB_ST_OB_UNSENT,
	DB_ST_OB_STEP, DB_ST_OB_STEP_EXP, DB_ST_OB_STEP_BC, DB_ST_OB_STEP_PARTS, DB_ST_OB_CLAMP,
	/* inbox.c */
	DB_ST_IN_ADD, DB_ST_IN_LIST, DB_ST_IN_LIST_ALL, DB_ST_IN_HANDLED,
	DB_ST_PART_ADD, DB_ST_PART_COUNT, DB_ST_PART_TEXTS, DB_ST_PART_DEL,
	DB_ST_PART_OLD, DB_ST_PART_STEP, DB_ST_DONE_STEP,
	DB_ST_DONE_GET, DB_ST_DONE_DEL, DB_ST_DONE_ADD, DB_ST_DONE_PURGE,
	DB_ST_CONSENT_LAST, DB_ST_CONSENT_REPEAT, DB_ST_IN_LAST, DB_ST_IN_REPEAT,
	DB_ST_OB_FORWARDS, DB_ST_OB_FORWARD,
	/* poll.c */
	DB_ST_POLL_INSERT, DB_ST_POLL_GET, DB_ST_POLL_OPEN, DB_ST_POLL_ANSWER,
	DB_ST_POLL_COUNTS, DB_ST_POLL_UNANSWERED, DB_ST_POLL_ANSWERS,
	DB_ST_POLL_PURGE, DB_ST_POLL_FORGET, DB_ST_POLL_STEP,
	/* mark.c */
	DB_ST_MARK_ADD, DB_ST_MARK_HAS, DB_ST_MARK_DEL, DB_ST_MARK_COUNT,
	DB_ST_OB_UNCLAIM,
	/* balance.c */
	DB_ST_BAL_GET, DB_ST_BAL_RECORD, DB_ST_BAL_LOW, DB_ST_BAL_NO_CREDIT,
	/* retain.c */
	DB_ST_RET_IN_HI, DB_ST_RET_IN_DEL, DB_ST_RET_PART_HI, DB_ST_RET_PART_DEL,
	DB_ST_RET_DONE_DEL, DB_ST_RET_OB_HI, DB_ST_RET_OB_GONE, DB_ST_RET_OB_DEL,
	DB_ST_RET_SUB_OLD, DB_ST_RET_CE_MARK, DB_ST_RET_SUB_DEL, DB_ST_RET_CE_HI,
	DB_ST_RET_CE_BLANK,
	/* backup.c */
	DB_ST_BACKUP_RECORD,
	/* forget.c */
	DB_ST_FORGET_BC_GONE, DB_ST_FORGET_OB_PARTS, DB_ST_FORGET_OUTBOX,
	DB_ST_FORGET_INBOX, DB_ST_FORGET_PARTS, DB_ST_FORGET_DONE,
	DB_ST_FORGET_CONSENT, DB_ST_FORGET_MEMBERS, DB_ST_FORGET_SUB,
	DB_ST_FORGET_CONFIRM, DB_ST_FORGET_FINISHED, DB_ST_FORGET_PENDING,
	DB_ST_FORGET_POLL, DB_ST_FORGET_UNDECODABLE,
	/* organizer.c */
	DB_ST_ORG_ADD, DB_ST_ORG_PIN, DB_ST_ORG_DEL, DB_ST_ORG_DEL_ATT,
	DB_ST_ORG_DEL_PEND, DB_ST_ORG_GET, DB_ST_ORG_ALL, DB_ST_ORG_ATT_ADD,
	DB_ST_ORG_ATT_COUNT, DB_ST_ORG_LOCK, DB_ST_ORG_PEND_SET,
	DB_ST_ORG_PEND_DROP, DB_ST_ORG_PEND_GET, DB_ST_ORG_PEND_DEL,
	DB_ST_ORG_PEND_WIPE, DB_ST_ORG_REPLY, DB_ST_ORG_UNNOTIFIED,
	DB_ST_ORG_NOTIFIED, DB_ST_ORG_RUNNING, DB_ST_ORG_PURGE_PEND,
	DB_ST_ORG_PURGE_ATT, DB_ST_ORG_PURGE_SECRET, DB_ST_OB_BLANK_SECRET,
	DB_ST_ORG_DEL_NOTIFY, DB_ST_ORG_STEP_LOCK, DB_ST_ORG_STEP_ATT,
	DB_ST_ORG_STEP_PEND,
	/* db.c: has another connection committed? */
	DB_ST_DATA_VERSION,
	DB_ST_MAX
};

struct db {
	sqlite3		*h;
	sqlite3_stmt	*stmt[DB_ST_MAX];
	char		 err[256];
	int		 busy;
	int		 full;		/* a write met a full disk: the
					 * log is checkpointed once the
					 * transaction is over */
	int		 in_tx;
	int		 corrupt;	/* SQLITE_CORRUPT or NOTADB seen */
	void		(*corrupt_cb)(struct db *, void *);
	void		*corrupt_arg;
	unsigned char	 mark_key[MARK_KEY_LEN];	/* mark.c */
	int		 mark_key_ok;
	int		 mark_key_tx;	/* read or made inside a transaction
					 * not yet committed: a rollback
					 * forgets it */
};

/* mark.c: the per-database key loaded (created when missing); the SQL
 * function tambuli_digest() on the connection */
int	 mark_key(struct db *);
int	 mark_digest_register(struct db *);

/* db.c */
sqlite3_stmt	*db_stmt(struct db *, enum db_stmt_id, const char *);
int		 db_fail(struct db *, const char *);
int		 db_failf(struct db *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
int		 db_step_done(struct db *, sqlite3_stmt *, const char *);
/* backup.c */
int		 backup_write(sqlite3 *, const char *, const char *, char **);
/* poll.c */
int		 db_poll_insert(struct db *, int64_t,
		    const struct broadcast_new *, int64_t);
/* outbox.c */
int		 db_broadcasts_finish(struct db *);
int64_t		 db_list_id(struct db *, const char *);
void		 db_bind_text(sqlite3_stmt *, int, const char *);
const char	*db_col_text(sqlite3_stmt *, int);

#endif
