#include <stdio.h>

#include "fuzz.h"
#include "lineio.h"
#include "out.h"

/*
 * The input under a name that the line reader reads from memory
 * (lr_mem): the tools' own entry points, as for a file, without one
 * written and opened for each input.  The output goes to /dev/null.
 */
const char *
fuzz_file(const uint8_t *data, size_t n)
{
	static const char name[] = "fuzz-input";
	static int opened;

	if (!opened) {
		out_open("/dev/null");
		opened = 1;
	}
	lr_mem(name, data, n);
	return name;
}
