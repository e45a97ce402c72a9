/*
 * db/wipe.c — the panic wipe: destroy the store and every copy of it
 * that tambuli knows of.
 *
 * What goes: the database, its -wal, -shm and -journal; the snapshots
 * taken before migrations ("<db>.pre-vN") and databases left half made
 * ("<db>.new-PID"), with their own -wal/-shm/-journal; every backup that
 * "tambuli backup" recorded (the backups table, read before anything is
 * destroyed); and last the lock file "<db>.lock", so that the next start
 * is a first start.  Each file is overwritten in place over its full
 * size with zeros, synced, and only then unlinked: another name of the
 * same file (a hard link) and a process that still holds it open see
 * zeros too.  On flash (an SD card) the old blocks may survive the
 * overwrite: README "Panic wipe" says what does protect them.
 *
 * What is never destroyed, because it may not be ours:
 * - anything through a symbolic link (the state directory is writable by
 *   the organizers' group; a wipe run as root must not follow a link to
 *   /etc/shadow): the link is left and reported;
 * - a recorded backup path, or a file of another name with more than one
 *   link, that is not (or no longer) a tambuli database: SQLite's header
 *   and our tables.  The path is left alone and counted.
 *
 * The caller holds the lock (the daemon its own, the CLI after the
 * daemon has gone): nothing opens the database while it is destroyed.
 * No logging: each problem goes to the caller's callback, naming the
 * file, and the wipe goes on with the next file.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compat.h"
#include "db_int.h"

#define WIPE_CHUNK	65536

struct wipe_ctx {
	struct wipe_report	*r;
	void			(*err)(const char *, void *);
	void			*arg;
};

static void
wipe_fail(struct wipe_ctx *w, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
wipe_fail(struct wipe_ctx *w, const char *fmt, ...)
{
	char	buf[1024];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	w->r->errors++;
	if (w->err != NULL)
		w->err(buf, w->arg);
}

/*
 * Is the file at path a tambuli database: SQLite's header and our
 * tables?  Opened read-only and never through a link.  1 yes, 0 no.
 */
int
wipe_is_store(const char *path)
{
	static const char	 magic[16] = "SQLite format 3";
	sqlite3			*h = NULL;
	sqlite3_stmt		*s;
	char			 head[16];
	int			 fd, ok = 0;
	ssize_t			 n;
	struct stat		 st;

	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK |
	    O_CLOEXEC)) == -1)
		return 0;
	n = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ?
	    read(fd, head, sizeof head) : -1;
	close(fd);
	if (n != (ssize_t)sizeof head || memcmp(head, magic, sizeof magic) != 0)
		return 0;
	if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY |
	    SQLITE_OPEN_NOFOLLOW, NULL) != SQLITE_OK)
		goto out;
	if (sqlite3_prepare_v2(h, "SELECT count(*) FROM sqlite_master WHERE "
	    "type = 'table' AND name IN ('settings', 'subscribers', "
	    "'consent_events', 'outbox', 'inbox')", -1, &s, NULL) !=
	    SQLITE_OK)
		goto out;
	ok = sqlite3_step(s) == SQLITE_ROW && sqlite3_column_int(s, 0) == 5;
	sqlite3_finalize(s);
out:
	sqlite3_close(h);
	return ok;
}

/*
 * Overwrite the file at path with zeros over its full size, sync, unlink.
 * check: 0 for a name that is ours (overwritten when it has one link; a
 * file with other names only when it is a tambuli database), 1 when it
 * must be a tambuli database to be touched at all (a recorded backup).
 * 1 destroyed, 0 not there, 2 left alone (not ours), -1 failed.
 */
