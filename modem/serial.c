/*
 * modem/serial.c — choosing a backend, and I/O on the resulting fd.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compat.h"
#include "serial.h"

struct serial {
	const struct serial_ops	*ops;
	char			*path;
	int			 fd;
	void			*priv;
};

struct serial *
serial_open(const char *path, const struct serial_cfg *cfg, char **cause)
{
	const struct serial_ops	*ops;
	struct serial		*s;
	struct serial_cfg	 c = { 115200, 0 };
	void			*priv = NULL;
	int			 fd;

	if (cfg != NULL)
		c = *cfg;
	if (c.baud == 0)
		c.baud = 115200;
	ops = serial_sp_knows(path) ? &serial_sp_ops : &serial_tty_ops;
	if (ops->open(path, &c, &fd, &priv, cause) == -1)
		return NULL;
	s = xcalloc(1, sizeof *s);
	s->ops = ops;
	s->path = xstrdup(path);
	s->fd = fd;
	s->priv = priv;
	return s;
}

int
serial_fd(const struct serial *s)
{
	return s->fd;
}

const char *
serial_path(const struct serial *s)
{
	return s->path;
}

const char *
serial_backend(const struct serial *s)
{
	return s->ops->name;
}

ssize_t
serial_read(struct serial *s, void *buf, size_t len)
{
	return read(s->fd, buf, len);
}

ssize_t
serial_write(struct serial *s, const void *buf, size_t len)
{
	return write(s->fd, buf, len);
}

void
serial_close(struct serial *s)
{
	if (s == NULL)
		return;
	s->ops->close(s->fd, s->priv);
	free(s->path);
	free(s);
}

int
serial_gone(int err)
{
	return err == EIO || err == ENODEV || err == ENXIO ||
	    err == EBADF || err == EPIPE;
}
