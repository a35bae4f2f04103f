/* bm-profile: models read, checked, and written as every profile. */
#include <stdlib.h>

#include "../cmd/bm-profile/profile.h"
#include "fuzz.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
	static struct exec_for px = { "/bin/sh", "px" };
	struct opts o = { .exec_mode = "cx", .exec_for = &px, .nexec_for = 1,
	    .fine_network = 1, .abi4 = 1, .errno_ret = 1 };
	struct model *m = model_new();
	struct jw w = { 0 };
	char *name = NULL;

	model_keep_children(m);
	read_models(m, fuzz_file(data, n), &name);
	apparmor_profile(&w, m, "fuzz", &o);
	seccomp_profile(&w, m, &o);
	varmor_model(&w, m, "fuzz", NULL, R_CURRENT, &o);
	model_free(m);
	free(name);
	free(w.buf);
	return 0;
}
