/*
 * A learning run's state: what it was asked to take, what it counted,
 * and the model it puts what it learns in.  Read by learn.c, learn_aa.c,
 * learn_mount.c and obs.c; set by the tools.
 */
#include <stddef.h>

#include "learn.h"

static char	*default_modes[] = { "ALLOWED", "DENIED", NULL };
struct learn_opts learn_opts = { EV_APPARMOR | EV_SECCOMP | EV_MOUNT |
		    EV_MODEL, default_modes, NULL, NULL, NULL, NULL, NULL, 1, 0 };
struct learn_stats learn_stats;
struct model	*learned;
