/*
 * tests/fuzz/fuzz_conf.c — libFuzzer harness for the configuration parser.
 *
 * The input is a whole configuration file.  Whatever it holds, the parser
 * must return either a configuration whose every value is within its
 * documented range, or a non-empty list of "FILE:LINE: message" errors in
 * line order with nothing else left allocated (ASan's leak check).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
fuzz_conf_check(const struct conf *c)
{
	const struct conf_modem	*m;
	size_t			 i;

	if (c->database == NULL || c->database[0] != '/' ||
	    c->socket == NULL || strlen(c->socket) > 107 ||
	    c->organization == NULL || c->organization[0] == '\0' ||
	    c->contact == NULL || c->group == NULL ||
	    c->country < 1 || c->country > 999 ||
	    !conf_lang_valid(c->language) ||
	    c->validity < 300 || c->validity > 63 * 604800LL ||
	    c->encoding < CONF_ENC_SMART ||
	    c->encoding > CONF_ENC_STRIP_ACCENTS ||
	    c->autoreply_limit < 0 || c->autoreply_limit > 100 ||
	    (c->reports != 0 && c->reports != 1) ||
	    c->nmodems > CONF_MODEMS_MAX || c->nreplies > CONF_REPLIES_MAX)
		abort();
	for (i = 0; i < c->forward.n; i++) {
		if (c->forward.v[i][0] != '+')
			abort();
	}
	for (i = 0; i < c->kw_join.n; i++) {
		if (c->kw_join.v[i].word[0] == '\0' ||
		    (c->kw_join.v[i].lang[0] != '\0' &&
		    !conf_lang_valid(c->kw_join.v[i].lang)))
			abort();
	}
	for (i = 0; i < c->nreplies; i++) {
		if (!conf_lang_valid(c->replies[i].code) ||
		    conf_reply_find(c, c->replies[i].code) != &c->replies[i])
			abort();
	}
	for (i = 0; i < c->nmodems; i++) {
		m = &c->modems[i];
		if (m->device == NULL || m->device[0] != '/' ||
		    m->name[0] == '\0' || m->baud < 1200 ||
		    m->baud > 4000000 || m->spacing < 0 || m->spacing > 3600 ||
		    (m->reports != 0 && m->reports != 1) ||
		    (m->pin != NULL && (strlen(m->pin) < 4 ||
		    strlen(m->pin) > 8)))
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct conf	  c;
	char		**errors;
	size_t		  nerrors, i;
	const char	 *err;
	unsigned long	  line, prev = 0;

	if (conf_parse("fuzz.conf", (const char *)data, size, &c, &errors,
	    &nerrors) == 0) {
		if (errors != NULL || nerrors != 0)
			abort();
		fuzz_conf_check(&c);
		if (conf_add_modem(&c, "/dev/fuzz", &err) == 0)
			fuzz_conf_check(&c);
		conf_free(&c);
		return 0;
	}
	if (nerrors == 0 || nerrors > CONF_ERRORS_MAX || c.database != NULL)
		abort();
	for (i = 0; i < nerrors; i++) {
		if (strncmp(errors[i], "fuzz.conf:", 10) != 0)
			abort();
		line = strtoul(errors[i] + 10, NULL, 10);
		if (line < prev || line == 0)
			abort();
		prev = line;
	}
	conf_free_errors(errors, nerrors);
	return 0;
}
