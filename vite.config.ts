// One config, two builds: `vite build --mode widget` (the embeddable widget) and
// `vite build --mode extension` (the MV3 extension from manifest.json, via @crxjs/vite-plugin).
// Each part keeps its build settings next to its code.
import { defineConfig } from 'vite';
import { extensionBuild } from './extension/build.config.ts';
import { widgetBuild } from './widget/build.config.ts';

export default defineConfig(({ mode }) => (mode === 'extension' ? extensionBuild() : widgetBuild()));
