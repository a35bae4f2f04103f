/* bm-advise: a rule catalog, read and checked whole. */
#include <stdlib.h>

#include "../cmd/bm-advise/advise.h"
#include "fuzz.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
	struct catalog c;
	char msg[1024];

	if (catalog_read(&c, cJSON_ParseWithLength((const char *)data, n),
	    "fuzz", msg, sizeof(msg)) == 0)
		catalog_free(&c);
	return 0;
}
