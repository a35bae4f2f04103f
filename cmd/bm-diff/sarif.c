/*
 * --format sarif: the changes as one SARIF 2.1.0 log, as code scanning
 * (GitHub, GitLab) reads it.  Each change is a result at the approved
 * model's file, the file a reviewer would change to approve it: new
 * behaviour an error, an unused grant a note.  The change's own object,
 * as the NDJSON output has it, is the result's property bag.
 */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "diff.h"
#include "hash.h"
#include "out.h"
#include "util.h"

static cJSON	*results;	/* NULL: NDJSON, not SARIF */
static const char *approved;	/* its path */

void
sarif_begin(const char *path)
{
	results = cJSON_CreateArray();
	approved = path;
}

static cJSON *
text(const char *s)
{
	cJSON *m = cJSON_CreateObject();

	cJSON_AddStringToObject(m, "text", s);
	return m;
}

/* A member's JSON, compact; "" if absent. */
static char *
json_of(const cJSON *c, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(c, key);

	return v != NULL ? cJSON_PrintUnformatted(v) : xstrdup("");
}

static const char *
str_of(const cJSON *c, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(c, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* What a reviewer reads first: the section, the entry, who and when. */
static char *
message(const cJSON *c, int is_new)
{
	char *entry = json_of(c, "entry"), *missing = json_of(c, "missing");
	const char *profile = str_of(c, "profile"), *program = str_of(c,
	    "program"), *section = str_of(c, "section");
	char *m = NULL;

	if (asprintf(&m, "%s %s: %s%s%s%s%s%s%s%s",
	    is_new ? "New behaviour in" : "Approved, unused, in",
	    section ? section : "?", entry,
	    cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(c, "denied")) ?
	    " (denied)" : "", profile ? ", profile " : "", profile ? profile :
	    "", program ? ", program " : "", program ? program : "",
	    *missing ? (is_new ? "; not granted: " : "; unused: ") : "",
	    missing) < 0)
		err(EXIT_FATAL, "asprintf");
	free(entry);
	free(missing);
	return m;
}

/* The approved file's path as a URI reference: unreserved bytes as they are. */
static char *
uri_of(const char *path)
{
	static const char ok[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789-._~/";
	char *u = xmalloc(3 * strlen(path) + 1), *q = u;

	for (; *path; path++)
		if (strchr(ok, *path) != NULL)
			*q++ = *path;
		else
			q += sprintf(q, "%%%02X", (unsigned char)*path);
	*q = '\0';
	return u;
}

static void
add_result(cJSON *c, const char *line, size_t len)
{
	int is_new = strcmp(str_of(c, "change") ? str_of(c, "change") : "",
	    "new") == 0;
	cJSON *r = cJSON_CreateObject(), *loc = cJSON_CreateObject(),
	    *phys = cJSON_CreateObject(), *art = cJSON_CreateObject(),
	    *reg = cJSON_CreateObject(), *fp = cJSON_CreateObject();
	char *m = message(c, is_new), *u = uri_of(approved), hex[17];

	cJSON_AddStringToObject(r, "ruleId", is_new ? "new-behaviour" :
	    "unused-grant");
	cJSON_AddNumberToObject(r, "ruleIndex", is_new ? 0 : 1);
	cJSON_AddStringToObject(r, "level", is_new ? "error" : "note");
	cJSON_AddItemToObject(r, "message", text(m));
	cJSON_AddStringToObject(art, "uri", u);
	cJSON_AddItemToObject(phys, "artifactLocation", art);
	cJSON_AddNumberToObject(reg, "startLine", 1);
	cJSON_AddItemToObject(phys, "region", reg);
	cJSON_AddItemToObject(loc, "physicalLocation", phys);
	cJSON_AddItemToObject(r, "locations", cJSON_CreateArray());
	cJSON_AddItemToArray(cJSON_GetObjectItem(r, "locations"), loc);
	/* the same change in the next run is the same alert */
	snprintf(hex, sizeof(hex), "%016llx",
	    (unsigned long long)hash_bytes(line, len, 0));
	cJSON_AddStringToObject(fp, "bmChange/v1", hex);
	cJSON_AddItemToObject(r, "partialFingerprints", fp);
	cJSON_AddItemToObject(r, "properties", c);
	cJSON_AddItemToArray(results, r);
	free(m);
	free(u);
}

/*
 * A change, its object open in w: written as a line, or kept for the
 * log.  The fingerprint is of the change without who and when, so that
 * a later run's same change keeps its alert.
 */
void
change_out(struct jw *w, size_t keylen)
{
	cJSON *c;

	if (results == NULL) {
		jw_end(w);
		return;
	}
	jw_raw(w, "}", 1);
	if ((c = cJSON_ParseWithLength(w->buf, w->len)) == NULL)
		errx(EXIT_FATAL, "a change that is not JSON: %.*s",
		    (int)w->len, w->buf);
	add_result(c, w->buf, keylen);
}

static cJSON *
rule(const char *id, const char *name, const char *brief,
    const char *level, const char *help)
{
	cJSON *r = cJSON_CreateObject(), *conf = cJSON_CreateObject();

	cJSON_AddStringToObject(r, "id", id);
	cJSON_AddStringToObject(r, "name", name);
	cJSON_AddItemToObject(r, "shortDescription", text(brief));
	cJSON_AddItemToObject(r, "fullDescription", text(help));
	cJSON_AddItemToObject(r, "help", text(help));
	cJSON_AddStringToObject(conf, "level", level);
	cJSON_AddItemToObject(r, "defaultConfiguration", conf);
	return r;
}

/* The log, whole, to the output. */
void
sarif_end(void)
{
	cJSON *log = cJSON_CreateObject(), *run = cJSON_CreateObject(),
	    *tool = cJSON_CreateObject(), *driver = cJSON_CreateObject(),
	    *rules = cJSON_CreateArray(), *runs = cJSON_CreateArray();
	char *s;

	cJSON_AddStringToObject(log, "$schema",
	    "https://json.schemastore.org/sarif-2.1.0.json");
	cJSON_AddStringToObject(log, "version", "2.1.0");
	cJSON_AddStringToObject(driver, "name", "bm-diff");
	cJSON_AddStringToObject(driver, "version", BM_VERSION);
	cJSON_AddStringToObject(driver, "semanticVersion", BM_VERSION);
	cJSON_AddItemToArray(rules, rule("new-behaviour", "NewBehaviour",
	    "Behaviour the approved model does not cover", "error",
	    "The workload did something its approved behaviour model does "
	    "not grant. Approve it by adding it to the model (bm-merge the "
	    "approved model with the new one), or find out why it happened."));
	cJSON_AddItemToArray(rules, rule("unused-grant", "UnusedGrant",
	    "Approved behaviour that nothing new exercised", "note",
	    "The approved model grants something the new run did not use: a "
	    "candidate to remove, if the run covered the workload."));
	cJSON_AddItemToObject(driver, "rules", rules);
	cJSON_AddItemToObject(tool, "driver", driver);
	cJSON_AddItemToObject(run, "tool", tool);
	cJSON_AddItemToObject(run, "results", results);
	cJSON_AddItemToArray(runs, run);
	cJSON_AddItemToObject(log, "runs", runs);
	if ((s = cJSON_PrintUnformatted(log)) == NULL)
		errx(EXIT_FATAL, "out of memory");
	out_write(s, strlen(s));
	out_write("\n", 1);
	free(s);
	cJSON_Delete(log);
	results = NULL;
}
