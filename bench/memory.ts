// The peak resident set of this process (VmHWM), which the servers in the bench report over IPC.
import { readFileSync } from 'node:fs';

export function peakMb(): number {
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    const kb = /VmHWM:\s+(\d+)/.exec(status)?.[1];
    return kb ? Number(kb) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}
