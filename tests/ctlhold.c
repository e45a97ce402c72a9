/*
 * tests/ctlhold.c — a misbehaving control client, for tests/regress/ctl.sh.
 * Test-only: it plays the careless or hostile client the daemon must
 * survive.  Every mode prints one result line on stdout.
 *
 *   ctlhold fill SOCKET N    connect up to N times without a word, until a
 *                            connect would wait (the backlog is full);
 *                            prints "connected C full yes|no", then holds
 *                            the connections until stdin closes
 *   ctlhold hold SOCKET N    connect N times and say HELLO on each; prints
 *                            "connected C greeted G refused R" and the
 *                            first refusal as "refusal: LINE", then holds
 *                            until stdin closes
 *   ctlhold idle SOCKET [ID] say HELLO (and WATCH ID), print "ready", then
 *                            wait: "closed" when the daemon hangs up,
 *                            "open" when stdin closes first
 *   ctlhold flood SOCKET N   say HELLO, then N STATUS requests without
 *                            reading a reply: "dropped" when the daemon
 *                            hangs up, "not dropped" when it has not 60 s
 *                            after the last request was written
 *   ctlhold drip SOCKET      say HELLO, then a request one byte every
 *                            200 ms, never finished: "closed" when the
 *                            daemon hangs up, "open" if not within 60 s
 *   ctlhold probe SOCKET     say HELLO and print the first reply line
 *   ctlhold halfclose SOCKET N  say HELLO, then N STATUS requests in one
 *                            write, then shut down its sending side; reads
 *                            until the daemon closes and prints "answered
 *                            K" (K final "200 " lines)
 *   ctlhold say SOCKET LINE  say HELLO, then the request LINE, and print
 *                            its final reply line (a request the CLI
 *                            never makes, as WIPE PATH destroy)
 *
 * Exit status 0 once a result is printed, 1 on a usage or system error.
 */
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define HOLD_MAX	1024
#define HELLO		"HELLO tambuli 1\n"

static struct sockaddr_un	sun;

static void
die(const char *what)
{
	fprintf(stderr, "ctlhold: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* A non-blocking connect: the fd, or -1 with errno (EAGAIN: backlog). */
static int
hold_connect(void)
{
	int	fd, e;

	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0)) == -1)
		die("socket");
	if (connect(fd, (struct sockaddr *)&sun, sizeof sun) == 0)
		return fd;
	e = errno;
	close(fd);
	errno = e;
	return -1;
}

/* Read one line into buf within ms; 1, 0 on timeout, -1 at EOF. */
static int
hold_line(int fd, char *buf, size_t len, int ms)
{
	struct pollfd	pfd = { fd, POLLIN, 0 };
	size_t		n = 0;
	ssize_t		k;
	char		ch;

	while (n + 1 < len) {
		if (poll(&pfd, 1, ms) <= 0)
			return 0;
		if ((k = read(fd, &ch, 1)) == 0)
			return -1;
		if (k == -1) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			return -1;
		}
		if (ch == '\n')
			break;
		buf[n++] = ch;
	}
	buf[n] = '\0';
	return 1;
}

static int
hold_write(int fd, const char *s, size_t len, int ms)
{
	struct pollfd	pfd = { fd, POLLOUT, 0 };
	ssize_t		k;

	while (len > 0) {
		if ((k = send(fd, s, len, MSG_NOSIGNAL)) == -1) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN)
				return -1;
			if (poll(&pfd, 1, ms) <= 0)
				return -2;
			continue;
		}
		s += k;
		len -= (size_t)k;
	}
	return 0;
}

static int
hold_greet(int fd, char *line, size_t len)
{
	/* a refused client may find the daemon gone before it writes;
	 * what it said is still there to read */
	if (hold_write(fd, HELLO, strlen(HELLO), 30000) == -2)
		return 0;
	return hold_line(fd, line, len, 30000);
}

static void
hold_wait_stdin(void)
{
	char	buf[64];

	while (read(0, buf, sizeof buf) > 0)
		;
}

