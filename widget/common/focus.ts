// Focus handling shared by the support dialog and the users panel's confirmation dialog.

export const FOCUSABLE =
  'a[href],button:not([disabled]),input:not([disabled]):not([hidden]),select,textarea,[tabindex="0"]';

/** Keeps Tab inside the modal `box`: past the last control to the first, Shift+Tab the other way. */
export function trapTab(e: KeyboardEvent, box: HTMLElement): void {
  if (e.key !== 'Tab') return;
  const all = [...box.querySelectorAll<HTMLElement>(FOCUSABLE)];
  const first = all[0];
  const last = all[all.length - 1];
  const active = (box.getRootNode() as Document | ShadowRoot).activeElement;
  if (e.shiftKey && (active === first || !box.contains(active))) {
    e.preventDefault();
    last?.focus();
  } else if (!e.shiftKey && (active === last || !box.contains(active))) {
    e.preventDefault();
    first?.focus();
  }
}