static int
wipe_file(struct wipe_ctx *w, const char *path, int check)
{
	static const char	 zero[WIPE_CHUNK];
	struct stat		 st, lst;
	off_t			 off;
	ssize_t			 n;
	size_t			 len;
	int			 fd;

	if (lstat(path, &lst) == -1) {
		if (errno == ENOENT || errno == ENOTDIR)
			return 0;
		wipe_fail(w, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (S_ISLNK(lst.st_mode)) {
		if (check)
			return 2;
		wipe_fail(w, "%s: a symbolic link: not followed, not removed "
		    "(destroy what it points to by hand)", path);
		return -1;
	}
	if (!S_ISREG(lst.st_mode)) {
		if (check)
			return 2;
		wipe_fail(w, "%s: not a plain file: left alone", path);
		return -1;
	}
	if ((check || lst.st_nlink > 1) && !wipe_is_store(path)) {
		if (check)
			return 2;
		/* another name of a file that may be anybody's: this name
		 * goes, the file is not touched */
		if (unlink(path) == -1) {
			wipe_fail(w, "%s: %s", path, strerror(errno));
			return -1;
		}
		wipe_fail(w, "%s: has %lu other names: removed this one, not "
		    "overwritten", path, (unsigned long)lst.st_nlink - 1);
		return -1;
	}
	if ((fd = open(path, O_WRONLY | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK |
	    O_CLOEXEC)) == -1) {
		wipe_fail(w, "%s: %s", path, strerror(errno));
		return -1;
	}
	/* the same file that was checked */
	if (fstat(fd, &st) == -1 || st.st_dev != lst.st_dev ||
	    st.st_ino != lst.st_ino) {
		close(fd);
		wipe_fail(w, "%s: changed while being wiped: left alone", path);
		return -1;
	}
	for (off = 0; off < st.st_size; off += n) {
		len = st.st_size - off < WIPE_CHUNK ? (size_t)(st.st_size -
		    off) : WIPE_CHUNK;
		if ((n = pwrite(fd, zero, len, off)) <= 0) {
			wipe_fail(w, "%s: overwriting: %s", path, n == 0 ?
			    "no progress" : strerror(errno));
			close(fd);
			return -1;
		}
	}
	if (fsync(fd) == -1) {
		wipe_fail(w, "%s: sync: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	if (unlink(path) == -1) {
		wipe_fail(w, "%s: overwritten, but not removed: %s", path,
		    strerror(errno));
		return -1;
	}
	return 1;
}

/* path and its -wal, -shm, -journal: the count of those destroyed. */
static int
wipe_with_logs(struct wipe_ctx *w, const char *path, int *main)
{
	static const char	*suffix[] = { "-wal", "-shm", "-journal" };
	char			*name;
	size_t			 i;
	int			 n = 0;

	*main = wipe_file(w, path, 0);
	for (i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
		xasprintf(&name, "%s%s", path, suffix[i]);
		if (wipe_file(w, name, 0) == 1)
			n |= 1 << i;
		free(name);
	}
	return n;
}

/* The recorded backups, read before anything is destroyed. */
static char **
wipe_backups(const char *path, size_t *np, int *unknown)
{
	sqlite3		*h = NULL;
	sqlite3_stmt	*s;
	char		**v = NULL;
	size_t		 n = 0;
	int		 rc;

	*np = 0;
	*unknown = 0;
	if (access(path, F_OK) == -1)
		return NULL;
	if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_NOFOLLOW, NULL) != SQLITE_OK) {
		*unknown = 1;
		goto out;
	}
	sqlite3_busy_timeout(h, 5000);
	if (sqlite3_prepare_v2(h, "SELECT path FROM backups ORDER BY path",
	    -1, &s, NULL) != SQLITE_OK) {
		/* a database from before backups were recorded has none */
		*unknown = strstr(sqlite3_errmsg(h), "no such table") == NULL;
		goto out;
	}
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		v = xreallocarray(v, n + 1, sizeof *v);
		v[n++] = xstrdup((const char *)sqlite3_column_text(s, 0));
	}
	if (rc != SQLITE_DONE)
		*unknown = 1;
	sqlite3_finalize(s);
out:
	sqlite3_close(h);
	*np = n;
	return v;
}

/* "<base>.pre-vN" and "<base>.new-PID" (not their -wal/-shm/-journal,
 * which go with them) in dir. */
static void
wipe_siblings(struct wipe_ctx *w, const char *dir, const char *base)
{
	DIR		*d;
	struct dirent	*e;
	char		**names = NULL, *full;
	const char	*rest;
	size_t		 n = 0, i, blen = strlen(base);
	int		 snap, main, logs;

	if ((d = opendir(dir)) == NULL) {
		wipe_fail(w, "%s: %s", dir, strerror(errno));
		return;
	}
	while ((e = readdir(d)) != NULL) {
		if (strncmp(e->d_name, base, blen) != 0)
			continue;
		rest = e->d_name + blen;
		/* exactly the names tambuli makes: ".pre-v7", ".new-4242" */
		if (strncmp(rest, ".pre-v", 6) == 0)
			rest += 6;
		else if (strncmp(rest, ".new-", 5) == 0)
			rest += 5;
		else
			continue;
		if (*rest == '\0' || strspn(rest, "0123456789") !=
		    strlen(rest))
			continue;	/* -wal, -shm, -journal go with theirs */
		names = xreallocarray(names, n + 1, sizeof *names);
		names[n++] = xstrdup(e->d_name);
	}
	closedir(d);
	for (i = 0; i < n; i++) {
		snap = strncmp(names[i] + blen, ".pre-v", 6) == 0;
		xasprintf(&full, "%s/%s", dir, names[i]);
		logs = wipe_with_logs(w, full, &main);
		if (main == 1 || logs != 0) {
			if (snap)
				w->r->snapshots++;
			else
				w->r->leftovers++;
		}
		free(full);
		free(names[i]);
	}
	free(names);
}

