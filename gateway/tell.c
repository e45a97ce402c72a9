/*
 * gateway/tell.c — texts from the gateway itself to its organizers: a SIM
 * low on credit, a locked-out number, a wipe about to run.
 *
 * The organizers are the forward numbers of the configuration and the
 * phones registered with "tambuli organizers add", each told once (a
 * number that is both gets one text).  These texts go at the organizers'
 * priority (ahead of every broadcast, urgent ones too) and as system
 * messages (an organizer who once texted STOP still hears from the
 * gateway about the gateway).
 */
#include <stdlib.h>
#include <string.h>

#include "compat.h"
#include "gateway.h"
#include "log.h"

struct tell_list {
	char	(*v)[24];
	size_t	  n, cap;
};

static void
tell_add(struct tell_list *l, const char *number)
{
	size_t	i;

	for (i = 0; i < l->n; i++) {
		if (strcmp(l->v[i], number) == 0)
			return;
	}
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 8;
		l->v = xreallocarray(l->v, l->cap, sizeof *l->v);
	}
	strlcpy(l->v[l->n++], number, sizeof l->v[0]);
}

static int
tell_add_organizer(const struct organizer *o, void *arg)
{
	tell_add(arg, o->number);
	return 0;
}

int
tell_organizers(struct gw *gw, const char *text, const char *except)
{
	struct tell_list	l = { NULL, 0, 0 };
	size_t			i;
	int			n = 0;

	for (i = 0; i < gw->conf->forward.n; i++)
		tell_add(&l, gw->conf->forward.v[i]);
	if (organizer_foreach(gw->db, tell_add_organizer, &l) == -1) {
		free(l.v);
		return -1;
	}
	for (i = 0; i < l.n; i++) {
		if (except != NULL && strcmp(l.v[i], except) == 0)
			continue;
		if (outbox_enqueue(gw->db, l.v[i], text, OUTBOX_SYSTEM,
		    OUTBOX_PRIO_ORGANIZER, gw_now(), NULL) == -1) {
			free(l.v);
			return -1;
		}
		n++;
	}
	free(l.v);
	return n;
}
