// The API reference as one HTML page, rendered from the OpenAPI document (served at /docs). Plain
// HTML and CSS: no script, nothing fetched, so it works offline and under a CSP of `default-src
// 'none'`. Every string from the document is escaped; links go only to anchors of this page.
import { escapeHtml as esc } from './domain/emails.ts';

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

const schemaAnchor = (name: string) => `schema-${name.replace(/[^A-Za-z0-9_-]/g, '-')}`;
const operationAnchor = (method: string, path: string) =>
  `op-${method}-${path.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '')}`;

/** A schema in one line: a link for a reference, the type with its limits otherwise. */
function describe(schema: unknown): string {
  if (!isObj(schema)) return '';
  if (typeof schema.$ref === 'string') {
    const name = schema.$ref.replace('#/components/schemas/', '');
    return `<a href="#${schemaAnchor(name)}">${esc(name)}</a>`;
  }
  if (Array.isArray(schema.anyOf)) return schema.anyOf.map(describe).join(' | ');
  if ('const' in schema) return `<code>${esc(JSON.stringify(schema.const))}</code>`;
  if (Array.isArray(schema.enum))
    return schema.enum.map((v) => `<code>${esc(JSON.stringify(v))}</code>`).join(', ');
  const type = Array.isArray(schema.type) ? schema.type.join(' | ') : String(schema.type ?? 'any');
  if (type === 'array') return `array of ${describe(schema.items)}${limits(schema)}`;
  return `${esc(type)}${limits(schema)}`;
}

function limits(schema: Json): string {
  const facts: string[] = [];
  for (const key of [
    'minimum',
    'maximum',
    'minLength',
    'maxLength',
    'maxItems',
    'default',
    'format',
    'pattern',
  ])
    if (key in schema) facts.push(`${key} ${JSON.stringify(schema[key])}`);
  return facts.length ? ` <span class="m">(${esc(facts.join(', '))})</span>` : '';
}

