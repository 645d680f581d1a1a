// The panel's stylesheet, adopted into the shadow root next to the launcher's. Sizes in px: the
// host page's root font size (hostile pages set 30px) must not scale the widget.
export const PANEL_CSS = `:host{--support-kit-danger:#b3261e;--support-kit-bg:#fff;--support-kit-fg:#1f1f1f;--support-kit-muted:#5f6368;--support-kit-border:#8e918f;--support-kit-radius:12px}
:host([data-scheme=dark]){--support-kit-bg:#1f1f1f;--support-kit-fg:#e3e3e3;--support-kit-muted:#c4c7c5;--support-kit-danger:#f2b8b5}
@media (prefers-color-scheme:dark){:host([data-scheme=system]){--support-kit-bg:#1f1f1f;--support-kit-fg:#e3e3e3;--support-kit-muted:#c4c7c5;--support-kit-danger:#f2b8b5}}
.root{font:14px/20px var(--support-kit-font);color:var(--support-kit-fg)}
.root *{box-sizing:border-box;font:inherit;color:inherit;margin:0;padding:0}
.dialog,.alert{position:fixed;right:var(--support-kit-inset-x);bottom:calc(var(--support-kit-inset-y) + 56px);
z-index:var(--support-kit-z-index);width:380px;max-width:calc(100vw - 24px);background:var(--support-kit-bg);
border:1px solid var(--support-kit-border);border-radius:var(--support-kit-radius);box-shadow:0 8px 32px #0004}
:host([data-position=bottom-left]) :is(.dialog,.alert){right:auto;left:var(--support-kit-inset-x)}
.dialog{max-height:calc(100vh - var(--support-kit-inset-y) - 72px);display:flex;flex-direction:column}
.head{display:flex;align-items:center;gap:8px;padding:10px 10px 10px 16px;border-bottom:1px solid var(--support-kit-border)}
h2{flex:1;font-size:16px!important;font-weight:650!important}
.body{overflow:auto;padding:14px 16px 16px!important}
.muted{color:var(--support-kit-muted)!important;font-size:13px!important}
.muted,input,select,textarea,.icon{font-weight:400!important}
.vh{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%)}
:focus-visible{outline:2px solid var(--support-kit-accent);outline-offset:2px}
.btn,.icon,.item{cursor:pointer;background:none;border:1px solid var(--support-kit-border);font-weight:600!important;
border-radius:8px}
.btn{min-height:36px;padding:0 14px!important}
.primary{background:var(--support-kit-accent);color:var(--support-kit-accent-text)!important;border-color:transparent}
[aria-disabled=true]{opacity:.6}
.icon{width:32px;height:32px;border:0;border-radius:16px;font-size:22px!important}
.item{display:grid;width:100%;padding:10px 12px!important;text-align:left;text-decoration:none}
.menu,.files,.users{list-style:none;display:grid;gap:6px}
.item-title{display:flex;align-items:center;gap:8px}.item-title .ico{flex:none}a.item .ico{margin-inline-start:auto;color:var(--support-kit-muted)}
.count{margin-inline-start:auto;padding:0 7px!important;border-radius:10px;background:var(--support-kit-accent);color:var(--support-kit-accent-text)!important;font-size:12px!important}
.item:hover{background:color-mix(in srgb,var(--support-kit-accent) 8%,var(--support-kit-bg))}.item:active{background:color-mix(in srgb,var(--support-kit-accent) 16%,var(--support-kit-bg))}
.note{margin-bottom:10px!important;padding:8px 10px!important;border-radius:6px;background:color-mix(in srgb,var(--support-kit-accent) 14%,var(--support-kit-bg))}
.form,.result,.attachments,.alert,.field{display:grid;gap:10px;justify-items:start}
.field{gap:4px;font-weight:600!important;font-size:13px!important;justify-items:stretch}
.row{display:flex;gap:10px}
.row .field{flex:1}
.form>*{width:100%}
input,select,textarea{padding:7px 9px!important;font-size:14px!important;border:1px solid var(--support-kit-border);
border-radius:6px;background:var(--support-kit-bg)}
select{height:36px}
textarea{resize:vertical;min-height:96px}
[aria-invalid=true]{border-color:var(--support-kit-danger)}
.field-error,.form-error,.alert-title{color:var(--support-kit-danger)!important;font-size:13px!important}
.form-error{padding:8px 10px!important;border:1px solid}
.email-fallback{display:flex!important;flex-direction:column!important;align-items:flex-start!important;gap:4px!important}
.email-fallback a.btn{text-decoration:none!important}
.files li{display:flex;align-items:center;gap:8px}
.file-name{flex:1;overflow:hidden;text-overflow:ellipsis}
.context{padding:10px!important;border-radius:6px;background:color-mix(in srgb,var(--support-kit-fg) 5%,var(--support-kit-bg))}
h3{font-size:13px!important;font-weight:650!important}
dl div{display:flex;gap:8px;font-size:12px!important}
dt{flex:0 0 92px;color:var(--support-kit-muted)!important}
dd{flex:1;overflow-wrap:anywhere}
.actions{display:flex;align-items:center;justify-content:space-between;position:sticky;bottom:-16px;z-index:1;
margin-bottom:-16px!important;padding:10px 0 16px!important;background:var(--support-kit-bg);border-top:1px solid var(--support-kit-border)}
.result-title,.alert-title{font-size:16px!important;font-weight:650!important}
.alert{padding:14px 16px!important;gap:6px;border-left:4px solid var(--support-kit-danger)}
.alert .row{flex-wrap:wrap}.btn{white-space:nowrap}
.alert.inline{position:static;width:100%;margin-bottom:12px!important;box-shadow:none}`;