int
main(int argc, char **argv)
{
	static int	 fds[HOLD_MAX];
	char		 line[8192], refusal[8192] = "";
	const char	*mode;
	long		 n = 0, i, connected = 0, greeted = 0, refused = 0;
	int		 fd, rc, full = 0;

	signal(SIGPIPE, SIG_IGN);
	if (argc < 3) {
		fprintf(stderr, "usage: ctlhold fill|hold|idle|flood|probe|"
		    "halfclose|say SOCKET [N|ID|LINE]\n");
		return 1;
	}
	mode = argv[1];
	sun.sun_family = AF_UNIX;
	snprintf(sun.sun_path, sizeof sun.sun_path, "%s", argv[2]);
	if (argc > 3)
		n = strtol(argv[3], NULL, 10);

	if (n > HOLD_MAX && strcmp(mode, "flood") != 0)
		n = HOLD_MAX;
	if (strcmp(mode, "fill") == 0) {
		for (i = 0; i < n; i++) {
			if ((fds[i] = hold_connect()) == -1) {
				if (errno != EAGAIN)
					die("connect");
				full = 1;
				break;
			}
			connected++;
		}
		printf("connected %ld full %s\n", connected, full ? "yes" :
		    "no");
		fflush(stdout);
		hold_wait_stdin();
		return 0;
	}
	if (strcmp(mode, "hold") == 0) {
		for (i = 0; i < n; i++) {
			if ((fds[i] = hold_connect()) == -1)
				break;
			connected++;
			/* one at a time: the daemon answers or refuses */
			rc = hold_greet(fds[i], line, sizeof line);
			if (rc == 1 && strncmp(line, "250 ", 4) == 0)
				greeted++;
			else {
				refused++;
				if (refusal[0] == '\0')
					snprintf(refusal, sizeof refusal, "%s",
					    rc == 1 ? line : rc == 0 ?
					    "(no answer)" : "(closed)");
			}
		}
		printf("connected %ld greeted %ld refused %ld\n", connected,
		    greeted, refused);
		if (refusal[0] != '\0')
			printf("refusal: %s\n", refusal);
		fflush(stdout);
		hold_wait_stdin();
		return 0;
	}
	if ((fd = hold_connect()) == -1)
		die("connect");
	if (hold_greet(fd, line, sizeof line) != 1) {
		printf("no greeting\n");
		return 0;
	}
	if (strcmp(mode, "probe") == 0) {
		printf("%s\n", line);
		return 0;
	}
	if (strcmp(mode, "say") == 0 && argc > 3) {
		snprintf(line, sizeof line, "%s\n", argv[3]);
		if (hold_write(fd, line, strlen(line), 30000) != 0)
			die("write");
		/* the final line: three digits and a space */
		while ((rc = hold_line(fd, line, sizeof line, 30000)) == 1 &&
		    !(strlen(line) > 3 && line[3] == ' ' && line[0] >= '1' &&
		    line[0] <= '9'))
			;
		printf("%s\n", rc == 1 ? line : "(no answer)");
		return 0;
	}
	if (strcmp(mode, "idle") == 0) {
		struct pollfd	pfd[2] = { { fd, POLLIN, 0 }, { 0, POLLIN, 0 } };

		if (argc > 3) {
			snprintf(line, sizeof line, "WATCH %s\n", argv[3]);
			if (hold_write(fd, line, strlen(line), 30000) != 0 ||
			    hold_line(fd, line, sizeof line, 30000) != 1 ||
			    strncmp(line, "200 ", 4) != 0) {
				printf("watch refused: %s\n", line);
				return 0;
			}
		}
		printf("ready\n");
		fflush(stdout);
		for (;;) {
			if (poll(pfd, 2, -1) == -1) {
				if (errno == EINTR)
					continue;
				die("poll");
			}
			if (pfd[0].revents != 0) {
				/* events are read; EOF is the daemon's
				 * hang-up */
				ssize_t k = read(fd, line, sizeof line);
				if (k == 0 || (k == -1 && errno != EAGAIN &&
				    errno != EINTR)) {
					printf("closed\n");
					return 0;
				}
			}
			if (pfd[1].revents != 0 &&
			    read(0, line, sizeof line) <= 0) {
				printf("open\n");
				return 0;
			}
		}
	}
	if (strcmp(mode, "halfclose") == 0) {
		static char	buf[64 * 1024];
		long		k, answered = 0;

		for (k = 0; k < n && (size_t)(k + 1) * 7 < sizeof buf; k++)
			memcpy(buf + k * 7, "STATUS\n", 7);
		if (hold_write(fd, buf, (size_t)k * 7, 30000) != 0)
			die("write");
		if (shutdown(fd, SHUT_WR) == -1)
			die("shutdown");
		while (hold_line(fd, line, sizeof line, 60000) == 1)
			if (strncmp(line, "200 ", 4) == 0)
				answered++;
		printf("answered %ld\n", answered);
		return 0;
	}
	if (strcmp(mode, "drip") == 0) {
		struct timespec	ts = { 0, 200000000 };

		for (i = 0; i < 300; i++) {
			if (send(fd, "S", 1, MSG_NOSIGNAL) == -1 ||
			    hold_line(fd, line, sizeof line, 0) == -1) {
				printf("closed\n");
				return 0;
			}
			nanosleep(&ts, NULL);	/* the attacker's pace */
		}
		printf("open\n");
		return 0;
	}
	if (strcmp(mode, "flood") == 0) {
		struct pollfd	pfd = { fd, 0, 0 };
		static char	buf[64 * 1024];
		const char	*req = "STATUS\n";
		long		k, batch = (long)(sizeof buf / strlen(req));

		/* big writes, as a hostile client would: many small ones
		 * are throttled by the kernel already */
		for (k = 0; k < batch; k++)
			memcpy(buf + k * strlen(req), req, strlen(req));
		for (i = 0; i < n; i += batch) {
			k = n - i < batch ? n - i : batch;
			rc = hold_write(fd, buf, (size_t)k * strlen(req), 60000);
			if (rc == -1 && (errno == EPIPE ||
			    errno == ECONNRESET)) {
				printf("dropped\n");
				return 0;
			}
			if (rc != 0)
				break;
		}
		/* everything sent (or the daemon stopped reading): does
		 * it hang up? */
		if (poll(&pfd, 1, 60000) > 0 &&
		    (pfd.revents & (POLLHUP | POLLERR)) != 0) {
			printf("dropped\n");
			return 0;
		}
		printf("not dropped\n");
		return 0;
	}
	fprintf(stderr, "ctlhold: unknown mode %s\n", mode);
	return 1;
}
