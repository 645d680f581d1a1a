// `vite build --mode demo`: the demo host app's page script, into dist/demo/demo.js.
import { resolve } from 'node:path';
import type { UserConfig } from 'vite';

export function demoBuild(): UserConfig {
  return {
    publicDir: false,
    build: {
      outDir: resolve(import.meta.dirname, '../../dist/demo'),
      emptyOutDir: true,
      target: 'es2022',
      rollupOptions: {
        input: resolve(import.meta.dirname, 'client/demo.ts'),
        output: { entryFileNames: 'demo.js', format: 'es' },
      },
    },
  };
}
