// The launcher's stylesheet: the button and the theme properties it needs (the panel's stylesheet
// adds the rest). `all: initial !important` on :host wins over any page rule (inner !important beats
// outer) and stops inherited page styles (font, colour, line-height) at the shadow boundary; custom
// properties are not reset by `all`, so the page may still set `--support-kit-*` on <support-kit>.
// The icon's `content:"?"/""` gives it an empty alternative text: generated content is part of the
// button's accessible name, which must be its label alone ("Support", not "?Support"). The bytes that
// costs are won back by CSS2's one-colon `:before`/`:after` and the badge's font shorthand.
export const LAUNCHER_CSS = `:host{all:initial!important;
--support-kit-accent:#0b57d0;--support-kit-accent-text:#fff;--support-kit-font:system-ui,sans-serif;--support-kit-z-index:2147483000;
--support-kit-inset-x:20px;--support-kit-inset-y:20px}
:host([data-scheme=dark]){--support-kit-accent:#a8c7fa;--support-kit-accent-text:#062e6f}
@media (prefers-color-scheme:dark){:host([data-scheme=system]){--support-kit-accent:#a8c7fa;--support-kit-accent-text:#062e6f}}
.b{all:initial;position:fixed;bottom:var(--support-kit-inset-y);right:var(--support-kit-inset-x);
z-index:var(--support-kit-z-index);display:flex;align-items:center;gap:8px;height:44px;padding:0 16px;
border-radius:22px;background:var(--support-kit-accent);color:var(--support-kit-accent-text);
font:600 15px var(--support-kit-font);cursor:pointer;box-shadow:0 2px 10px #0005}
:host([data-position=bottom-left]) .b{right:auto;left:var(--support-kit-inset-x)}
.b:hover{opacity:.9}.b:active{opacity:.8}.b[aria-busy]{cursor:progress;opacity:.7}
.b:focus-visible{outline:3px solid var(--support-kit-accent);outline-offset:3px}
.b:before{content:"?"/"";padding:0 7px;border-radius:10px;background:var(--support-kit-accent-text);
color:var(--support-kit-accent)}
.b[data-count]:after{content:attr(data-count);position:absolute;top:-6px;right:-6px;padding:0 7px;border-radius:10px;
background:#b3261e;color:#fff;font:600 12px/20px var(--support-kit-font)}`;
