// "My tickets" on top of the support panel's stylesheet (panel/styles.ts), whose classes it reuses
// (item, btn, field, note, context, files): only what a list of tickets and a thread add.
export const TICKETS_CSS = `.views{display:flex;flex-wrap:wrap;gap:6px;min-width:0;margin-bottom:10px!important;border:0}
.views [aria-pressed=true]{background:var(--support-kit-accent);color:var(--support-kit-accent-text)!important;border-color:transparent}
.tickets .item{gap:2px}
.subj{overflow-wrap:anywhere}
.st{font-weight:600!important}
.st-waiting{color:var(--support-kit-accent)!important}
.thread{display:grid;gap:10px}
.thread>h3{font-size:15px!important}
.entries{list-style:none;display:grid;gap:8px}
.msg{padding:8px 10px!important;border-radius:8px;border:1px solid var(--support-kit-border)}
.msg.staff{background:color-mix(in srgb,var(--support-kit-accent) 8%,var(--support-kit-bg))}
.msg.queued{border-style:dashed}
.who{display:flex;flex-wrap:wrap;align-items:center;gap:4px}
.who .name,.msg>.name{font-weight:600!important}
.tag{display:inline-flex;align-items:center;padding:1px 4px!important;border-radius:8px;border:1px solid var(--support-kit-border)}
.eye{fill:var(--support-kit-bg)}
.text{white-space:pre-wrap;overflow-wrap:anywhere}
.line{padding:4px 10px!important;border-inline-start:3px solid var(--support-kit-border);font-size:13px!important;display:grid;gap:4px;justify-items:start}
.closed{display:grid;gap:8px;justify-items:start}
.solve{justify-self:start}`;
