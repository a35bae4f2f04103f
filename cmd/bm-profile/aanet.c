/*
 * Network, unix and dbus rules.  vArmor allows all of network unless
 * asked for detail; so do we, and --fine-network gives one rule per
 * domain and type seen (with --abi 4.0, also per address and port).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aastr.h"
#include "profile.h"
#include "util.h"

struct net {
	struct rules	*r;
	struct jw	 line;
	int		 abi4;
};

static void
put(struct jw *w, const char *s)
{
	jw_raw(w, s, strlen(s));
}

/* "network (perms) domain type": the start of both kinds of rule. */
static void
put_head(struct jw *w, cJSON *perms, const char *domain, const char *type)
{
	put(w, "network ");
	if (cJSON_GetArraySize(perms) > 0) {
		put_perms(w, perms, 1);
		put(w, " ");
	}
	put(w, domain);
	if (type != NULL) {
		put(w, " ");
		put(w, type);
	}
}

static void
socket_rule(struct ent *e, void *arg)
{
	struct net *c = arg;
	const char *domain = ent_word(e, "domain"), *type = ent_word(e, "type");
	cJSON *perms = ent_words(e, "permissions");

	if (e->bad || domain == NULL)
		return;
	put_head(&c->line, c->abi4 ? perms : NULL, domain, type);
	rules_add(c->r, &c->line);
}

static void
endpoint_rule(struct ent *e, void *arg)
{
	struct net *c = arg;
	const char *domain = ent_word(e, "domain"), *type = ent_word(e, "type");
	const char *addr = ent_str(e, "addr"), *peer = ent_str(e, "peerAddr");
	cJSON *perms = ent_words(e, "permissions");
	long long port, peer_port;
	int has_port = ent_num(e, "port", &port);
	int has_peer_port = ent_num(e, "peerPort", &peer_port);
	char num[24];

	if (e->bad || domain == NULL)
		return;
	put_head(&c->line, perms, domain, type);
	if (addr != NULL) {
		put(&c->line, " ip=");
		aa_literal(&c->line, addr);
	}
	if (has_port) {
		snprintf(num, sizeof(num), " port=%lld", port);
		put(&c->line, num);
	}
	if (peer != NULL || has_peer_port) {
		put(&c->line, " peer=(");
		if (peer != NULL) {
			put(&c->line, "ip=");
			aa_literal(&c->line, peer);
		}
		if (has_peer_port) {
			snprintf(num, sizeof(num), "%sport=%lld",
			    peer != NULL ? " " : "", peer_port);
			put(&c->line, num);
		}
		put(&c->line, ")");
	}
	rules_add(c->r, &c->line);
}

void
net_rules(const struct model *m, size_t n, struct rules *r, int abi4)
{
	struct net c = { r, { NULL, 0, 0, 0 }, abi4 };

	if (!opts.fine_network) {
		put(&c.line, "network");
		rules_add(r, &c.line);
	} else {
		each(m, n, "apparmor", "networks", "sockets", socket_rule, &c);
		if (abi4)
			each(m, n, "apparmor", "networks", "endpoints",
			    endpoint_rule, &c);
	}
	free(c.line.buf);
}

/* The peer's label is left out, as AppArmor's own tools do. */
static void
unix_rule(struct ent *e, void *arg)
{
	struct net *c = arg;
	const char *type = ent_word(e, "type"), *addr = ent_str(e, "addr");
	const char *peer = ent_str(e, "peerAddr");
	cJSON *perms = ent_words(e, "permissions");

	/* no permission named is every permission: leave it out */
	if (e->bad || cJSON_GetArraySize(perms) == 0)
		return;
	put(&c->line, "unix ");
	put_perms(&c->line, perms, 0);
	if (type != NULL) {
		put(&c->line, " type=");
		put(&c->line, type);
	}
	if (addr != NULL) {
		put(&c->line, " addr=");
		aa_literal(&c->line, addr);
	}
	if (peer != NULL) {
		put(&c->line, " peer=(addr=");
		aa_literal(&c->line, peer);
		put(&c->line, ")");
	}
	rules_add(c->r, &c->line);
}

static void
cond(struct jw *w, const char *key, const char *v)
{
	if (v == NULL)
		return;
	put(w, " ");
	put(w, key);
	put(w, "=");
	aa_literal(w, v);
}

/*
 * bind names the bus name taken, eavesdrop only the bus; send and
 * receive the object, interface, member and the peer's label.
 */
static void
dbus_rule(struct ent *e, void *arg)
{
	struct net *c = arg;
	const char *bus = ent_str(e, "bus"), *label = ent_str(e, "peerLabel");
	const char *name = ent_str(e, "name");
	cJSON *perms = ent_words(e, "permissions"), *msg = cJSON_CreateArray();

	if (e->bad)
		goto done;
	if (json_has(perms, "bind")) {
		put(&c->line, "dbus bind");
		cond(&c->line, "bus", bus);
		cond(&c->line, "name", name);
		rules_add(c->r, &c->line);
	}
	if (json_has(perms, "eavesdrop")) {
		put(&c->line, "dbus eavesdrop");
		cond(&c->line, "bus", bus);
		rules_add(c->r, &c->line);
	}
	if (json_has(perms, "receive"))
		cJSON_AddItemToArray(msg, cJSON_CreateString("receive"));
	if (json_has(perms, "send"))
		cJSON_AddItemToArray(msg, cJSON_CreateString("send"));
	if (cJSON_GetArraySize(msg) == 0)
		goto done;
	put(&c->line, "dbus ");
	put_perms(&c->line, msg, 0);
	cond(&c->line, "bus", bus);
	cond(&c->line, "path", ent_str(e, "path"));
	cond(&c->line, "interface", ent_str(e, "interface"));
	cond(&c->line, "member", ent_str(e, "member"));
	if (label != NULL) {
		put(&c->line, " peer=(label=");
		aa_literal(&c->line, label);
		put(&c->line, ")");
	}
	rules_add(c->r, &c->line);
done:
	cJSON_Delete(msg);
}

void
ipc_rules(const struct model *m, size_t n, struct rules *unix_,
    struct rules *dbus)
{
	struct net c = { unix_, { NULL, 0, 0, 0 }, 0 };

	each(m, n, "apparmor", NULL, "unix", unix_rule, &c);
	c.r = dbus;
	each(m, n, "apparmor", NULL, "dbus", dbus_rule, &c);
	free(c.line.buf);
}
