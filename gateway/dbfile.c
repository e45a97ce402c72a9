/*
 * gateway/dbfile.c — the database as a file: one daemon per database,
 * the file staying the one the daemon opened, and work that other
 * processes store noticed without a wake-up.
 *
 * - The lock: an exclusive non-blocking flock(2) on "<db>.lock", taken
 *   before the database is opened (and created, and recovered), held for
 *   the daemon's lifetime.  A second daemon on the same database would
 *   put the first one's message in flight back in the queue and send it
 *   again; it exits instead, naming the holder's pid.  flock, not fcntl:
 *   SQLite's own locks are fcntl locks on the database, and closing any
 *   descriptor of that file drops them all.  The kernel releases a flock
 *   when its holder dies, so a lock file left by a crash is never stale;
 *   the pid in it is information only (emptied at a clean exit).  The
 *   file is never removed (removing it would let two daemons lock two
 *   different files of the same name) but by the panic wipe, which holds
 *   it while it destroys the store, so it also says that a daemon ran
 *   on this database: a database missing at start beside an existing
 *   lock file was lost, and the daemon refuses to replace it with an
 *   empty one.
 * - The identity: the device and inode of the database file opened are
 *   compared with what the path names now (at each housekeeping run, and
 *   at once when the watch sees the name change).  A database deleted,
 *   moved away or replaced under the daemon stops it: writing on into an
 *   unlinked file loses everything at exit, and the next start would
 *   make an empty database that has forgotten who opted out.
 * - The watch (Linux: inotify on the database's directory): a write to
 *   the database or its WAL by any process wakes the daemon, which reads
 *   PRAGMA data_version — it changes only when ANOTHER connection
 *   committed, so the daemon's own writes never make it wake itself in a
 *   loop — and kicks the scheduler when it changed.  A burst of writes
 *   is one check, DBFILE_SETTLE_MS after the first.  No timer polls: an
 *   idle daemon stays asleep.  Without inotify the housekeeping run does
 *   the same check once a minute.
 */
#include <sys/file.h>
#include <sys/stat.h>
#ifdef __linux__
#include <sys/inotify.h>
#endif

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compat.h"
#include "gateway.h"
#include "log.h"

#define DBFILE_SETTLE_MS	50

struct dbfile {
	struct gw	*gw;
	char		*path;		/* the database */
	char		*lock_path;
	int		 lock_fd;
	int		 locked;
	int		 fresh;		/* the lock file was made now */
	int		 fd;		/* the database file, for fstat */
	dev_t		 dev;
	ino_t		 ino;
	char		*dir, *base, *wal;	/* what the watch looks at */
	int		 in_fd;		/* inotify, -1 without */
	struct event	*ev_in, *ev_settle;
	int64_t		 version;	/* PRAGMA data_version seen last */
};

