// The launcher's stylesheet: the button and the theme properties it needs (the panel's stylesheet
// adds the rest). `all: initial !important` on :host wins over any page rule (inner !important beats
// outer) and stops inherited page styles (font, colour, line-height) at the shadow boundary; custom
// properties are not reset by `all`, so the page may still set `--support-kit-*` on <support-kit>.
export const LAUNCHER_CSS = `:host{all:initial!important;display:block!important;
--support-kit-accent:#0b57d0;--support-kit-accent-text:#fff;--support-kit-bg:#fff;--support-kit-fg:#1f1f1f;
--support-kit-danger:#b3261e;--support-kit-font:system-ui,sans-serif;--support-kit-z-index:2147483000;
--support-kit-inset-x:20px;--support-kit-inset-y:20px}
:host([data-scheme=dark]){--support-kit-accent:#a8c7fa;--support-kit-accent-text:#062e6f}
@media (prefers-color-scheme:dark){:host([data-scheme=system]){--support-kit-accent:#a8c7fa;--support-kit-accent-text:#062e6f}}
.b{all:initial;position:fixed;bottom:var(--support-kit-inset-y);right:var(--support-kit-inset-x);
z-index:var(--support-kit-z-index);display:flex;align-items:center;gap:8px;height:44px;padding:0 18px 0 14px;
border-radius:22px;background:var(--support-kit-accent);color:var(--support-kit-accent-text);
font:600 15px var(--support-kit-font);cursor:pointer;box-shadow:0 2px 10px #0005}
:host([data-position=bottom-left]) .b{right:auto;left:var(--support-kit-inset-x)}
.b:focus-visible{outline:3px solid var(--support-kit-accent);outline-offset:3px}
svg{width:20px;fill:currentColor}
.d{position:absolute;top:-6px;right:-6px;min-width:20px;padding:0 5px;border-radius:10px;
background:var(--support-kit-danger);color:#fff;font:700 12px/20px var(--support-kit-font)}
.d[hidden]{display:none}`;
