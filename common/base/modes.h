/*
 * What --mode takes: the modes of AppArmor records (the apparmor=
 * field, or the record type 1501-1508) and the actions of seccomp
 * records.  Learning takes, by default, what a workload was let do.
 */
#ifndef BM_MODES_H
#define BM_MODES_H

extern const char *const apparmor_modes[];	/* by type, from 1501 */
extern const char *const seccomp_actions[];

/* The first word of list that is no mode or action of either, or NULL. */
const char *mode_unknown(char **list);

/* "AUDIT, ALLOWED, ... or kill_process, ...": for messages. */
extern const char	modes_known_text[];

#endif
