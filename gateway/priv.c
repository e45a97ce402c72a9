/*
 * gateway/priv.c — least privilege: who may read the database and use
 * the socket, and running as the service user.
 *
 * Organizers use the CLI without root through file permissions: the
 * database, its -wal/-shm and the control socket belong to the configured
 * group (default "tambuli" when that group exists) with mode 0660, and the
 * directory they live in should be set-group-id (the service unit's
 * StateDirectoryMode=2770 does it) so files SQLite creates later inherit
 * the group.  Supplementary group membership counts, because the kernel
 * checks file access against every group of the process.  Nobody else gets
 * any access: an existing database with looser permissions is tightened
 * at start, with a warning.
 *
 * Started as root (by hand, or by an init without systemd) with "user ="
 * set, tambulid opens what needs root, hands its files to that user, then
 * becomes it, keeping the group that owns serial devices ("dialout") so a
 * modem that is unplugged and plugged back can be opened again.  With no
 * such user it refuses to start, unless the value is "root".  With no
 * "user =" at all it stays as started and says so (the packaged
 * configuration and the service unit both name the tambuli user).
 */
#define _GNU_SOURCE	/* O_PATH, AT_EMPTY_PATH */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compat.h"
#include "gateway.h"
#include "log.h"

#define PRIV_USER	"tambuli"	/* the service user */
#define PRIV_GROUP	"tambuli"	/* group = (default, if it exists) */
#define PRIV_SERIAL	"dialout"	/* owns /dev/ttyUSB* on Debian */
#define PRIV_NGROUPS	64

/*
 * The group that shares the database and socket: the configured one
 * (which must exist), else "tambuli" if it exists.  0 with *gid set,
 * 1 when there is none (owner only), -1 with *cause.
 */
int
priv_group(const struct conf *c, gid_t *gid, char **cause)
{
	const struct group	*gr;

	if (c->group != NULL && *c->group != '\0') {
		if ((gr = getgrnam(c->group)) == NULL) {
			xasprintf(cause, "group = %s: no such group (create it: "
			    "groupadd --system %s)", c->group, c->group);
			return -1;
		}
		*gid = gr->gr_gid;
		return 0;
	}
	if ((gr = getgrnam(PRIV_GROUP)) == NULL)
		return 1;
	*gid = gr->gr_gid;
	return 0;
}

/*
 * Open a file of the store without following a symbolic link, and only if
 * it is a plain file of its own (no hard link elsewhere): the directory is
 * writable by the organizers' group, and what follows may run as root.
 * O_PATH: closing it cannot drop SQLite's fcntl locks on the same file
 * (closing any ordinary descriptor of a file would).  The fd, or -1
 * (errno ENOENT: missing, which is fine for -wal and -shm).
 */
static int
priv_open(const char *path, struct stat *st)
{
	int	fd;

	if ((fd = open(path, O_PATH | O_NOFOLLOW | O_CLOEXEC)) == -1)
		return -1;
	if (fstat(fd, st) == -1 || !S_ISREG(st->st_mode) ||
	    st->st_nlink != 1) {
		close(fd);
		errno = EPERM;
		return -1;
	}
	return fd;
}

/* chmod through an O_PATH descriptor (fchmod does not take one). */
static int
priv_fchmod(int fd, mode_t mode)
{
	char	proc[64];

	snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
	return chmod(proc, mode);
}

/* chown through an O_PATH descriptor. */
static int
priv_fchown(int fd, uid_t uid, gid_t gid)
{
	return fchownat(fd, "", uid, gid, AT_EMPTY_PATH);
}

/*
 * Tighten one file of the store: group-shared (0660) when there is a
 * group, else owner-only (0600); never anything for others.  A missing
 * file is fine (-wal/-shm come and go); a link is left alone, loudly.
 */
static void
priv_tighten(const char *path, int shared, gid_t gid)
{
	struct stat	st;
	mode_t		want = shared ? 0660 : 0600;
	int		fd;

	if ((fd = priv_open(path, &st)) == -1) {
		if (errno != ENOENT)
			log_warnx("%s is a link or not a plain file: its "
			    "permissions are left alone", path);
		return;
	}
	if ((st.st_mode & 07777 & ~want) != 0) {
		log_warnx("%s was mode %04o: tightened to %04o (members' "
		    "numbers are in it)", path, (unsigned)(st.st_mode & 07777),
		    (unsigned)want);
		if (priv_fchmod(fd, want) == -1)
			log_warn("chmod %s", path);
	} else if (shared && (st.st_mode & 0060) != 0060 &&
	    priv_fchmod(fd, (st.st_mode & 0600) | 0060) == -1)
		log_warn("chmod %s", path);
	if (shared && st.st_gid != gid && priv_fchown(fd, (uid_t)-1, gid) ==
	    -1 &&
	    errno != EPERM)
		log_warn("chown %s", path);
	close(fd);
}

/* The database's files, as the daemon shares them. */
void
priv_files(const struct conf *c, const char *lockpath)
{
	static const char	*suffix[] = { "", "-wal", "-shm" };
	char			*p;
	gid_t			 gid = 0;
	char			*cause = NULL;
	int			 shared;
	size_t			 i;

	shared = priv_group(c, &gid, &cause) == 0;
	free(cause);
	for (i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
		xasprintf(&p, "%s%s", c->database, suffix[i]);
		priv_tighten(p, shared, gid);
		free(p);
	}
	if (lockpath != NULL)
		priv_tighten(lockpath, shared, gid);
}

