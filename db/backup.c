/*
 * db/backup.c — consistent snapshots of the store with SQLite's online
 * backup API.
 *
 * A copy of the .db file alone, taken while the daemon runs, is not a
 * backup in WAL mode: committed transactions may still sit in the -wal
 * file.  The backup API reads the database as one transaction (a WAL
 * reader never blocks the daemon's writes) and writes every page to a new
 * file.  The snapshot is built beside the destination under a temporary
 * name (mode 0600: it holds members' numbers), switched to a rollback
 * journal so it is one self-contained file, checked, synced, and only
 * then renamed into place: an interrupted backup never leaves a
 * half-written file under the name the operator asked for.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compat.h"
#include "db_int.h"

/* Is path one of the live database's own files? */
static int
backup_is_live(const char *db_path, const char *path)
{
	static const char	*suffix[] = { "", "-wal", "-shm", "-journal",
				    ".lock" };
	struct stat		 a, b;
	char			*name;
	size_t			 i;
	int			 same;

	if (stat(path, &b) == -1)
		return 0;	/* a new file cannot be the database */
	for (i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
		xasprintf(&name, "%s%s", db_path, suffix[i]);
		same = stat(name, &a) == 0 && a.st_dev == b.st_dev &&
		    a.st_ino == b.st_ino;
		free(name);
		if (same)
			return 1;
	}
	return 0;
}

/* Sync the directory holding path, so the rename itself is durable. */
static int
backup_sync_dir(const char *path)
{
	char	*copy = xstrdup(path);
	int	 fd, rc = 0;

	if ((fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) ==
	    -1 || fsync(fd) == -1)
		rc = -1;
	if (fd != -1)
		close(fd);
	free(copy);
	return rc;
}

static int
backup_exec(sqlite3 *h, const char *sql, char *err, size_t errlen)
{
	char	*msg = NULL;

	if (sqlite3_exec(h, sql, NULL, NULL, &msg) != SQLITE_OK) {
		snprintf(err, errlen, "%s", msg ? msg : sqlite3_errmsg(h));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

/* PRAGMA quick_check on the finished copy: "ok" or the first problem. */
static int
backup_check(sqlite3 *h, char *err, size_t errlen)
{
	sqlite3_stmt	*s;
	const char	*v;
	int		 rc = -1;

	if (sqlite3_prepare_v2(h, "PRAGMA quick_check", -1, &s, NULL) !=
	    SQLITE_OK) {
		snprintf(err, errlen, "%s", sqlite3_errmsg(h));
		return -1;
	}
	if (sqlite3_step(s) == SQLITE_ROW) {
		v = (const char *)sqlite3_column_text(s, 0);
		if (v != NULL && strcmp(v, "ok") == 0)
			rc = 0;
		else
			snprintf(err, errlen, "the copy fails its check: %s",
			    v ? v : "?");
	} else
		snprintf(err, errlen, "%s", sqlite3_errmsg(h));
	sqlite3_finalize(s);
	return rc;
}

/*
 * Write a snapshot of src (whose file is src_path) to path.  Returns 0,
 * or -1 with *cause (allocated); nothing is left at path on failure.
 */
int
backup_write(sqlite3 *src, const char *src_path, const char *path,
    char **cause)
{
	sqlite3		*dst = NULL;
	sqlite3_backup	*b;
	char		*tmp, err[512];
	int		 fd, rc;

	if (backup_is_live(src_path, path)) {
		xasprintf(cause, "%s is the live database (or one of its "
		    "files): choose another name", path);
		return -1;
	}
	xasprintf(&tmp, "%s.tmp-XXXXXX", path);
	if ((fd = mkstemp(tmp)) == -1) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		free(tmp);
		return -1;
	}
	if (fchmod(fd, 0600) == -1) {
		xasprintf(cause, "%s: %s", tmp, strerror(errno));
		goto fail_fd;
	}
	close(fd);
	fd = -1;
	err[0] = '\0';
	if (sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE, NULL) !=
	    SQLITE_OK) {
		snprintf(err, sizeof err, "%s", dst ? sqlite3_errmsg(dst) :
		    "out of memory");
		goto fail;
	}
	if ((b = sqlite3_backup_init(dst, "main", src, "main")) == NULL) {
		snprintf(err, sizeof err, "%s", sqlite3_errmsg(dst));
		goto fail;
	}
	/* all pages in one step: one read transaction, a consistent copy */
	rc = sqlite3_backup_step(b, -1);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE) {
		snprintf(err, sizeof err, "%s", rc == SQLITE_BUSY ||
		    rc == SQLITE_LOCKED ? "the database is busy" :
		    sqlite3_errstr(rc));
		goto fail;
	}
	/* one self-contained file, on disk before it gets its name */
	if (backup_exec(dst, "PRAGMA journal_mode = DELETE", err,
	    sizeof err) == -1 || backup_check(dst, err, sizeof err) == -1)
		goto fail;
	if (sqlite3_close(dst) != SQLITE_OK) {
		dst = NULL;
		snprintf(err, sizeof err, "closing the copy failed");
		goto fail;
	}
	dst = NULL;
	if ((fd = open(tmp, O_RDONLY | O_CLOEXEC)) == -1 || fsync(fd) == -1) {
		snprintf(err, sizeof err, "%s", strerror(errno));
		goto fail;
	}
	close(fd);
	fd = -1;
	if (rename(tmp, path) == -1) {
		snprintf(err, sizeof err, "%s", strerror(errno));
		goto fail;
	}
	(void)backup_sync_dir(path);
	free(tmp);
	return 0;
fail:
	xasprintf(cause, "%s: %s", path, err);
fail_fd:
	if (fd != -1)
		close(fd);
	if (dst != NULL)
		sqlite3_close(dst);
	unlink(tmp);
	free(tmp);
	return -1;
}

int
backup_db(struct db *db, const char *path, char **cause)
{
	const char	*src = sqlite3_db_filename(db->h, "main");

	return backup_write(db->h, src != NULL ? src : "", path, cause);
}

/*
 * Remember where a backup was written (an absolute path), so that
 * "tambuli wipe" can destroy it with the database.  A backup moved or
 * copied by hand afterwards is out of its reach.
 */
int
backup_record(struct db *db, const char *path, int64_t now)
{
	sqlite3_stmt	*s;

	if ((s = db_stmt(db, DB_ST_BACKUP_RECORD,
	    "INSERT INTO backups (path, made_at) VALUES (?1, ?2) "
	    "ON CONFLICT (path) DO UPDATE SET made_at = excluded.made_at")) ==
	    NULL)
		return -1;
	db_bind_text(s, 1, path);
	sqlite3_bind_int64(s, 2, now);
	return db_step_done(db, s, "backup record");
}
