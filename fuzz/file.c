#include <err.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "fuzz.h"
#include "out.h"

/*
 * One file per process, rewritten for each input, in memory (/dev/shm):
 * on disk the writes halve the runs.  The output goes to /dev/null.
 */
const char *
fuzz_file(const uint8_t *data, size_t n)
{
	static char path[64];
	int fd;

	if (path[0] == '\0') {
		snprintf(path, sizeof(path), "/dev/shm/bm-fuzz.%ld", (long)getpid());
		out_open("/dev/null");
	}
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600)) < 0 ||
	    write(fd, data, n) != (ssize_t)n || close(fd) != 0)
		err(1, "%s", path);
	return path;
}
