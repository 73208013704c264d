// Builds electron/preload/index.cjs (the sandboxed preload bundle) from electron/preload/index.ts.
// Run by `npm start` before Electron launches and by electron-builder (beforePack) before packaging.
import { register } from 'tsx/esm/api';

register();
const { writePreloadBundle } = await import('../electron/preload/build.ts');
const written = await writePreloadBundle();
console.log(`built ${written}`);