function schemaTable(schema: Json): string {
  const properties = isObj(schema.properties) ? schema.properties : null;
  if (!properties || Object.keys(properties).length === 0)
    return `<p>${describe({ ...schema, description: undefined })}</p>`;
  const required = Array.isArray(schema.required) ? schema.required : [];
  const rows = Object.entries(properties)
    .map(
      ([name, s]) =>
        `<tr><td><code>${esc(name)}</code>${required.includes(name) ? '' : ' <span class="m">optional</span>'}</td><td>${describe(s)}</td></tr>`,
    )
    .join('');
  return `<table><thead><tr><th>field</th><th>type</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function operationHtml(path: string, method: string, op: Json): string {
  const parameters = Array.isArray(op.parameters) ? op.parameters.filter(isObj) : [];
  const params = parameters.length
    ? `<h4>Parameters</h4><table><tbody>${parameters
        .map(
          (p) =>
            `<tr><td><code>${esc(String(p.name))}</code> <span class="m">${esc(String(p.in))}${p.required ? ', required' : ''}</span></td><td>${describe(p.schema)}</td></tr>`,
        )
        .join('')}</tbody></table>`
    : '';
  const body = isObj(op.requestBody) ? op.requestBody : null;
  const bodySchema =
    body && isObj(body.content) ? (body.content['application/json'] as Json | undefined) : undefined;
  const bodyHtml = bodySchema
    ? `<h4>Body${body?.required ? '' : ' <span class="m">(may be left out)</span>'}</h4><p>${describe(bodySchema.schema)}</p>`
    : '';
  const responses = isObj(op.responses) ? op.responses : {};
  const answers = Object.entries(responses)
    .map(([status, r]) => {
      const response = isObj(r) ? r : {};
      const content = isObj(response.content) ? response.content : {};
      const types = Object.entries(content)
        .map(
          ([type, c]) => `${describe(isObj(c) ? c.schema : undefined)} <span class="m">${esc(type)}</span>`,
        )
        .join('<br>');
      return `<tr><td><code>${esc(status)}</code></td><td>${esc(String(response.description ?? ''))}</td><td>${types}</td></tr>`;
    })
    .join('');
  const tokenless = Array.isArray(op.security) && op.security.length === 0;
  return `<section class="op" id="${operationAnchor(method, path)}"><h3><span class="verb ${esc(method)}">${esc(method.toUpperCase())}</span> <code>${esc(path)}</code></h3>
<p>${esc(String(op.summary ?? ''))}${tokenless ? ' <span class="m">(no token)</span>' : ''}</p>${params}${bodyHtml}
<h4>Answers</h4><table><thead><tr><th>status</th><th>meaning</th><th>body</th></tr></thead><tbody>${answers}</tbody></table></section>`;
}

/** The whole page for an OpenAPI 3.1 document. */
export function renderReference(doc: Json): string {
  const info = isObj(doc.info) ? doc.info : {};
  const paths = isObj(doc.paths) ? doc.paths : {};
  const tags = Array.isArray(doc.tags) ? doc.tags.filter(isObj) : [];
  const components = isObj(doc.components) ? doc.components : {};
  const schemas = isObj(components.schemas) ? components.schemas : {};

  const byTag = new Map<string, string[]>();
  const index: string[] = [];
  for (const [path, item] of Object.entries(paths)) {
    if (!isObj(item)) continue;
    for (const method of METHODS) {
      const op = item[method];
      if (!isObj(op)) continue;
      const tag = Array.isArray(op.tags) && typeof op.tags[0] === 'string' ? op.tags[0] : 'Other';
      byTag.set(tag, [...(byTag.get(tag) ?? []), operationHtml(path, method, op)]);
      index.push(
        `<li><a href="#${operationAnchor(method, path)}"><span class="verb ${esc(method)}">${esc(method.toUpperCase())}</span> ${esc(path)}</a></li>`,
      );
    }
  }
  const sections = [...byTag.entries()]
    .map(([tag, ops]) => {
      const description = tags.find((t) => t.name === tag)?.description;
      return `<h2>${esc(tag)}</h2>${description ? `<p>${esc(String(description))}</p>` : ''}${ops.join('')}`;
    })
    .join('');
  const schemaSections = Object.entries(schemas)
    .map(([name, s]) => {
      const schema = isObj(s) ? s : {};
      const description = typeof schema.description === 'string' ? `<p>${esc(schema.description)}</p>` : '';
      return `<section id="${schemaAnchor(name)}"><h3>${esc(name)}</h3>${description}${schemaTable(schema)}</section>`;
    })
    .join('');

  const title = String(info.title ?? 'API reference');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2933;margin:0 auto;padding:1.5rem 1rem;max-width:64rem}
table{border-collapse:collapse;width:100%;margin:.3rem 0 1rem}td,th{padding:.35rem .5rem;text-align:left;vertical-align:top;border-bottom:1px solid #e4e7eb}
th{font-size:13px;color:#52606d}code{font-size:13px;overflow-wrap:anywhere}td:first-child{white-space:nowrap}a{color:#1f6feb}.m{color:#52606d;font-size:13px}
.op{border:1px solid #d9dde3;border-radius:8px;padding:.2rem 1rem;margin:1rem 0}h3{font-size:16px}h4{margin:.6rem 0 .2rem;font-size:14px}
.verb{display:inline-block;min-width:4.2em;font:600 12px/1.8 ui-monospace,monospace;text-align:center;border-radius:4px;color:#fff;background:#52606d}
.get{background:#1f6feb}.post{background:#1a7f37}.put{background:#9a6700}.patch{background:#8250df}.delete{background:#cf222e}
nav ul{columns:2 26rem;padding-left:1rem;font-size:14px}nav li{break-inside:avoid}
@media (prefers-color-scheme:dark){body{background:#0d1117;color:#e6edf3}.m,th{color:#9da7b3}td,th{border-color:#30363d}.op{border-color:#30363d}a{color:#58a6ff}}</style>
</head><body><header><h1>${esc(title)}</h1><p class="m">OpenAPI ${esc(String(doc.openapi ?? ''))}, version ${esc(String(info.version ?? ''))}. The document itself: <a href="/openapi.json">/openapi.json</a>.</p>
<p>${esc(String(info.description ?? ''))}</p></header>
<nav aria-label="Routes"><h2>Routes</h2><ul>${index.join('')}</ul></nav>
<main>${sections}<h2>Schemas</h2>${schemaSections}</main></body></html>`;
}
