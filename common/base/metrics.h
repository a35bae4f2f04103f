/*
 * --metrics FILE: a run's figures for Prometheus, in the text format
 * that node_exporter's textfile collector reads.  Written when the
 * process exits, whatever its status, to a new file renamed over FILE:
 * a scrape sees the last run whole or the one before it.  Each tool
 * adds its own figures in fill(); every tool's file has
 *
 *   TOOL_last_run_duration_seconds, TOOL_last_run_exit_status,
 *   TOOL_last_run_timestamp_seconds and TOOL_last_success_timestamp_seconds
 *
 * (the end of the last run that exited 0, kept from the file across
 * runs that did not).
 */
#ifndef BM_METRICS_H
#define BM_METRICS_H

/* Checks now that FILE's directory takes it; prefix: "aa_evtparse". */
void	metrics_init(const char *path, const char *prefix,
	    void (*fill)(int status));
/*
 * One sample of the gauge PREFIX_name; labels, NULL or as
 * key="value",... with values that metric_label made.  A name's samples
 * come one after another.
 */
void	metric(const char *name, const char *help, const char *labels,
	    double value);
/* key="value", the value escaped as the text format wants; in buf. */
const char *metric_label(char *buf, size_t size, const char *key,
	    const char *value);

#endif
