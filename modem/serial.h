/*
 * modem/serial.h — the serial port behind a small backend interface.
 *
 * Two backends:
 * - serial_sp: libserialport, for real USB modems (baud, 8N1, flow
 *   control);
 * - serial_tty: plain open() and termios raw mode, for any tty path
 *   libserialport cannot open.  libserialport looks ports up under
 *   /sys/class/tty, and pseudo-terminals have no entry there, so the
 *   simulator (modemsim) is reached only through this backend.
 *
 * Either way the result is a non-blocking fd for the event loop, locked
 * with flock() so two programs never talk to one modem at once.
 */
#ifndef SERIAL_H
#define SERIAL_H

#include <sys/types.h>

#include <stddef.h>

struct serial;

struct serial_cfg {
	int	baud;		/* 0: 115200 */
	int	rtscts;		/* hardware flow control */
};

struct serial_ops {
	const char	*name;
	/* open path and fill *fd; -1 with *cause (allocated) on failure */
	int		(*open)(const char *, const struct serial_cfg *,
			    int *, void **, char **);
	void		(*close)(int, void *);
};

/* serial.c */
/*
 * Open a port: libserialport when it knows the port, termios otherwise.
 * Returns NULL with *cause set (allocated) naming the problem: "no such
 * device", "permission denied", "another program holds the port".
 */
struct serial	*serial_open(const char *, const struct serial_cfg *,
		    char **);
int		 serial_fd(const struct serial *);
const char	*serial_path(const struct serial *);
const char	*serial_backend(const struct serial *);
/* read/write the non-blocking fd: -1 with errno (EAGAIN when idle),
 * read 0 on end of file (the device went away) */
ssize_t		 serial_read(struct serial *, void *, size_t);
ssize_t		 serial_write(struct serial *, const void *, size_t);
void		 serial_close(struct serial *);
/* 1 if errno after a failed read/write means the device is gone */
int		 serial_gone(int);

/* serial_tty.c */
extern const struct serial_ops serial_tty_ops;
/* serial_sp.c */
extern const struct serial_ops serial_sp_ops;
int		 serial_sp_knows(const char *);

/* serial_list.c: ports that look like modems */
struct serial_port {
	char		 path[256];	/* /dev/ttyUSB2 */
	char		 by_id[512];	/* /dev/serial/by-id/..., or "" */
	int		 usb;		/* 1 for a USB port */
	int		 vid, pid;
	int		 interface;	/* USB interface number, or -1 */
	char		 serial[128];	/* USB serial number */
	char		 manufacturer[128];
	char		 product[128];
	const char	*vendor;	/* recognised vendor, or NULL */
	const char	*hint;		/* "AT port", "diagnostics", ... */
};
/* Fill a malloc'd array; returns the count or -1 with *cause. */
int		 serial_list(struct serial_port **, char **);
/* The vendor name of a USB vendor id known to make modems, or NULL. */
const char	*serial_list_vendor(int);
/*
 * What a USB interface of a known modem (vendor, product, interface) is
 * for ("AT port", "diagnostics, not AT"), and its model in *model
 * (unless NULL); NULL when not known.
 */
const char	*serial_list_hint(int, int, int, const char **);

#endif
