// Renders an OpenAPI 3.1 document as one static HTML page: operations with their parameters,
// request bodies and responses, then the component schemas. Everything inline; no scripts.

type Obj = Record<string, unknown>;

const esc = (value: unknown) =>
  String(value).replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");

const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

const METHODS = ["get", "post", "put", "patch", "delete"] as const;

function refName(ref: string): string {
  return ref.split("/").pop() ?? ref;
}

function typeLabel(schema: Obj): string {
  if (typeof schema.$ref === "string") {
    const name = refName(schema.$ref);
    return `<a href="#schema-${esc(name)}">${esc(name)}</a>`;
  }
  if (Array.isArray(schema.anyOf) || Array.isArray(schema.oneOf)) {
    const list = ((schema.anyOf ?? schema.oneOf) as unknown[]).filter(isObj);
    return list.map(typeLabel).join(" | ");
  }
  let type = Array.isArray(schema.type) ? schema.type.join(" | ") : String(schema.type ?? "any");
  if (type === "array" && isObj(schema.items)) type = `${typeLabel(schema.items)}[]`;
  if (schema.format) type += ` (${esc(schema.format)})`;
  if (Array.isArray(schema.enum)) type += `: ${schema.enum.map((v) => esc(JSON.stringify(v))).join(", ")}`;
  if (schema.const !== undefined) type += ` = ${esc(JSON.stringify(schema.const))}`;
  return type;
}

function constraints(schema: Obj): string {
  const parts: string[] = [];
  for (const key of ["minLength", "maxLength", "minimum", "maximum", "minItems", "maxItems", "pattern", "default"]) {
    if (schema[key] !== undefined) parts.push(`${key} ${esc(JSON.stringify(schema[key]))}`);
  }
  return parts.length ? ` <span class="c">${parts.join(", ")}</span>` : "";
}

function renderSchema(schema: unknown, depth = 0): string {
  if (!isObj(schema)) return "";
  const props = isObj(schema.properties) ? schema.properties : null;
  const items = isObj(schema.items) ? schema.items : null;
  const head = `<code>${typeLabel(schema)}</code>${constraints(schema)}${schema.description ? ` — ${esc(schema.description)}` : ""}`;
  if (!props) {
    return items && isObj(items.properties) && depth < 6 ? `${head}${renderSchema(items, depth + 1)}` : head;
  }
  const required = new Set(Array.isArray(schema.required) ? schema.required : []);
  const rows = Object.entries(props)
    .map(([name, sub]) => {
      const s = isObj(sub) ? sub : {};
      const nested = isObj(s.properties) || (isObj(s.items) && isObj(s.items.properties));
      return `<li><b>${esc(name)}</b>${required.has(name) ? "" : " <i>optional</i>"}: ${
        nested && depth < 6 ? renderSchema(s, depth + 1) : `<code>${typeLabel(s)}</code>${constraints(s)}${s.description ? ` — ${esc(s.description)}` : ""}`
      }</li>`;
    })
    .join("");
  return `${depth === 0 ? "" : head}<ul>${rows}</ul>`;
}

function renderContent(content: unknown): string {
  if (!isObj(content)) return "";
  return Object.entries(content)
    .map(([type, media]) => `<div><code class="t">${esc(type)}</code> ${isObj(media) ? renderSchema(media.schema) : ""}</div>`)
    .join("");
}

