/*
 * gateway/conf_file.c — reading a configuration file for conf_parse(),
 * shared by the daemon and the CLI (conf.c itself does no I/O).
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "compat.h"
#include "conf.h"
#include "log.h"

#define CONF_FILE_MAX	(1024 * 1024)

int
conf_file_load(const char *path, int named, const char *prog,
    struct conf *c)
{
	FILE		*f;
	struct stat	 st;
	char		*buf, **errors;
	size_t		 len, nerrors, i;
	long		 n;

	conf_defaults(c);
	if ((f = fopen(path, "r")) == NULL) {
		if (!named && errno == ENOENT)
			return 0;	/* no file: the defaults */
		fprintf(stderr, "%s%s: %s: %s\n", log_prefix(LOG_ERR), prog,
		    path, strerror(errno));
		conf_free(c);
		return -1;
	}
	/* /dev/null or /dev/zero would read as "no settings": refused */
	if (fstat(fileno(f), &st) == -1 || !S_ISREG(st.st_mode) ||
	    fseek(f, 0, SEEK_END) == -1 || (n = ftell(f)) < 0 ||
	    n > CONF_FILE_MAX || fseek(f, 0, SEEK_SET) == -1) {
		fclose(f);
		fprintf(stderr, "%s%s: %s: not a configuration file (over %d "
		    "bytes, or not a regular file)\n", log_prefix(LOG_ERR),
		    prog, path, CONF_FILE_MAX);
		conf_free(c);
		return -1;
	}
	buf = xmalloc((size_t)n + 1);
	len = fread(buf, 1, (size_t)n, f);
	fclose(f);
	conf_free(c);
	if (conf_parse(path, buf, len, c, &errors, &nerrors) == -1) {
		for (i = 0; i < nerrors; i++)
			fprintf(stderr, "%s%s\n", log_prefix(LOG_ERR),
			    errors[i]);
		conf_free_errors(errors, nerrors);
		free(buf);
		conf_free(c);	/* whatever the parse had filled in */
		return -1;
	}
	free(buf);
	return 0;
}
