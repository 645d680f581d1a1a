// The panel's stylesheet, adopted into the shadow root next to the launcher's. Sizes in px: the
// host page's root font size (hostile pages set 30px) must not scale the widget.
export const PANEL_CSS = `:host{--support-kit-muted:#5f6368;--support-kit-border:#8e918f;--support-kit-radius:12px}
:host([data-scheme=dark]){--support-kit-bg:#1f1f1f;--support-kit-fg:#e3e3e3;--support-kit-muted:#c4c7c5;
--support-kit-border:#8e918f;--support-kit-danger:#f2b8b5}
@media (prefers-color-scheme:dark){:host([data-scheme=system]){--support-kit-bg:#1f1f1f;--support-kit-fg:#e3e3e3;
--support-kit-muted:#c4c7c5;--support-kit-border:#8e918f;--support-kit-danger:#f2b8b5}}
.root{font:14px/20px var(--support-kit-font);color:var(--support-kit-fg);-webkit-font-smoothing:antialiased}
.root *{box-sizing:border-box;font:inherit;color:inherit;margin:0;letter-spacing:normal;text-transform:none}
.dialog,.alert{position:fixed;right:var(--support-kit-inset-x);z-index:var(--support-kit-z-index);
width:380px;max-width:calc(100vw - 24px);background:var(--support-kit-bg);border:1px solid var(--support-kit-border);
border-radius:var(--support-kit-radius);box-shadow:0 8px 32px rgba(0,0,0,.28)}
:host([data-position=bottom-left]) .dialog,:host([data-position=bottom-left]) .alert{right:auto;left:var(--support-kit-inset-x)}
.dialog{bottom:calc(var(--support-kit-inset-y) + 56px);max-height:calc(100vh - var(--support-kit-inset-y) - 72px);
display:flex;flex-direction:column;overflow:hidden}
.head{display:flex;align-items:center;gap:8px;padding:10px 10px 10px 16px;border-bottom:1px solid var(--support-kit-border)}
.head h2{flex:1;font-size:16px;font-weight:650;line-height:24px}
.body{overflow:auto;padding:14px 16px 16px}
.muted{color:var(--support-kit-muted);font-size:13px}
.vh{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
button,a,input,select,textarea{outline:none}
:focus-visible{outline:2px solid var(--support-kit-accent)!important;outline-offset:2px}
.btn{display:inline-flex;align-items:center;justify-content:center;min-height:36px;padding:0 14px;cursor:pointer;
border:1px solid var(--support-kit-border);border-radius:calc(var(--support-kit-radius) - 4px);
background:var(--support-kit-bg);font-weight:600}
.btn.primary{background:var(--support-kit-accent);color:var(--support-kit-accent-text);border-color:transparent}
.btn[aria-disabled=true],.btn:disabled{opacity:.6;cursor:default}
.icon{width:32px;height:32px;border:0;border-radius:16px;background:none;cursor:pointer;font-size:22px;line-height:32px;
text-align:center;padding:0}
.icon:hover,.item:hover{background:color-mix(in srgb,var(--support-kit-fg) 8%,transparent)}
.menu{list-style:none;padding:0;display:grid;gap:6px}
.item{display:flex;flex-direction:column;width:100%;padding:10px 12px;text-align:left;cursor:pointer;
border:1px solid var(--support-kit-border);border-radius:calc(var(--support-kit-radius) - 4px);background:none;
text-decoration:none}
.item-title{font-weight:600;color:var(--support-kit-fg)}
.note{margin:0 0 10px;padding:8px 10px;border-radius:6px;background:color-mix(in srgb,var(--support-kit-accent) 14%,var(--support-kit-bg))}
.menu+.note{margin:12px 0 0}
.form{display:grid;gap:10px}
.row{display:flex;gap:10px;flex-wrap:wrap}
.row .field{flex:1}
.field{display:grid;gap:4px;font-weight:600;font-size:13px}
input,select,textarea{width:100%;padding:7px 9px;font-weight:400!important;font-size:14px!important;
border:1px solid var(--support-kit-border);border-radius:6px;background:var(--support-kit-bg)}
select{height:36px}
textarea{resize:vertical;min-height:96px}
[aria-invalid=true]{border-color:var(--support-kit-danger)}
.field-error,.form-error{color:var(--support-kit-danger);font-size:13px}
.form-error{padding:8px 10px;border:1px solid var(--support-kit-danger);border-radius:6px}
.attachments{display:grid;gap:6px;justify-items:start}
.files{list-style:none;padding:0;width:100%}
.files li{display:flex;align-items:center;gap:8px}
.file-name{flex:1;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.context{padding:10px;border-radius:6px;background:color-mix(in srgb,var(--support-kit-fg) 5%,var(--support-kit-bg))}
.context h3{font-size:13px;font-weight:650;margin-bottom:4px}
.context dl div{display:flex;gap:8px;font-size:12px;line-height:18px}
.context dt{flex:0 0 92px;color:var(--support-kit-muted)}
.context dd{flex:1;min-width:0;overflow-wrap:anywhere}
.actions{display:flex;align-items:center;justify-content:space-between;gap:8px}
.result{display:grid;gap:10px;justify-items:start}
.result-title{font-size:16px;font-weight:650}
.alert{bottom:calc(var(--support-kit-inset-y) + 56px);padding:14px 16px;display:grid;gap:6px;
border-left:4px solid var(--support-kit-danger)}
.alert-title{font-weight:650;color:var(--support-kit-danger)}
.alert .row{margin-top:4px}
.alert.inline{position:static;width:auto;max-width:none;margin-bottom:12px;box-shadow:none}
.users{list-style:none;padding:0;display:grid;gap:6px}`;
