/* bm-merge and bm-diff: NDJSON events and models, learnt into a model. */
#include <stdlib.h>

#include "fuzz.h"
#include "jsonw.h"
#include "learn.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
	struct view v = { 0, 1 };
	struct jw w = { 0 };

	learn_opts.counts = 1;
	learned = model_new();
	model_keep_children(learned);
	ingest_file(fuzz_file(data, n));
	children_settle();
	model_put(&w, learned, &v);
	learn_free();
	free(w.buf);
	return 0;
}
