/* bpf-mountwatch's user side. */
#ifndef WATCH_H
#define WATCH_H

#include <stddef.h>
#include <stdint.h>
#include <linux/types.h>

#include "jsonw.h"
#include "mountwatch.h"

/* A record's strings, located. */
struct mw_strings {
	const char	*p[MW_NSTR];
	size_t		 len[MW_NSTR];
};

/* One name for a value under mask, in the order a flag list is written. */
struct flagname {
	uint64_t	 mask, value;
	const char	*name;
};

extern const struct flagname ms_flags[], umount_flags[], clone_flags[],
    mount_attr_flags[], fsopen_flags[], fsmount_flags[], fspick_flags[],
    move_mount_flags[], open_tree_flags[], at_flags[];

const char	*sys_name(unsigned sys);
const char	*fsconfig_cmd_name(uint64_t cmd);
void		 mw_put_flags(struct jw *, const char *key, uint64_t v,
		    const struct flagname *);
uint64_t	 ms_strip_magic(uint64_t flags);
uint64_t	 mount_attr_to_ms(uint64_t attr);

/* Writing records (emit.c). */
extern int64_t	 wall_offset_ns;	/* CLOCK_REALTIME - CLOCK_BOOTTIME */
void	strs_locate(const struct mw_event *, size_t size, struct mw_strings *);
void	emit_event(const struct mw_event *, const struct mw_strings *);
void	emit_head(struct jw *, const char *event, const struct mw_event *,
	    const __u64 *seq);
void	emit_tail(struct jw *, const struct mw_event *, uint64_t latency_ns);
void	mw_put_time(struct jw *, const char *key, uint64_t boot_ns);
void	mw_put_u64(struct jw *, const char *key, uint64_t);

/* New-API sequences joined into one mount record (join.c). */
void	join_event(const struct mw_event *, const struct mw_strings *);
void	join_free(void);
extern unsigned long joined;

/* Cgroup ids and paths (cgroup.c). */
const char	*cgroup_path(uint64_t id);
int		 cgroup_resolve(const char *path, uint64_t *id, int *level);
void		 cgroup_free(void);

#endif
