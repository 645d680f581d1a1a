// Styles of the users and organization panels, adopted into their shadow root. px sizes only (the host
// page may set any root font size); colours from the widget's `--support-kit-*` custom properties, with
// the launcher's defaults as fallbacks so the panels also look right when mounted on their own.
// `.sk` starts from `all: initial`, so nothing the host page lets inherit (font, colour, letter
// spacing) reaches inside.
const v = (name: string, fallback: string) => `var(--support-kit-${name},${fallback})`;
const accent = v('accent', '#0b57d0');
const accentText = v('accent-text', '#fff');
const bg = v('bg', '#fff');
const fg = v('fg', '#1f1f1f');
const muted = v('muted', '#5f6368');
const border = v('border', '#c4c7c5');
const danger = v('danger', '#b3261e');
/** A boundary that must be seen (WCAG 1.4.11, 3:1): the confirmation's edge over the dimmed page. */
const edge = v('border', '#8e918f');
const radius = v('radius', '12px');
const font = v('font', 'system-ui,-apple-system,"Segoe UI",Roboto,sans-serif');

/** For a panel mounted into a host page element; the page may still style that element's box. */
// Dark follows the launcher's scheme (`data-scheme`, copied onto the element by mountInShadow).
const DARK =
  '--support-kit-bg:#1f1f1f;--support-kit-fg:#e3e3e3;--support-kit-muted:#c4c7c5;--support-kit-border:#8e918f;--support-kit-danger:#f2b8b5;--support-kit-accent:#a8c7fa;--support-kit-accent-text:#062e6f';
export const HOST_CSS = `:host{display:block}:host([data-scheme=dark]){${DARK}}
@media (prefers-color-scheme:dark){:host([data-scheme=system]){${DARK}}}`;

export const PANEL_CSS = `.sk{all:initial;display:block;font:14px/20px ${font};color:${fg};background:${bg};box-sizing:border-box;padding:16px;
text-align:start}
.sk.in{padding:0;background:none}
.sk *,.sk *::before,.sk *::after{box-sizing:border-box}
:where(.sk) h2{font-size:18px;line-height:24px;margin:0 0 12px}
:where(.sk) h3{font-size:15px;line-height:20px;margin:16px 0 8px}
:where(.sk) p{margin:0}
:where(.sk) ul{list-style:none;margin:0;padding:0}
.sk button,.sk input,.sk select{font:inherit;color:inherit}
.sk :focus-visible{outline:3px solid ${accent};outline-offset:2px}
.vh{position:absolute!important;width:1px;height:1px;margin:-1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.btn{min-height:32px;padding:4px 14px;border:1px solid ${border};border-radius:16px;background:${bg};cursor:pointer;
font-weight:600}
.btn.pri{background:${accent};color:${accentText};border-color:${accent}}
.btn.dgr{background:${danger};color:${bg};border-color:${danger}}
.btn:disabled{cursor:not-allowed;opacity:.55}
.tabs{display:flex;gap:4px;border-bottom:1px solid ${border};margin-bottom:12px}
.tab{padding:8px 12px;border:0;border-bottom:3px solid transparent;background:none;cursor:pointer;font-weight:600;
color:${muted}}
.tab[aria-selected=true]{color:${fg};border-bottom-color:${accent}}
.usage{display:flex;flex-wrap:wrap;gap:4px 12px;margin-bottom:8px}
.usage b{font-weight:600}
.mut{color:${muted};font-size:13px}
.row{display:flex;gap:12px;padding:10px 0;border-top:1px solid ${border}}
.row:first-child{border-top:0}
.row>div:first-child{flex:1;min-width:0;overflow-wrap:anywhere}
.row.pend{margin:0 -8px;padding:10px 8px;border-radius:8px;background:color-mix(in srgb,${accent} 9%,${bg});border-top:0}
.row.pend+.row{border-top:0}
.row[aria-busy=true]{opacity:.6}
.acts{display:flex;flex-direction:column;gap:6px;align-items:stretch}
.name{font-weight:600}
.tag{display:inline-block;margin-inline-start:6px;padding:0 8px;border-radius:10px;font-size:12px;line-height:18px;
font-weight:600;border:1px solid ${border};color:${fg};vertical-align:1px}
.pend .tag{background:${accent};color:${accentText};border-color:${accent}}
.oct{background:${bg}}
.ico{vertical-align:-2px;margin-inline-end:2px}.eye{fill:${bg}}
.rsn{margin-top:2px;white-space:pre-wrap;overflow-wrap:anywhere}
.clamp{display:-webkit-box;-webkit-box-orient:vertical;-webkit-line-clamp:3;overflow:hidden}
.lnk{padding:0;border:0;background:none;color:${accent};text-decoration:underline;cursor:pointer;font-size:13px}
.note{margin-top:4px;color:${muted};font-size:13px;font-style:italic}
.alert{display:flex;gap:8px;align-items:flex-start;margin-bottom:12px;padding:8px 12px;border:1px solid ${danger};
border-radius:8px;color:${danger};background:${bg}}
.alert p{flex:1}
.ok{margin-bottom:8px;color:${fg}}
.ok:empty{display:none}
.form{display:flex;flex-wrap:wrap;gap:8px;align-items:flex-end}
.form h3{width:100%;margin:16px 0 0}
.form label{display:flex;flex-direction:column;gap:2px;font-size:13px;font-weight:600}
.form input,.form select{min-height:32px;padding:4px 8px;border:1px solid ${border};border-radius:6px;background:${bg};
font-weight:400}
.form input{width:220px;max-width:100%}
.form [aria-invalid=true]{border-color:${danger}}
.err{width:100%;color:${danger}}
.log li{padding:8px 0;border-top:1px solid ${border}}
.log li:first-child{border-top:0}
.more{margin-top:8px}
.back{position:fixed;inset:0;z-index:2147483600;display:flex;align-items:center;justify-content:center;
background:rgba(0,0,0,.45)}
.dlg{width:min(420px,calc(100vw - 32px));padding:20px;border:1px solid ${edge};border-radius:${radius};background:${bg};color:${fg};
font:14px/20px ${font};box-shadow:0 8px 32px rgba(0,0,0,.35)}
.dlg h2{font-size:17px;line-height:24px;margin:0 0 8px}
.dlg p{margin:0 0 16px;overflow-wrap:anywhere}
.dlg .acts{flex-direction:row;justify-content:flex-end}
.sw{display:flex;align-items:center;gap:12px;padding:0;border:0;background:none;cursor:pointer;font-weight:600}
.sw:disabled{cursor:not-allowed}
.sw>span:first-child{position:relative;width:44px;height:24px;border-radius:12px;background:${muted};flex:none}
.sw>span:first-child::after{content:"";position:absolute;top:3px;left:3px;width:18px;height:18px;border-radius:50%;
background:${bg};transition:left .15s}
.sw[aria-checked=true]>span:first-child{background:${accent}}
.sw[aria-checked=true]>span:first-child::after{left:23px}
.expl{margin:12px 0 0}`;
