/*
 * tests/tt.c — the runner behind tests/tt.h.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <time.h>

#include "tt.h"

int		 tt_failed_now;
static const char *tt_current;
static unsigned	 tt_seed_value;

void
tt_fail(const char *file, int line, const char *fmt, ...)
{
	va_list	ap;

	if (!tt_failed_now)
		fprintf(stderr, "FAIL %s\n", tt_current);
	tt_failed_now = 1;
	fprintf(stderr, "  %s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void
tt_hexdump(const char *label, const void *p, size_t n)
{
	const unsigned char	*b = p;
	size_t			 i;

	fprintf(stderr, "    %s:", label);
	for (i = 0; i < n; i++)
		fprintf(stderr, " %02x", b[i]);
	fputc('\n', stderr);
}

unsigned
tt_seed(void)
{
	return tt_seed_value;
}

static int
tt_selected(const char *name, int argc, char **argv)
{
	int	i;
	size_t	len;

	if (argc < 2)
		return 1;
	for (i = 1; i < argc; i++) {
		len = strlen(argv[i]);
		/* "decode/" selects a group, "decode/deliver" one test */
		if (len > 0 && argv[i][len - 1] == '/' &&
		    strncmp(name, argv[i], len) == 0)
			return 1;
		if (strcmp(name, argv[i]) == 0)
			return 1;
	}
	return 0;
}

int
tt_main(int argc, char **argv, const struct tt_case *cases)
{
	const struct tt_case	*c;
	const char		*s;
	int			 passed = 0, failed = 0, verbose;

	verbose = getenv("TT_VERBOSE") != NULL;
	if ((s = getenv("TT_SEED")) != NULL)
		tt_seed_value = (unsigned)strtoul(s, NULL, 10);
	else
		tt_seed_value = (unsigned)time(NULL);
	srand(tt_seed_value);

	for (c = cases; c->name != NULL; c++) {
		if (!tt_selected(c->name, argc, argv))
			continue;
		tt_current = c->name;
		tt_failed_now = 0;
		c->fn();
		if (tt_failed_now)
			failed++;
		else {
			passed++;
			if (verbose)
				fprintf(stderr, "ok %s\n", c->name);
		}
	}
	if (failed)
		fprintf(stderr, "%s: seed %u (rerun with TT_SEED=%u)\n",
		    argv[0], tt_seed_value, tt_seed_value);
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
