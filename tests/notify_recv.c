/*
 * tests/notify_recv.c — a test-only stand-in for systemd's notification
 * socket: binds a unix datagram socket and prints every line of every
 * datagram received, flushed, until killed or TIMEOUT seconds pass.
 *
 *   notify_recv SOCKET [CTL-SOCKET [TIMEOUT]]
 *
 * SOCKET starting with '@' is bound in the abstract namespace.  When a
 * datagram holds READY=1 and CTL-SOCKET is given, it connects to
 * CTL-SOCKET at that moment and prints "ctl: listening" or "ctl: <error>",
 * so a test can check that READY=1 comes after the control socket
 * listens.  "bound" is printed once the socket exists.
 */
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int
notify_recv_bind(const char *path, struct sockaddr_un *sun, socklen_t *len)
{
	size_t	n = strlen(path);
	int	fd;

	memset(sun, 0, sizeof *sun);
	sun->sun_family = AF_UNIX;
	if (n >= sizeof sun->sun_path)
		return -1;
	memcpy(sun->sun_path, path, n);
	if (path[0] == '@')
		sun->sun_path[0] = '\0';
	*len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n +
	    (path[0] != '@'));
	if ((fd = socket(AF_UNIX, SOCK_DGRAM, 0)) == -1)
		return -1;
	if (bind(fd, (struct sockaddr *)sun, *len) == -1) {
		close(fd);
		return -1;
	}
	return fd;
}

static void
notify_recv_ctl(const char *path)
{
	struct sockaddr_un	sun;
	int			fd;

	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof sun.sun_path) {
		printf("ctl: path too long\n");
		return;
	}
	strcpy(sun.sun_path, path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) == -1 ||
	    connect(fd, (struct sockaddr *)&sun, sizeof sun) == -1)
		printf("ctl: %s\n", strerror(errno));
	else
		printf("ctl: listening\n");
	if (fd != -1)
		close(fd);
}

int
main(int argc, char **argv)
{
	struct sockaddr_un	 sun;
	socklen_t		 len;
	char			 buf[4096];
	ssize_t			 n;
	int			 fd;

	if (argc < 2 || argc > 4) {
		fprintf(stderr, "usage: notify_recv SOCKET [CTL-SOCKET "
		    "[TIMEOUT]]\n");
		return 2;
	}
	if ((fd = notify_recv_bind(argv[1], &sun, &len)) == -1) {
		fprintf(stderr, "notify_recv: %s: %s\n", argv[1],
		    strerror(errno));
		return 1;
	}
	alarm(argc > 3 ? (unsigned)atoi(argv[3]) : 120);
	printf("bound\n");
	fflush(stdout);
	for (;;) {
		if ((n = recv(fd, buf, sizeof buf - 1, 0)) == -1) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "notify_recv: %s\n", strerror(errno));
			return 1;
		}
		buf[n] = '\0';
		printf("%s\n", buf);
		if (argc > 2 && (strncmp(buf, "READY=1", 7) == 0 ||
		    strstr(buf, "\nREADY=1") != NULL))
			notify_recv_ctl(argv[2]);
		fflush(stdout);
	}
}