int
wipe_store(const char *path, struct wipe_report *r,
    void (*err)(const char *, void *), void *arg)
{
	struct wipe_ctx	 w = { r, err, arg };
	char		**backups, *dir, *base, *slash, *name;
	size_t		 nb, i;
	int		 unknown, logs, rc, fd;

	memset(r, 0, sizeof *r);
	strlcpy(r->path, path, sizeof r->path);
	backups = wipe_backups(path, &nb, &unknown);
	r->backups_unknown = unknown;

	/* the database first: the one copy everybody knows where to find */
	logs = wipe_with_logs(&w, path, &rc);
	r->db = rc == 1;
	r->wal = (logs & 1) != 0;
	r->shm = (logs & 2) != 0;
	r->journal = (logs & 4) != 0;

	for (i = 0; i < nb; i++) {
		switch (wipe_file(&w, backups[i], 1)) {
		case 1:
			r->backups++;
			break;
		case 0:
			r->backups_gone++;
			break;
		case 2:
			r->backups_kept++;
			strlcpy(r->kept, backups[i], sizeof r->kept);
			break;
		}
		free(backups[i]);
	}
	free(backups);

	dir = xstrdup(path);
	if ((slash = strrchr(dir, '/')) == NULL) {
		base = xstrdup(dir);
		strlcpy(dir, ".", 2);
	} else {
		base = xstrdup(slash + 1);
		slash[slash == dir ? 1 : 0] = '\0';
	}
	wipe_siblings(&w, dir, base);

	/* last: the next start is a first start (dbfile.c refuses a
	 * missing database beside a lock file) */
	xasprintf(&name, "%s.lock", path);
	r->lock = wipe_file(&w, name, 0) == 1;
	free(name);

	/* the names gone for good before we say so */
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) != -1) {
		(void)fsync(fd);
		close(fd);
	}
	free(dir);
	free(base);
	return r->errors > 0 ? -1 : 0;
}

/* One line: what was destroyed. */
void
wipe_summary(const struct wipe_report *r, char *out, size_t len)
{
	char	 more[1200];
	size_t	 o;

	if (r->db)
		snprintf(out, len, "wiped: %s", r->path);
	else
		snprintf(out, len, "wiped: %s (no database was there)",
		    r->path);
	if (r->wal || r->shm || r->journal) {
		snprintf(more, sizeof more, " (+%s%s%s%s%s)",
		    r->wal ? "wal" : "", r->wal && (r->shm || r->journal) ?
		    ", " : "", r->shm ? "shm" : "", r->shm && r->journal ?
		    ", " : "", r->journal ? "journal" : "");
		strlcat(out, more, len);
	}
	if (r->backups_unknown)
		strlcat(out, ", backups unknown (the database could not be "
		    "read)", len);
	else {
		snprintf(more, sizeof more, ", %d backup%s", r->backups,
		    r->backups == 1 ? "" : "s");
		strlcat(out, more, len);
	}
	if (r->backups_gone > 0) {
		snprintf(more, sizeof more, " (%d recorded one%s already "
		    "gone)", r->backups_gone, r->backups_gone == 1 ? "" : "s");
		strlcat(out, more, len);
	}
	if (r->snapshots > 0) {
		snprintf(more, sizeof more, ", %d migration snapshot%s",
		    r->snapshots, r->snapshots == 1 ? "" : "s");
		strlcat(out, more, len);
	}
	if (r->leftovers > 0) {
		snprintf(more, sizeof more, ", %d half-made database%s",
		    r->leftovers, r->leftovers == 1 ? "" : "s");
		strlcat(out, more, len);
	}
	if (r->backups_kept > 0) {
		o = strlen(out);
		snprintf(more, sizeof more, "; left alone: %s%s (recorded as a "
		    "backup, no longer a tambuli database)", r->kept,
		    r->backups_kept > 1 ? " and others" : "");
		if (o < len)
			strlcat(out, more, len);
	}
}
