/*
 * bpf-mountwatch records into bpf.mounts.  A new-API sequence arrives
 * both as its raw calls and as one joined "mount" record; only the
 * joined record is taken.
 */
#include <string.h>

#include "learn.h"
#include "util.h"

static int
mount_call(struct event *ev, const char *sc, const struct src *src, int *bad)
{
	struct obs *o;
	int flags = field_index(S_BPF_MOUNTS, "flags");

	int umount = strcmp(sc, "umount2") == 0 || strcmp(sc, "umount") == 0;

	if (strcmp(sc, "mount") != 0 && !umount &&
	    strcmp(sc, "pivot_root") != 0) {
		learn_stats.ignored++;	/* a step of a joined sequence */
		return 2;
	}
	learn_stats.mount++;
	o = obs_new(S_BPF_MOUNTS);
	if (umount) {		/* umount: 32-bit callers' oldumount */
		obs_set_val(o, "path", get_str(ev, M_TARGET, src, bad));
		obs_set_add(o, flags, "umount", 6);
	} else if (strcmp(sc, "pivot_root") == 0) {
		obs_set_val(o, "path", get_str(ev, M_NEW_ROOT, src, bad));
		obs_set_val(o, "source", get_str(ev, M_PUT_OLD, src, bad));
		obs_set_add(o, flags, "pivot_root", 10);
	} else {
		obs_set_val(o, "path", get_str(ev, M_TARGET, src, bad));
		obs_set_val(o, "type", get_str(ev, M_FSTYPE, src, bad));
		obs_set_val(o, "source", get_str(ev, M_SOURCE, src, bad));
		obs_set_val(o, "data", get_str(ev, M_DATA, src, bad));
		mount_flags_bpf(o, flags, event_member(ev, M_FLAGS), src, bad);
	}
	return *bad ? -1 : 1;
}

int
ingest_mount(struct event *ev, const struct src *src)
{
	const char *event = event_member(ev, M_EVENT)->s, *sc;
	int bad = 0;

	if (strcmp(event, "mount") != 0) {
		learn_stats.ignored++;	/* namespace changes, stats */
		return 2;
	}
	if ((sc = get_str(ev, M_SYSCALL, src, &bad)) == NULL) {
		if (!bad)
			bad_input(src->file, src->line,
			    "mount record without \"syscall\"");
		return -1;
	}
	return mount_call(ev, sc, src, &bad);
}
