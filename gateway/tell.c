/*
 * gateway/tell.c — texts from the gateway itself to its organizers: a SIM
 * low on credit, a locked-out number, a wipe about to run.
 *
 * The organizers are the forward numbers of the configuration.  These
 * texts go at the organizers' priority (ahead of every broadcast, urgent
 * ones too) and as
 * system messages (an organizer who once texted STOP still hears from
 * the gateway about the gateway).
 */
#include <string.h>

#include "gateway.h"
#include "log.h"

int
tell_organizers(struct gw *gw, const char *text, const char *except)
{
	size_t	i;
	int	n = 0;

	for (i = 0; i < gw->conf->forward.n; i++) {
		if (except != NULL &&
		    strcmp(gw->conf->forward.v[i], except) == 0)
			continue;
		if (outbox_enqueue(gw->db, gw->conf->forward.v[i], text,
		    OUTBOX_SYSTEM, OUTBOX_PRIO_ORGANIZER, gw_now(), NULL) == -1)
			return -1;
		n++;
	}
	return n;
}
