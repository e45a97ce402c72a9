/*
 * modem/serial_list.c — finding the serial ports that look like modems.
 *
 * libserialport lists the ports with their USB identity; the stable
 * /dev/serial/by-id names (which survive re-enumeration under another
 * /dev/ttyUSBn) and the USB interface number (sticks expose several ports:
 * only some answer AT commands) come from the filesystem.
 */
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libserialport.h>

#include "compat.h"
#include "serial.h"

static const struct {
	int		 vid;
	const char	*name;
} serial_list_vendors[] = {
	{ 0x05c6, "Qualcomm (Quectel, SIMCom)" },
	{ 0x0bdb, "Ericsson" },
	{ 0x1199, "Sierra Wireless" },
	{ 0x12d1, "Huawei" },
	{ 0x19d2, "ZTE" },
	{ 0x1bc7, "Telit" },
	{ 0x1c9e, "Longcheer" },
	{ 0x1e0e, "SIMCom" },
	{ 0x2c7c, "Quectel" },
	{ 0x2cb7, "Fibocom" },
	{ 0x1508, "Fibocom" },
	{ 0x1410, "Novatel" },
	{ 0x0af0, "Option" },
	{ 0x1546, "u-blox" },
};

/*
 * Interfaces known to take AT commands (or not), by vendor:product; as
 * in the README's table of AT ports.
 */
static const struct {
	int		 vid, pid, interface;
	const char	*model;
	const char	*hint;
} serial_list_ports[] = {
	{ 0x2c7c, 0x0125, 2, "EC25/EG25", "AT port" },
	{ 0x2c7c, 0x0125, 3, "EC25/EG25", "AT port (modem)" },
	{ 0x2c7c, 0x0125, 0, "EC25/EG25", "diagnostics, not AT" },
	{ 0x2c7c, 0x0125, 1, "EC25/EG25", "GNSS NMEA, not AT" },
	{ 0x2c7c, 0x0121, 2, "EC21", "AT port" },
	{ 0x2c7c, 0x0296, 2, "BG96", "AT port" },
	{ 0x1e0e, 0x9001, 2, "SIM7600", "AT port" },
	{ 0x1e0e, 0x9001, 3, "SIM7600", "AT port (modem)" },
	{ 0x1e0e, 0x9001, 1, "SIM7600", "GNSS NMEA, not AT" },
	{ 0x12d1, 0x1506, 2, "E3131/E173 (modem mode)", "AT port (PCUI)" },
	{ 0x12d1, 0x1506, 0, "E3131/E173 (modem mode)", "modem (PPP)" },
	{ 0x12d1, 0x1001, 2, "E169/E1550", "AT port (PCUI)" },
	{ 0x12d1, 0x1001, 0, "E169/E1550", "modem (PPP)" },
	{ 0x12d1, 0x1c05, 2, "E173", "AT port (PCUI)" },
	{ 0x12d1, 0x155e, 2, "E3372 (stick mode)", "AT port" },
	{ 0x19d2, 0x0031, 2, "MF190/MF626", "AT port" },
	{ 0x1199, 0x9071, 3, "MC74xx", "AT port" },
	{ 0x1199, 0x9071, 0, "MC74xx", "diagnostics, not AT" },
	{ 0x1199, 0x9071, 2, "MC74xx", "GNSS NMEA, not AT" },
	{ 0x1199, 0x9079, 3, "EM7455", "AT port" },
	{ 0x1199, 0x9079, 0, "EM7455", "diagnostics, not AT" },
	{ 0x1199, 0x9079, 2, "EM7455", "GNSS NMEA, not AT" },
	{ 0x1199, 0x9091, 3, "EM7565", "AT port" },
	{ 0x1199, 0x9091, 0, "EM7565", "diagnostics, not AT" },
	{ 0x1199, 0x9091, 2, "EM7565", "GNSS NMEA, not AT" },
	/* Telit: the AT port depends on the USB composition */
	{ 0x1bc7, 0x1201, 4, "LE910Cx", "AT port" },
	{ 0x1bc7, 0x1201, 0, "LE910Cx", "diagnostics, not AT" },
	{ 0x1bc7, 0x1201, 3, "LE910Cx", "GNSS NMEA, not AT" },
	{ 0x1bc7, 0x1031, 1, "LE910C1-EUX", "AT port" },
	{ 0x1bc7, 0x1031, 0, "LE910C1-EUX", "diagnostics, not AT" },
	/* u-blox: CDC-ACM, interfaces 0, 2, 4 are ttyACM0, 1, 2 */
	{ 0x1546, 0x1107, 0, "TOBY-R2", "AT port" },
	{ 0x1546, 0x1107, 2, "TOBY-R2", "AT port (also)" },
	{ 0x1546, 0x1107, 4, "TOBY-R2", "AT port (also)" },
	{ 0x1546, 0x110a, 0, "LARA-R2", "AT port" },
	{ 0x1546, 0x110a, 2, "LARA-R2", "AT port (also)" },
	{ 0x1546, 0x110a, 4, "LARA-R2", "AT port (also)" },
	{ 0x1546, 0x1102, 0, "SARA-U2", "AT port" },
	{ 0x1546, 0x1102, 2, "SARA-U2", "AT port (also)" },
	{ 0x1546, 0x1102, 4, "SARA-U2", "AT port (also)" },
	{ 0x1546, 0x1010, 6, "TOBY-L4", "AT port" },
};