function renderOperation(path: string, method: string, op: Obj): string {
  const id = `${method}-${path}`.replace(/[^a-zA-Z0-9]+/g, "-");
  const security = Array.isArray(op.security) && op.security.length
    ? op.security
        .map((s) =>
          isObj(s)
            ? Object.entries(s)
                .map(([scheme, scopes]) => (Array.isArray(scopes) && scopes.length ? `${scheme} (scope: ${scopes.join(", ")})` : scheme))
                .join(", ")
            : "",
        )
        .join(" or ")
    : "none";
  const params = Array.isArray(op.parameters) ? op.parameters.filter(isObj) : [];
  const body = isObj(op.requestBody) ? op.requestBody : null;
  const responses = isObj(op.responses) ? op.responses : {};
  return `<section class="op" id="${esc(id)}">
<h3><span class="m ${esc(method)}">${esc(method.toUpperCase())}</span> <code>${esc(path)}</code> ${op.summary ? `— ${esc(op.summary)}` : ""}</h3>
${op.description ? `<p>${esc(op.description)}</p>` : ""}
<p class="c">Auth: ${esc(security)}</p>
${params.length ? `<h4>Parameters</h4><ul>${params.map((p) => `<li><b>${esc(p.name)}</b> (${esc(p.in)}${p.required ? ", required" : ""}): ${isObj(p.schema) ? `<code>${typeLabel(p.schema)}</code>${constraints(p.schema)}` : ""}${p.description ? ` — ${esc(p.description)}` : isObj(p.schema) && p.schema.description ? ` — ${esc(p.schema.description)}` : ""}</li>`).join("")}</ul>` : ""}
${body ? `<h4>Request body${body.required ? "" : " (optional)"}</h4>${renderContent(body.content)}` : ""}
<h4>Responses</h4><ul>${Object.entries(responses)
    .map(([status, r]) => `<li><b>${esc(status)}</b> ${isObj(r) ? `${esc(r.description ?? "")} ${renderContent(r.content)}` : ""}</li>`)
    .join("")}</ul>
</section>`;
}

/** The whole page for an OpenAPI 3.1 document. */
export function renderDocsPage(doc: Obj): string {
  const info = isObj(doc.info) ? doc.info : {};
  const paths = isObj(doc.paths) ? doc.paths : {};
  const ops: { path: string; method: string; op: Obj }[] = [];
  for (const [path, item] of Object.entries(paths)) {
    if (!isObj(item)) continue;
    for (const method of METHODS) if (isObj(item[method])) ops.push({ path, method, op: item[method] as Obj });
  }
  const schemas = isObj(doc.components) && isObj(doc.components.schemas) ? doc.components.schemas : {};
  const toc = ops
    .map(({ path, method, op }) => {
      const id = `${method}-${path}`.replace(/[^a-zA-Z0-9]+/g, "-");
      return `<li><a href="#${esc(id)}"><span class="m ${esc(method)}">${esc(method.toUpperCase())}</span> ${esc(path)}</a> ${esc(op.summary ?? "")}</li>`;
    })
    .join("");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(info.title ?? "API")} — reference</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;max-width:960px;margin:2rem auto;padding:0 1rem;color:#1d2330}
code{font:13px ui-monospace,monospace;background:#f3f4f7;padding:0 3px;border-radius:3px}
h1{margin-bottom:0}.c{color:#5b6475;font-size:13px}.op{border-top:1px solid #dde1e8;padding:.5rem 0}
.m{display:inline-block;min-width:3.5em;text-align:center;font:bold 12px ui-monospace,monospace;color:#fff;border-radius:3px;padding:1px 4px}
.get{background:#2f7d4a}.post{background:#2457a6}.delete{background:#a62424}.put,.patch{background:#8a5a12}
ul{margin:.25rem 0;padding-left:1.25rem}a{color:#2457a6;text-decoration:none}
</style></head><body>
<h1>${esc(info.title ?? "API")}</h1><p class="c">Version ${esc(info.version ?? "")} · OpenAPI ${esc(doc.openapi ?? "")} · <a href="/openapi.json">openapi.json</a></p>
${info.description ? `<p>${esc(info.description)}</p>` : ""}
<h2>Operations</h2><ul>${toc}</ul>
${ops.map(({ path, method, op }) => renderOperation(path, method, op)).join("\n")}
<h2>Schemas</h2>
${Object.entries(schemas)
    .map(([name, schema]) => `<section class="op" id="schema-${esc(name)}"><h3>${esc(name)}</h3>${renderSchema(schema)}</section>`)
    .join("\n")}
</body></html>`;
}
