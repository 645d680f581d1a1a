// Helpers of every lazily loaded part (support panel, users, organization): one copy, in the shared chunk.
/** Fills `{name}` placeholders; unknown ones stay as they are. */
export function format(template: string, vars: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (all, name: string) => (name in vars ? String(vars[name]) : all));
}

/** 3 B, 4.1 kB, 176 kB, 1.2 MB. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1_048_576) {
    const kb = bytes / 1024;
    return `${kb < 10 ? Math.round(kb * 10) / 10 : Math.round(kb)} kB`;
  }
  return `${Math.round(bytes / 104_857.6) / 10} MB`;
}