const char *
serial_list_vendor(int vid)
{
	size_t	i;

	for (i = 0; i < sizeof serial_list_vendors /
	    sizeof serial_list_vendors[0]; i++)
		if (serial_list_vendors[i].vid == vid)
			return serial_list_vendors[i].name;
	return NULL;
}

const char *
serial_list_hint(int vid, int pid, int interface, const char **model)
{
	size_t	k;

	for (k = 0; k < sizeof serial_list_ports /
	    sizeof serial_list_ports[0]; k++) {
		if (serial_list_ports[k].vid == vid &&
		    serial_list_ports[k].pid == pid &&
		    serial_list_ports[k].interface == interface) {
			if (model != NULL)
				*model = serial_list_ports[k].model;
			return serial_list_ports[k].hint;
		}
	}
	return NULL;
}

/* The USB interface of a tty, from /sys/class/tty/NAME/device. */
static int
serial_list_interface(const char *path)
{
	const char	*name = strrchr(path, '/');
	char		 p[PATH_MAX], buf[16];
	FILE		*f;
	int		 v = -1;

	name = name ? name + 1 : path;
	if (!bsnprintf(p, sizeof p,
	    "/sys/class/tty/%s/device/bInterfaceNumber", name))
		return -1;
	if ((f = fopen(p, "r")) == NULL) {
		/* usb-serial ports sit one level below the interface */
		if (!bsnprintf(p, sizeof p,
		    "/sys/class/tty/%s/device/../bInterfaceNumber", name) ||
		    (f = fopen(p, "r")) == NULL)
			return -1;
	}
	if (fgets(buf, sizeof buf, f) != NULL)
		v = (int)strtol(buf, NULL, 16);
	fclose(f);
	return v;
}

/* The /dev/serial/by-id link that resolves to path, if any. */
static void
serial_list_by_id(const char *path, char *out, size_t outlen)
{
	DIR		*d;
	struct dirent	*de;
	char		 link[PATH_MAX], real[PATH_MAX], want[PATH_MAX];

	out[0] = '\0';
	if (realpath(path, want) == NULL)
		return;
	if ((d = opendir("/dev/serial/by-id")) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (!bsnprintf(link, sizeof link, "/dev/serial/by-id/%s",
		    de->d_name))
			continue;
		if (realpath(link, real) != NULL && strcmp(real, want) == 0) {
			strlcpy(out, link, outlen);
			break;
		}
	}
	closedir(d);
}

static void
serial_list_copy(char *dst, size_t len, const char *src)
{
	strlcpy(dst, src != NULL ? src : "", len);
}

int
serial_list(struct serial_port **out, char **cause)
{
	struct sp_port		**ports;
	struct serial_port	 *list = NULL, *sp;
	size_t			  i, n = 0;
	int			  vid, pid;
	const char		 *model;

	*out = NULL;
	if (sp_list_ports(&ports) != SP_OK) {
		char *m = sp_last_error_message();
		xasprintf(cause, "listing serial ports: %s",
		    m ? m : "failed");
		sp_free_error_message(m);
		return -1;
	}
	for (i = 0; ports[i] != NULL; i++) {
		list = xreallocarray(list, n + 1, sizeof *list);
		sp = &list[n++];
		memset(sp, 0, sizeof *sp);
		sp->interface = -1;
		sp->vid = sp->pid = -1;
		serial_list_copy(sp->path, sizeof sp->path,
		    sp_get_port_name(ports[i]));
		if (sp_get_port_transport(ports[i]) == SP_TRANSPORT_USB) {
			sp->usb = 1;
			if (sp_get_port_usb_vid_pid(ports[i], &vid, &pid) ==
			    SP_OK) {
				sp->vid = vid;
				sp->pid = pid;
			}
			serial_list_copy(sp->serial, sizeof sp->serial,
			    sp_get_port_usb_serial(ports[i]));
			serial_list_copy(sp->manufacturer,
			    sizeof sp->manufacturer,
			    sp_get_port_usb_manufacturer(ports[i]));
			serial_list_copy(sp->product, sizeof sp->product,
			    sp_get_port_usb_product(ports[i]));
			sp->vendor = serial_list_vendor(sp->vid);
			sp->interface = serial_list_interface(sp->path);
			sp->hint = serial_list_hint(sp->vid, sp->pid,
			    sp->interface, &model);
			if (sp->hint != NULL && sp->product[0] == '\0')
				serial_list_copy(sp->product,
				    sizeof sp->product, model);
			/* a CDC-ACM modem (ttyACM) speaks AT on its port */
			if (sp->hint == NULL &&
			    strncmp(sp->path, "/dev/ttyACM", 11) == 0)
				sp->hint = "CDC-ACM, usually AT";
		}
		serial_list_by_id(sp->path, sp->by_id, sizeof sp->by_id);
	}
	sp_free_port_list(ports);
	*out = list;
	return (int)n;
}
