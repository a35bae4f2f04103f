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

/* "network (perms) domain type": the start of both kinds of rule. */
static void
put_head(struct jw *w, const struct sset *perms, const char *domain,
    const char *type)
{
	jw_puts(w, "network ");
	if (perms != NULL && perms->n > 0) {
		put_perms(w, perms, 1);
		jw_puts(w, " ");
	}
	jw_puts(w, domain);
	if (type != NULL) {
		jw_puts(w, " ");
		jw_puts(w, type);
	}
}

static void
socket_rule(const struct ent *e, void *arg)
{
	struct net *c = arg;
	const char *domain = ent_str(e, "domain"), *type = ent_str(e, "type");
	const struct sset *perms = ent_set(e, "permissions");

	if (domain == NULL)
		return;
	put_head(&c->line, c->abi4 ? perms : NULL, domain, type);
	rules_add(c->r, &c->line);
}

static void
endpoint_rule(const struct ent *e, void *arg)
{
	struct net *c = arg;
	const char *domain = ent_str(e, "domain"), *type = ent_str(e, "type");
	const char *addr = ent_str(e, "addr"), *peer = ent_str(e, "peerAddr");
	const struct sset *perms = ent_set(e, "permissions");
	long long port, peer_port;
	int has_port = ent_num(e, "port", &port);
	int has_peer_port = ent_num(e, "peerPort", &peer_port);
	char num[24];

	if (domain == NULL)
		return;
	put_head(&c->line, perms, domain, type);
	if (addr != NULL) {
		jw_puts(&c->line, " ip=");
		aa_literal(&c->line, addr);
	}
	if (has_port) {
		snprintf(num, sizeof(num), " port=%lld", port);
		jw_puts(&c->line, num);
	}
	if (peer != NULL || has_peer_port) {
		jw_puts(&c->line, " peer=(");
		if (peer != NULL) {
			jw_puts(&c->line, "ip=");
			aa_literal(&c->line, peer);
		}
		if (has_peer_port) {
			snprintf(num, sizeof(num), "%sport=%lld",
			    peer != NULL ? " " : "", peer_port);
			jw_puts(&c->line, num);
		}
		jw_puts(&c->line, ")");
	}
	rules_add(c->r, &c->line);
}

void
net_rules(struct model *m, struct rules *r, const struct opts *o)
{
	struct net c = { r, { 0 }, o->abi4 };

	if (!o->fine_network) {
		jw_puts(&c.line, "network");
		rules_add(r, &c.line);
	} else {
		ent_each(m, S_SOCKETS, socket_rule, &c);
		if (o->abi4)
			ent_each(m, S_ENDPOINTS, endpoint_rule, &c);
	}
	free(c.line.buf);
}

/* The peer's label is left out, as AppArmor's own tools do. */
static void
unix_rule(const struct ent *e, void *arg)
{
	struct net *c = arg;
	const char *type = ent_str(e, "type"), *addr = ent_str(e, "addr");
	const char *peer = ent_str(e, "peerAddr");
	const struct sset *perms = ent_set(e, "permissions");

	/* no permission named is every permission: leave it out */
	if (perms->n == 0)
		return;
	jw_puts(&c->line, "unix ");
	put_perms(&c->line, perms, 0);
	if (type != NULL) {
		jw_puts(&c->line, " type=");
		jw_puts(&c->line, type);
	}
	if (addr != NULL) {
		jw_puts(&c->line, " addr=");
		aa_literal(&c->line, addr);
	}
	if (peer != NULL) {
		jw_puts(&c->line, " peer=(addr=");
		aa_literal(&c->line, peer);
		jw_puts(&c->line, ")");
	}
	rules_add(c->r, &c->line);
}

static void
cond(struct jw *w, const char *key, const char *v)
{
	if (v == NULL)
		return;
	jw_puts(w, " ");
	jw_puts(w, key);
	jw_puts(w, "=");
	aa_literal(w, v);
}

/*
 * bind names the bus name taken, eavesdrop only the bus; send and
 * receive the object, interface, member and the peer's label.
 */
static void
dbus_rule(const struct ent *e, void *arg)
{
	struct net *c = arg;
	const char *bus = ent_str(e, "bus"), *label = ent_str(e, "peerLabel");
	const char *name = ent_str(e, "name"), *words[2];
	const struct sset *perms = ent_set(e, "permissions");
	struct sset msg = { words, 0, 2 };

	if (sset_has(perms, "bind")) {
		jw_puts(&c->line, "dbus bind");
		cond(&c->line, "bus", bus);
		cond(&c->line, "name", name);
		rules_add(c->r, &c->line);
	}
	if (sset_has(perms, "eavesdrop")) {
		jw_puts(&c->line, "dbus eavesdrop");
		cond(&c->line, "bus", bus);
		rules_add(c->r, &c->line);
	}
	if (sset_has(perms, "receive"))
		words[msg.n++] = "receive";
	if (sset_has(perms, "send"))
		words[msg.n++] = "send";
	if (msg.n == 0)
		return;
	jw_puts(&c->line, "dbus ");
	put_perms(&c->line, &msg, 0);
	cond(&c->line, "bus", bus);
	cond(&c->line, "path", ent_str(e, "path"));
	cond(&c->line, "interface", ent_str(e, "interface"));
	cond(&c->line, "member", ent_str(e, "member"));
	if (label != NULL) {
		jw_puts(&c->line, " peer=(label=");
		aa_literal(&c->line, label);
		jw_puts(&c->line, ")");
	}
	rules_add(c->r, &c->line);
}

void
ipc_rules(struct model *m, struct rules *unix_, struct rules *dbus)
{
	struct net c = { unix_, { 0 }, 0 };

	ent_each(m, S_UNIX, unix_rule, &c);
	c.r = dbus;
	ent_each(m, S_DBUS, dbus_rule, &c);
	free(c.line.buf);
}
