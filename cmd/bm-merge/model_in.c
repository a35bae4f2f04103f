/*
 * A whole model in, through the common reader: its entries are taken
 * as they are (paths were generalised when the model was made).  An
 * entry with a field of the wrong type is reported by its JSON path and
 * left out; the rest of the model still counts.
 */
#include "merge.h"

static void
take(struct obs *o, const char *where, void *arg)
{
	(void)where;
	(void)arg;
	model_add(merged, o);
}

int
ingest_model(cJSON *v, const struct src *src)
{
	struct model_src ms = { src->file, src->line, 0 };
	const char *name = model_name_of(v);

	if (model_read(v, &ms, take, NULL) < 0)
		return -1;
	stats.models++;
	if (name != NULL)
		offer_name(name);
	return 1;
}