struct dbfile *
dbfile_lock(const char *path, char **cause)
{
	struct dbfile	*df;
	char		 buf[32];
	ssize_t		 n;
	long long	 pid;
	const char	*err;
	struct stat	 st;

	df = xcalloc(1, sizeof *df);
	df->fd = df->in_fd = -1;
	df->path = xstrdup(path);
	xasprintf(&df->lock_path, "%s.lock", path);
	/* whether the lock file was there says whether a daemon ran on
	 * this database before (a missing database was then lost) */
	/* never through a symbolic link, never anything but a plain file
	 * of its own: the directory is writable by the organizers' group,
	 * and a daemon started as root truncates and writes this file */
	if ((df->lock_fd = open(df->lock_path, O_RDWR | O_NOFOLLOW |
	    O_NOCTTY | O_NONBLOCK | O_CLOEXEC)) == -1 && errno == ENOENT) {
		df->lock_fd = open(df->lock_path, O_RDWR | O_CREAT | O_EXCL |
		    O_NOFOLLOW | O_CLOEXEC, 0600);
		df->fresh = df->lock_fd != -1;
		if (df->lock_fd == -1 && errno == EEXIST)
			df->lock_fd = open(df->lock_path, O_RDWR | O_NOFOLLOW |
			    O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	}
	if (df->lock_fd == -1) {
		xasprintf(cause, "%s: %s", df->lock_path, errno == ELOOP ?
		    "a symbolic link: refusing to follow it" : strerror(errno));
		goto fail;
	}
	if (fstat(df->lock_fd, &st) == -1 || !S_ISREG(st.st_mode) ||
	    st.st_nlink != 1) {
		xasprintf(cause, "%s: not a plain file of its own (a link or a "
		    "device?): remove it", df->lock_path);
		goto fail;
	}
	if (flock(df->lock_fd, LOCK_EX | LOCK_NB) == -1) {
		if (errno != EWOULDBLOCK) {
			xasprintf(cause, "%s: lock: %s", df->lock_path,
			    strerror(errno));
			goto fail;
		}
		n = pread(df->lock_fd, buf, sizeof buf - 1, 0);
		buf[n > 0 ? n : 0] = '\0';
		buf[strcspn(buf, "\n")] = '\0';
		pid = strtonum(buf, 1, 1LL << 31, &err);
		if (err == NULL)
			xasprintf(cause, "database %s is in use by tambulid "
			    "pid %lld (lock %s): one daemon per database",
			    path, pid, df->lock_path);
		else
			xasprintf(cause, "database %s is in use by another "
			    "tambulid (lock %s): one daemon per database", path,
			    df->lock_path);
		goto fail;
	}
	df->locked = 1;
	n = snprintf(buf, sizeof buf, "%ld\n", (long)getpid());
	if (ftruncate(df->lock_fd, 0) == -1 ||
	    pwrite(df->lock_fd, buf, (size_t)n, 0) != n) {
		xasprintf(cause, "%s: %s", df->lock_path, strerror(errno));
		goto fail;
	}
	return df;
fail:
	dbfile_free(df);
	return NULL;
}

/*
 * Before the database is opened: a database that is missing although a
 * daemon ran on it before (the lock file was there) was deleted or moved,
 * and is not silently replaced by an empty one, which would have
 * forgotten who opted out.  -1 and *cause then.
 */
int
dbfile_lost(struct dbfile *df, char **cause)
{
	struct stat	st;

	if (df->fresh || stat(df->path, &st) == 0 || errno != ENOENT)
		return 0;
	xasprintf(cause, "database %s is missing, but tambulid ran on it "
	    "before (%s is there): it was deleted or moved.  Put it back, or "
	    "restore a backup (README: \"When the database is lost or "
	    "damaged\"); to start with a new, empty database instead (it "
	    "forgets who opted out), remove %s", df->path, df->lock_path,
	    df->lock_path);
	return -1;
}

/* The first start failed before a database existed: no trace left, so
 * the next start is a first start again. */
void
dbfile_forget(struct dbfile *df)
{
	struct stat	st;

	if (df->fresh && stat(df->path, &st) == -1 && errno == ENOENT)
		unlink(df->lock_path);
}

/* 0 when the path still names the database opened, else -1 and *cause. */
int
dbfile_check(struct dbfile *df, char **cause)
{
	struct stat	st, pst;
	int		present;

	if (df->fd == -1)
		return 0;
	present = stat(df->path, &pst) == 0;
	if (!present && errno != ENOENT && errno != ENOTDIR)
		return 0;	/* cannot tell (EACCES...): not a verdict */
	if (present && (pst.st_dev != df->dev || pst.st_ino != df->ino)) {
		xasprintf(cause, "database %s was replaced by another file "
		    "while tambulid was running: stopping (what it wrote since "
		    "then is in the old file).  Start tambulid again to use "
		    "the new one", df->path);
		return -1;
	}
	if (!present || (fstat(df->fd, &st) == 0 && st.st_nlink == 0)) {
		xasprintf(cause, "database %s was deleted or moved away while "
		    "tambulid was running: stopping (what it wrote since then "
		    "is in no file at that path).  Put the database back or "
		    "restore a backup before starting tambulid again: a new, "
		    "empty database would have forgotten who opted out",
		    df->path);
		return -1;
	}
	return 0;
}

static void
dbfile_fail(struct dbfile *df, char *cause)
{
	gw_fatal(df->gw, 0, "%s", cause);
	free(cause);
}

/* Did another process commit?  Then there may be work: kick. */
void
dbfile_poll(struct dbfile *df)
{
	struct gw	*gw = df->gw;
	char		*cause;
	int64_t		 v;

	if (dbfile_check(df, &cause) == -1) {
		dbfile_fail(df, cause);
		return;
	}
	if (gw->stopping)
		return;
	if (db_data_version(gw->db, &v) == -1) {
		if (!db_corrupt(gw->db))
			log_warnx("database watch: %s", db_error(gw->db));
		return;
	}
	if (v == df->version)
		return;
	df->version = v;
	log_trace(TRACE_DB, "data_version %lld: another process committed",
	    (long long)v);
	sched_kick(gw);
}

#ifdef __linux__
static void
dbfile_settle_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	dbfile_poll(arg);
}