/*
 * Hand a file to the service user (and the shared group, if any): the
 * socket by its name (never through a link), the others through priv_open.
 */
static int
priv_give(const char *path, uid_t uid, gid_t gid, char **cause)
{
	struct stat	st;
	int		fd, rc = 0;

	if (lstat(path, &st) == -1)
		return errno == ENOENT ? 0 : (xasprintf(cause, "%s: %s", path,
		    strerror(errno)), -1);
	if (S_ISSOCK(st.st_mode)) {
		if (fchownat(AT_FDCWD, path, uid, gid, AT_SYMLINK_NOFOLLOW) ==
		    -1) {
			xasprintf(cause, "chown %s: %s", path, strerror(errno));
			return -1;
		}
		return 0;
	}
	if ((fd = priv_open(path, &st)) == -1) {
		if (errno == ENOENT)
			return 0;
		xasprintf(cause, "%s is a link or not a plain file: refusing to "
		    "hand it to the service user (remove it)", path);
		return -1;
	}
	if (priv_fchown(fd, uid, gid) == -1) {
		xasprintf(cause, "chown %s: %s", path, strerror(errno));
		rc = -1;
	}
	close(fd);
	return rc;
}

/*
 * Started as root with a user to become: that user must exist.  Checked
 * before anything is created.  0, or -1 with *cause.
 */
int
priv_check(const struct conf *c, char **cause)
{
	gid_t	gid;

	if (geteuid() != 0 || c->user == NULL || *c->user == '\0' ||
	    strcmp(c->user, "root") == 0)
		return 0;
	if (getpwnam(c->user) == NULL) {
		xasprintf(cause, "started as root, and there is no user %s to "
		    "run as: create it (systemd-sysusers, or adduser --system "
		    "--ingroup dialout %s), or set user = root in [gateway] to "
		    "run as root on purpose", c->user, c->user);
		return -1;
	}
	return priv_group(c, &gid, cause) == -1 ? -1 : 0;
}

/*
 * Become the configured user if started as root.  paths (NULL-ended) are
 * the files the daemon opened as root and must keep using: they are
 * handed over first.  0, or -1 with *cause.
 */
int
priv_drop(const struct conf *c, const char *const *paths, char **cause)
{
	const char		*user = c->user;
	const struct passwd	*pw;
	const struct group	*gr;
	gid_t			 groups[PRIV_NGROUPS], gid;
	char			*dir, *slash;
	int			 n = PRIV_NGROUPS, i, have;

	if (geteuid() != 0)
		return 0;
	if (user == NULL || *user == '\0') {
		log_warnx("running as root: set user = %s in [gateway] (the "
		    "packaged configuration does) so tambulid drops root once "
		    "its files are open", PRIV_USER);
		return 0;
	}
	if (strcmp(user, "root") == 0) {
		log_warnx("running as root (user = root): a bug in tambulid "
		    "or a hostile modem would have the whole machine");
		return 0;
	}
	if (priv_check(c, cause) == -1)
		return -1;
	if ((pw = getpwnam(user)) == NULL) {
		xasprintf(cause, "no user %s", user);
		return -1;
	}
	switch (priv_group(c, &gid, cause)) {
	case -1:
		return -1;
	case 1:
		gid = pw->pw_gid;	/* no shared group: the user's own */
		break;
	}
	/* the directory must let the user create -wal/-shm beside the db */
	dir = xstrdup(c->database);
	if ((slash = strrchr(dir, '/')) != NULL)
		slash[slash == dir ? 1 : 0] = '\0';
	else
		strlcpy(dir, ".", 2);
	for (i = 0; paths[i] != NULL; i++)
		if (priv_give(paths[i], pw->pw_uid, gid, cause) == -1) {
			free(dir);
			return -1;
		}
	if (getgrouplist(pw->pw_name, pw->pw_gid, groups, &n) == -1) {
		xasprintf(cause, "user %s is in more than %d groups", user,
		    PRIV_NGROUPS);
		free(dir);
		return -1;
	}
	/* keep the serial devices' group, member or not */
	if ((gr = getgrnam(PRIV_SERIAL)) != NULL) {
		for (have = 0, i = 0; i < n; i++)
			have |= groups[i] == gr->gr_gid;
		if (!have && n < PRIV_NGROUPS)
			groups[n++] = gr->gr_gid;
	}
	if (setgroups((size_t)n, groups) == -1 || setgid(pw->pw_gid) == -1 ||
	    setuid(pw->pw_uid) == -1) {
		xasprintf(cause, "cannot become user %s: %s", user,
		    strerror(errno));
		free(dir);
		return -1;
	}
	if (setuid(0) != -1) {
		xasprintf(cause, "still root after switching to user %s", user);
		free(dir);
		return -1;
	}
	if (access(dir, W_OK | X_OK) == -1) {
		xasprintf(cause, "user %s cannot write in %s, where SQLite "
		    "keeps the database's -wal and -shm files: chown %s %s && "
		    "chmod 2770 %s", user, dir, user, dir, dir);
		free(dir);
		return -1;
	}
	log_info("running as user=%s uid=%u", user, (unsigned)pw->pw_uid);
	free(dir);
	return 0;
}
