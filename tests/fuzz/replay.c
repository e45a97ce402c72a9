/*
 * tests/fuzz/replay.c — run a libFuzzer harness over its corpus without
 * libFuzzer, so "make check" replays every seed and past finding under
 * the sanitizers with any compiler.
 *
 * usage: replay_NAME DIR|FILE...
 */
#include <sys/stat.h>

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int
replay_file(const char *path)
{
	FILE	*f;
	uint8_t	*buf;
	long	 len;

	if ((f = fopen(path, "rb")) == NULL) {
		perror(path);
		return -1;
	}
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	fseek(f, 0, SEEK_SET);
	if (len < 0 || (buf = malloc((size_t)len + 1)) == NULL) {
		fclose(f);
		return -1;
	}
	if (len > 0 && fread(buf, 1, (size_t)len, f) != (size_t)len) {
		perror(path);
		free(buf);
		fclose(f);
		return -1;
	}
	fclose(f);
	LLVMFuzzerTestOneInput(buf, (size_t)len);
	free(buf);
	return 0;
}

int
main(int argc, char **argv)
{
	struct stat	 st;
	struct dirent	*de;
	DIR		*d;
	char		 path[4096];
	int		 i, n = 0, bad = 0;

	for (i = 1; i < argc; i++) {
		if (stat(argv[i], &st) == -1) {
			perror(argv[i]);
			bad++;
			continue;
		}
		if (!S_ISDIR(st.st_mode)) {
			bad += replay_file(argv[i]) != 0;
			n++;
			continue;
		}
		if ((d = opendir(argv[i])) == NULL) {
			perror(argv[i]);
			bad++;
			continue;
		}
		while ((de = readdir(d)) != NULL) {
			if (de->d_name[0] == '.')
				continue;
			if ((size_t)snprintf(path, sizeof path, "%s/%s",
			    argv[i], de->d_name) >= sizeof path) {
				bad++;
				continue;
			}
			bad += replay_file(path) != 0;
			n++;
		}
		closedir(d);
	}
	/* the whole corpus is one test: sanitizers abort on a finding */
	printf("replayed %d inputs\n", n);
	printf("%d passed, %d failed\n", bad ? 0 : 1, bad ? 1 : 0);
	return bad ? 1 : 0;
}
