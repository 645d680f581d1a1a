// One config, three builds: `vite build --mode widget` (the embeddable widget), `--mode extension`
// (the MV3 extension from manifest.json, via @crxjs/vite-plugin) and `--mode demo` (the demo host
// app's page script). Each part keeps its build settings next to its code.
import { defineConfig } from 'vite';
import { extensionBuild } from './extension/build.config.ts';
import { demoBuild } from './mock-backend/demo/build.config.ts';
import { widgetBuild } from './widget/build.config.ts';

export default defineConfig(({ mode }) => {
  if (mode === 'extension') return extensionBuild();
  if (mode === 'demo') return demoBuild();
  return widgetBuild();
});
