/*
 * modem/serial_sp.c — real serial ports through libserialport.
 */
#include <sys/file.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <libserialport.h>

#include "compat.h"
#include "serial.h"

/* 1 when libserialport can find the port (not for ptys). */
int
serial_sp_knows(const char *path)
{
	struct sp_port	*p;

	if (sp_get_port_by_name(path, &p) != SP_OK)
		return 0;
	sp_free_port(p);
	return 1;
}

static int
serial_sp_fail(struct sp_port *p, const char *path, const char *what,
    char **cause)
{
	char	*msg = sp_last_error_message();

	xasprintf(cause, "%s: %s: %s", path, what, msg ? msg : "failed");
	sp_free_error_message(msg);
	if (p != NULL) {
		sp_close(p);
		sp_free_port(p);
	}
	return -1;
}

static int
serial_sp_open(const char *path, const struct serial_cfg *cfg, int *fdp,
    void **priv, char **cause)
{
	struct sp_port	*p;
	int		 fd, fl;

	*priv = NULL;
	if (sp_get_port_by_name(path, &p) != SP_OK) {
		xasprintf(cause, "%s: no such serial port", path);
		return -1;
	}
	if (sp_open(p, SP_MODE_READ_WRITE) != SP_OK) {
		if (errno == EACCES)
			xasprintf(cause, "%s: permission denied (is the user "
			    "in the dialout group?)", path);
		else if (errno == EBUSY)
			/* TIOCEXCL, as ModemManager sets */
			xasprintf(cause, "%s: another program holds the port "
			    "(ModemManager?): %s", path, strerror(errno));
		else
			xasprintf(cause, "%s: %s", path, strerror(errno));
		sp_free_port(p);
		return -1;
	}
	if (sp_get_port_handle(p, &fd) != SP_OK)
		return serial_sp_fail(p, path, "no handle", cause);
	if (flock(fd, LOCK_EX | LOCK_NB) == -1) {
		if (errno == EWOULDBLOCK)
			xasprintf(cause, "%s: another program holds the port",
			    path);
		else
			xasprintf(cause, "%s: lock: %s", path,
			    strerror(errno));
		sp_close(p);
		sp_free_port(p);
		return -1;
	}
	if (sp_set_baudrate(p, cfg->baud) != SP_OK ||
	    sp_set_bits(p, 8) != SP_OK ||
	    sp_set_parity(p, SP_PARITY_NONE) != SP_OK ||
	    sp_set_stopbits(p, 1) != SP_OK ||
	    sp_set_flowcontrol(p, cfg->rtscts ? SP_FLOWCONTROL_RTSCTS :
	    SP_FLOWCONTROL_NONE) != SP_OK)
		return serial_sp_fail(p, path, "configure", cause);
	/* the event loop reads the fd itself */
	if ((fl = fcntl(fd, F_GETFL)) == -1 ||
	    fcntl(fd, F_SETFL, fl | O_NONBLOCK) == -1)
		return serial_sp_fail(p, path, "non-blocking", cause);
	sp_flush(p, SP_BUF_BOTH);
	*fdp = fd;
	*priv = p;
	return 0;
}

static void
serial_sp_close(int fd, void *priv)
{
	struct sp_port	*p = priv;

	(void)fd;
	sp_close(p);
	sp_free_port(p);
}

const struct serial_ops serial_sp_ops = {
	"libserialport", serial_sp_open, serial_sp_close
};