static void
dbfile_inotify_cb(evutil_socket_t fd, short what, void *arg)
{
	struct dbfile			*df = arg;
	_Alignas(struct inotify_event) char buf[4096];
	const struct inotify_event	*ev;
	struct timeval			 tv = { 0, DBFILE_SETTLE_MS * 1000 };
	ssize_t				 n;
	char				*p, *cause;
	int				 name = 0, data = 0;

	(void)what;
	while ((n = read(fd, buf, sizeof buf)) > 0) {
		for (p = buf; p < buf + n; p += sizeof *ev + ev->len) {
			ev = (const struct inotify_event *)(void *)p;
			if (ev->mask & (IN_DELETE_SELF | IN_MOVE_SELF |
			    IN_IGNORED | IN_Q_OVERFLOW)) {
				name = data = 1;	/* the directory */
				continue;
			}
			if (ev->len == 0)
				continue;
			if (strcmp(ev->name, df->base) == 0) {
				if (ev->mask & (IN_DELETE | IN_MOVED_FROM |
				    IN_CREATE | IN_MOVED_TO))
					name = 1;
				data = 1;
			} else if (strcmp(ev->name, df->wal) == 0)
				data = 1;
		}
	}
	/* the name changed: say so now, not at the next write */
	if (name && dbfile_check(df, &cause) == -1) {
		dbfile_fail(df, cause);
		return;
	}
	if (data && !evtimer_pending(df->ev_settle, NULL))
		evtimer_add(df->ev_settle, &tv);
}
#endif

int
dbfile_watch(struct dbfile *df, struct gw *gw, char **cause)
{
	struct stat	 st;
	char		*slash;

	df->gw = gw;
	/* kept open to the end (closed after the database): closing a
	 * descriptor of the file would drop SQLite's fcntl locks */
	if ((df->fd = open(df->path, O_RDONLY | O_CLOEXEC)) == -1 ||
	    fstat(df->fd, &st) == -1) {
		xasprintf(cause, "%s: %s", df->path, strerror(errno));
		return -1;
	}
	df->dev = st.st_dev;
	df->ino = st.st_ino;
	if (db_data_version(gw->db, &df->version) == -1) {
		xasprintf(cause, "%s: %s", df->path, db_error(gw->db));
		return -1;
	}
	df->dir = xstrdup(df->path);
	if ((slash = strrchr(df->dir, '/')) == NULL) {
		df->base = xstrdup(df->dir);
		free(df->dir);
		df->dir = xstrdup(".");
	} else {
		df->base = xstrdup(slash + 1);
		slash[slash == df->dir ? 1 : 0] = '\0';
	}
	xasprintf(&df->wal, "%s-wal", df->base);
#ifdef __linux__
	if ((df->in_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) == -1 ||
	    inotify_add_watch(df->in_fd, df->dir, IN_MODIFY | IN_CLOSE_WRITE |
	    IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO |
	    IN_DELETE_SELF | IN_MOVE_SELF) == -1) {
		/* not fatal: the housekeeping run checks once a minute */
		log_warn("database watch on %s (work stored while the control "
		    "socket is unreachable waits up to a minute)", df->dir);
		if (df->in_fd != -1)
			close(df->in_fd);
		df->in_fd = -1;
		return 0;
	}
	df->ev_in = event_new(gw->base, df->in_fd, EV_READ | EV_PERSIST,
	    dbfile_inotify_cb, df);
	df->ev_settle = evtimer_new(gw->base, dbfile_settle_cb, df);
	if (df->ev_in == NULL || df->ev_settle == NULL)
		fatalx("database watch: out of memory");
	event_add(df->ev_in, NULL);
#endif
	return 0;
}

/* Stop watching (before the event base goes). */
void
dbfile_unwatch(struct dbfile *df)
{
	if (df == NULL)
		return;
	if (df->ev_in != NULL)
		event_free(df->ev_in);
	if (df->ev_settle != NULL)
		event_free(df->ev_settle);
	df->ev_in = df->ev_settle = NULL;
	if (df->in_fd != -1)
		close(df->in_fd);
	df->in_fd = -1;
}

/* After the database is closed: the file, then the lock. */
void
dbfile_free(struct dbfile *df)
{
	if (df == NULL)
		return;
	dbfile_unwatch(df);
	if (df->fd != -1)
		close(df->fd);
	if (df->lock_fd != -1) {
		/* no pid of a process that is gone; the file stays */
		if (df->locked && ftruncate(df->lock_fd, 0) == -1)
			log_warn("%s", df->lock_path);
		close(df->lock_fd);
	}
	free(df->path);
	free(df->lock_path);
	free(df->dir);
	free(df->base);
	free(df->wal);
	free(df);
}

/* Does path name the database this daemon opened? */
int
dbfile_same(const struct dbfile *df, const char *path)
{
	struct stat	st;

	return df != NULL && df->fd != -1 && stat(path, &st) == 0 &&
	    st.st_dev == df->dev && st.st_ino == df->ino;
}
