/*
 * modem/serial_tty.c — any tty through open() and termios raw mode.
 */
#include <sys/file.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "compat.h"
#include "serial.h"

static speed_t
serial_tty_speed(int baud)
{
	switch (baud) {
	case 9600:
		return B9600;
	case 19200:
		return B19200;
	case 38400:
		return B38400;
	case 57600:
		return B57600;
	case 230400:
		return B230400;
	case 460800:
		return B460800;
	case 921600:
		return B921600;
	default:
		return B115200;
	}
}

static int
serial_tty_open(const char *path, const struct serial_cfg *cfg, int *fdp,
    void **priv, char **cause)
{
	struct termios	t;
	int		fd;

	*priv = NULL;
	if ((fd = open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC)) ==
	    -1) {
		if (errno == EBUSY)	/* TIOCEXCL, as ModemManager sets */
			xasprintf(cause, "%s: another program holds the port "
			    "(ModemManager?): %s", path, strerror(errno));
		else
			xasprintf(cause, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) == -1) {
		if (errno == EWOULDBLOCK)
			xasprintf(cause, "%s: another program holds the port",
			    path);
		else
			xasprintf(cause, "%s: lock: %s", path,
			    strerror(errno));
		close(fd);
		return -1;
	}
	if (tcgetattr(fd, &t) == -1) {
		xasprintf(cause, "%s: not a terminal: %s", path,
		    strerror(errno));
		close(fd);
		return -1;
	}
	cfmakeraw(&t);
	t.c_cflag |= CLOCAL | CREAD;
	if (cfg->rtscts)
		t.c_cflag |= CRTSCTS;
	else
		t.c_cflag &= ~(tcflag_t)CRTSCTS;
	t.c_cc[VMIN] = 1;
	t.c_cc[VTIME] = 0;
	cfsetispeed(&t, serial_tty_speed(cfg->baud));
	cfsetospeed(&t, serial_tty_speed(cfg->baud));
	if (tcsetattr(fd, TCSANOW, &t) == -1) {
		xasprintf(cause, "%s: tcsetattr: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	/* drop whatever a previous user left unread */
	tcflush(fd, TCIOFLUSH);
	*fdp = fd;
	return 0;
}

static void
serial_tty_close(int fd, void *priv)
{
	(void)priv;
	close(fd);
}

const struct serial_ops serial_tty_ops = {
	"tty", serial_tty_open, serial_tty_close
};
