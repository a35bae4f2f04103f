// Each object of the YAML files given, checked against the Kubernetes
// API schema of its kind: kubernetes-models' validators, generated from
// Kubernetes' own OpenAPI document (types, required fields, enums,
// formats), plus the fields it does not check: an unknown field, which
// an API server with strict field validation refuses.  Offline: the
// schemas are in node_modules (npm ci).  Exit 1 on any finding.
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import YAML from "yaml";

const require = createRequire(import.meta.url);
const models = path.dirname(require.resolve("kubernetes-models/package.json"));
let findings = 0;

function say(where, msg) {
	console.log(`${where}: ${msg}`);
	findings++;
}

// apps/v1 -> kubernetes-models/apps/v1; v1 -> kubernetes-models/v1
function classOf(apiVersion, kind) {
	try {
		return require(`kubernetes-models/${apiVersion}`)[kind];
	} catch {
		return undefined;
	}
}

// The fields of each interface the .d.ts files declare, to find those
// the schema does not have.  A file ends by naming its interface as the
// others import it: export { IContainer as IIoK8sApiCoreV1Container }.
const nodeModules = path.dirname(models);
const ifaces = new Map();

function dtsFile(from, spec) {
	const base = spec.startsWith(".") ? path.join(path.dirname(from), spec) :
	    path.join(nodeModules, spec);
	return fs.existsSync(`${base}.d.ts`) ? `${base}.d.ts` : path.join(base, "index.d.ts");
}

// The fields of the interface a file exports as name: field -> type.
function fieldsOf(file, name) {
	const key = `${file}#${name}`;
	if (ifaces.has(key))
		return ifaces.get(key);
	const text = fs.readFileSync(file, "utf8");
	const alias = text.match(new RegExp(`(I\\w+) as ${name}\\b`));
	const local = alias ? alias[1] : name;
	const body = text.match(new RegExp(`export interface ${local}\\b[^{]*\\{([\\s\\S]*?)\\n\\}`));
	const imports = new Map();
	for (const m of text.matchAll(/import \{ ([^}]+) \} from "([^"]+)"/g))
		for (const n of m[1].split(",").map((x) => x.trim()))
			imports.set(n, dtsFile(file, m[2]));
	const fields = new Map();
	if (body)
		for (const m of body[1].matchAll(/^ {4}"([^"]+)"\??: ([^;\n]*)/gm))
			fields.set(m[1], m[2]);
	const it = { fields, imports };
	ifaces.set(key, it);
	return it;
}

function strict(value, file, name, where) {
	if (value === null || typeof value !== "object" || Array.isArray(value))
		return;
	const { fields, imports } = fieldsOf(file, name);
	if (fields.size === 0)
		return;			// not an interface it can read: not checked
	for (const [k, v] of Object.entries(value)) {
		if (!fields.has(k)) {
			say(where, `unknown field "${k}"`);
			continue;
		}
		const t = fields.get(k), inner = t.replace(/^Array<(.+)>$/, "$1");
		if (!imports.has(inner))
			continue;	/* a string, a number, a map */
		const items = t.startsWith("Array<") && Array.isArray(v) ? v : [v];
		items.forEach((x, i) => strict(x, imports.get(inner), inner,
		    items === v ? `${where}.${k}[${i}]` : `${where}.${k}`));
	}
}

for (const file of process.argv.slice(2)) {
	const docs = YAML.parseAllDocuments(fs.readFileSync(file, "utf8"));
	docs.forEach((doc, i) => {
		const obj = doc.toJS();
		const where = `${file}: ${obj?.kind ?? "?"}/${obj?.metadata?.name ?? i}`;
		if (doc.errors.length) {
			say(where, doc.errors[0].message);
			return;
		}
		const Kind = classOf(obj.apiVersion, obj.kind);
		if (!Kind) {
			say(where, `no schema for ${obj.apiVersion} ${obj.kind}`);
			return;
		}
		try {
			new Kind(obj).validate();
		} catch (e) {
			for (const err of e.errors ?? [e])
				say(where, `${err.instancePath || "(root)"} ${err.message}`);
		}
		const [group, version] = obj.apiVersion.includes("/") ?
		    obj.apiVersion.split("/") : ["", obj.apiVersion];
		strict(obj, path.join(models, group, version, `${obj.kind}.d.ts`),
		    `I${obj.kind}`, where);
	});
}
process.exit(findings ? 1 : 0);
