// Where the e2e tests find Chromium: CHROME_PATH, else Debian's /usr/bin/chromium.
// When it is missing and we are root, install it with apt (CI machines start without it);
// otherwise fail with a message that says how to install it.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const CHROMIUM_ARGS = [
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--disable-gpu',
];

export function chromiumPath(): string {
  return process.env.CHROME_PATH || '/usr/bin/chromium';
}

export function ensureChromium(): string {
  const path = chromiumPath();
  if (existsSync(path)) return path;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || process.env.CHROME_PATH) {
    throw new Error(
      `Chromium not found at ${path}. Install Debian's Chromium (sudo apt-get install -y chromium) or set CHROME_PATH.`,
    );
  }
  console.log('[e2e] Chromium missing: installing Debian package "chromium" with apt (about a minute)…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env });
  if (!existsSync(path)) throw new Error(`apt installed chromium but ${path} is still missing`);
  return path;
}
