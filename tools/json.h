/*
 * tools/json.h — writing JSON to a stdio stream.
 *
 * A tiny writer, not a library: it keeps track of commas so callers emit
 * keys and values in order.  Strings are escaped (RFC 8259), and bytes
 * that are not valid UTF-8 are written as U+FFFD, so any input gives
 * valid JSON.
 */
#ifndef JSON_H
#define JSON_H

#include <stddef.h>
#include <stdio.h>

#define JSON_DEPTH	16

struct json {
	FILE	*f;
	int	 depth;
	int	 first[JSON_DEPTH];	/* no member written yet */
	int	 after_key;
};

void	json_init(struct json *, FILE *);
void	json_object_begin(struct json *);
void	json_object_end(struct json *);
void	json_array_begin(struct json *);
void	json_array_end(struct json *);
void	json_key(struct json *, const char *);
void	json_string(struct json *, const char *);
void	json_string_len(struct json *, const char *, size_t);
void	json_int(struct json *, long long);
void	json_bool(struct json *, int);
void	json_null(struct json *);
/* a number already formatted ("12.5"); anything else becomes null */
void	json_raw(struct json *, const char *);

/* key + value shorthands */
void	json_kv_string(struct json *, const char *, const char *);
void	json_kv_int(struct json *, const char *, long long);
void	json_kv_bool(struct json *, const char *, int);
void	json_kv_null(struct json *, const char *);

#endif
