// Helpers of every lazily loaded part (support panel, users, organization): one copy, in the shared chunk.
/** Fills `{name}` placeholders; unknown ones stay as they are. */
export function format(template: string, vars: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (all, name: string) => (name in vars ? String(vars[name]) : all));
}

export function formatBytes(bytes: number): string {
  return bytes >= 1_048_576 ? `${Math.round(bytes / 104_857.6) / 10} MB` : `${Math.ceil(bytes / 1024)} kB`;
}
