/*
 * tests/unit/test_serial_list.c — what `tambuli modem list` says about the
 * ports of a known modem (modem/serial_list.c): the AT port and the
 * others of each modem in the README's table, vendors by USB id.
 */
#include <stddef.h>

#include "serial.h"
#include "tt.h"

struct hcase {
	int		 vid, pid, interface;
	const char	*hint;		/* NULL: not known */
	const char	*model;
};

static const struct hcase hint_cases[] = {
	{ 0x2c7c, 0x0125, 2, "AT port", "EC25/EG25" },
	{ 0x2c7c, 0x0125, 0, "diagnostics, not AT", "EC25/EG25" },
	{ 0x1e0e, 0x9001, 2, "AT port", "SIM7600" },
	{ 0x12d1, 0x1506, 2, "AT port (PCUI)", "E3131/E173 (modem mode)" },
	{ 0x19d2, 0x0031, 2, "AT port", "MF190/MF626" },
	/* Sierra Wireless: if03, not if00 or if02 */
	{ 0x1199, 0x9071, 3, "AT port", "MC74xx" },
	{ 0x1199, 0x9071, 0, "diagnostics, not AT", "MC74xx" },
	{ 0x1199, 0x9071, 2, "GNSS NMEA, not AT", "MC74xx" },
	{ 0x1199, 0x9079, 3, "AT port", "EM7455" },
	{ 0x1199, 0x9091, 3, "AT port", "EM7565" },
	{ 0x1199, 0x9091, 2, "GNSS NMEA, not AT", "EM7565" },
	{ 0x1199, 0x9091, 8, NULL, NULL },	/* QMI/MBIM, no tty */
	/* Telit: by composition */
	{ 0x1bc7, 0x1201, 4, "AT port", "LE910Cx" },
	{ 0x1bc7, 0x1201, 0, "diagnostics, not AT", "LE910Cx" },
	{ 0x1bc7, 0x1201, 3, "GNSS NMEA, not AT", "LE910Cx" },
	{ 0x1bc7, 0x1031, 1, "AT port", "LE910C1-EUX" },
	{ 0x1bc7, 0x1060, 4, NULL, NULL },	/* probe each port */
	/* u-blox: CDC-ACM, if00 first */
	{ 0x1546, 0x1107, 0, "AT port", "TOBY-R2" },
	{ 0x1546, 0x1107, 2, "AT port (also)", "TOBY-R2" },
	{ 0x1546, 0x110a, 0, "AT port", "LARA-R2" },
	{ 0x1546, 0x110a, 4, "AT port (also)", "LARA-R2" },
	{ 0x1546, 0x1102, 0, "AT port", "SARA-U2" },
	{ 0x1546, 0x1010, 6, "AT port", "TOBY-L4" },
	{ 0x1546, 0x1010, 0, NULL, NULL },
	/* unknown */
	{ 0x1234, 0x5678, 2, NULL, NULL },
	{ -1, -1, -1, NULL, NULL },
};

static void
test_hint_table(void)
{
	const char	*model;
	size_t		 i;

	for (i = 0; i < sizeof hint_cases / sizeof hint_cases[0]; i++) {
		const struct hcase *c = &hint_cases[i];
		model = NULL;
		if (c->hint == NULL) {
			tt_assert(serial_list_hint(c->vid, c->pid,
			    c->interface, &model) == NULL);
			tt_assert(model == NULL);
			continue;
		}
		tt_str_op(serial_list_hint(c->vid, c->pid, c->interface,
		    &model), ==, c->hint);
		tt_assert(model != NULL);
		tt_str_op(model, ==, c->model);
	}
	/* the model is optional */
	tt_str_op(serial_list_hint(0x1199, 0x9079, 3, NULL), ==, "AT port");
end:
	;
}

static void
test_vendor(void)
{
	tt_str_op(serial_list_vendor(0x1199), ==, "Sierra Wireless");
	tt_str_op(serial_list_vendor(0x1bc7), ==, "Telit");
	tt_str_op(serial_list_vendor(0x1546), ==, "u-blox");
	tt_str_op(serial_list_vendor(0x2c7c), ==, "Quectel");
	tt_assert(serial_list_vendor(0x1234) == NULL);
	tt_assert(serial_list_vendor(-1) == NULL);
end:
	;
}

static const struct tt_case cases[] = {
	{ "hint/table", test_hint_table },
	{ "vendor/known", test_vendor },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	return tt_main(argc, argv, cases);
}
