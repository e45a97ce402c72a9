/*
 * modem/modem_quirks.c — vendor quirk profiles, in one table keyed by
 * manufacturer and model (as +CGMI / +CGMM print them).
 *
 * What each entry knows, and why:
 * - Huawei sticks (E173, E3131, E3372 in stick mode) chatter ^RSSI, ^MODE,
 *   ^SRVST, ^BOOT... until AT^CURC=0; ^BOOT is a heartbeat, not a reboot.
 *   They number storage from 0, want USSD as packed GSM 7-bit hex and
 *   answer in packed hex (DCS 15) or UCS-2 hex (DCS 72), and can hang in
 *   AT+CMGL until reset, so stored messages are read slot by slot.
 * - ZTE sticks boot as a CD-ROM; AT+ZCDRUN=8 stops that, AT+ZOPRT=5 puts
 *   the radio online.
 * - SIMCom SIM800 rejects +CNMI with ds=2 and boots with RDY, Call Ready,
 *   SMS Ready (handled as reboot signals by the URC classifier).
 * - Quectel (EC25/EG25) prints RDY after a reset and forgets +CNMI: the
 *   driver re-initialises on any boot URC.
 */
#include <string.h>
#include <strings.h>

#include "modem_int.h"

static const struct modem_quirks modem_quirks_table[] = {
	{
		.name = "huawei",
		.manufacturer = "huawei",
		.init = { "AT^CURC=0", NULL },
		.ignore = { "^RSSI:", "^MODE:", "^SRVST:", "^BOOT:",
		    "^DSFLOWRPT:", NULL },
		.index_base = 0,
		.ussd_req = USSD_REQ_PACKED_HEX,
		.ussd_str = USSD_STR_PACKED_HEX,
		.cmgl_hangs = 1,
		.reset = "AT+CFUN=1,1",
	},
	{
		.name = "zte",
		.manufacturer = "zte",
		.init = { "AT+ZCDRUN=8", "AT+ZOPRT=5", NULL },
		.ignore = { "+ZUSIMR:", "+ZEND", "+ZPASR:", NULL },
		.index_base = 0,
		.ussd_req = USSD_REQ_PLAIN,
		.ussd_str = USSD_STR_AUTO,
		.reset = "AT+CFUN=1,1",
	},
	{
		.name = "simcom",
		.manufacturer = "simcom",
		.model = "sim800",
		.init = { NULL },
		.ignore = { "DST:", "*PSUTTZ:", NULL },
		.index_base = 1,
		.ussd_req = USSD_REQ_PLAIN,
		.ussd_str = USSD_STR_AUTO,
		.no_ds2 = 1,
		.reset = "AT+CFUN=1,1",
	},
	{
		.name = "simcom",
		.manufacturer = "simcom",
		.init = { NULL },
		.ignore = { "DST:", "*PSUTTZ:", NULL },
		.index_base = 0,
		.ussd_req = USSD_REQ_PLAIN,
		.ussd_str = USSD_STR_AUTO,
		.reset = "AT+CFUN=1,1",
	},
	{
		.name = "quectel",
		.manufacturer = "quectel",
		.init = { NULL },
		.ignore = { "+QIND: \"csq\"", "+QUSIM:", NULL },
		.index_base = 0,
		.ussd_req = USSD_REQ_PLAIN,
		.ussd_str = USSD_STR_AUTO,
		.reset = "AT+CFUN=1,1",
	},
	{
		.name = "generic",
		.manufacturer = "",
		.init = { NULL },
		.ignore = { NULL },
		.index_base = 1,
		.ussd_req = USSD_REQ_PLAIN,
		.ussd_str = USSD_STR_AUTO,
		.reset = "AT+CFUN=1,1",
	},
};

static int
modem_quirks_contains(const char *hay, const char *needle)
{
	size_t	n = strlen(needle), i;

	if (n == 0)
		return 1;
	for (i = 0; hay[i] != '\0'; i++)
		if (strncasecmp(hay + i, needle, n) == 0)
			return 1;
	return 0;
}

const struct modem_quirks *
modem_quirks_find(const char *manufacturer, const char *model)
{
	size_t	i, n = sizeof modem_quirks_table /
		    sizeof modem_quirks_table[0];

	for (i = 0; i < n; i++) {
		const struct modem_quirks *q = &modem_quirks_table[i];
		if (!modem_quirks_contains(manufacturer, q->manufacturer))
			continue;
		if (q->model != NULL && !modem_quirks_contains(model,
		    q->model))
			continue;
		return q;
	}
	return &modem_quirks_table[n - 1];
}

int
modem_quirks_ignored(const struct modem_quirks *q, const char *line)
{
	size_t	i;

	if (q == NULL)
		return 0;
	for (i = 0; i < sizeof q->ignore / sizeof q->ignore[0] &&
	    q->ignore[i] != NULL; i++)
		if (strncmp(line, q->ignore[i], strlen(q->ignore[i])) == 0)
			return 1;
	return 0;
}
