// Electron main-process entry: registers the TypeScript loader, then runs the real bootstrap.
import { register } from 'tsx/esm/api';

register();
await import('./index.ts');
