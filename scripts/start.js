// `npm start`: the desktop window where Electron is installed, otherwise browser mode with the
// URL printed. Electron is an optional dependency because its binary download fails offline.
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';

const require = createRequire(import.meta.url);

function electronBinary() {
  try {
    const path = require('electron'); // the package exports the binary's path
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

const binary = electronBinary();
const [command, args] = binary
  ? [binary, ['.']]
  : [process.execPath, ['bin/caplab.js', 'serve', ...process.argv.slice(2)]];
if (!binary) console.log('Electron is not installed here: starting browser mode.');
// The sandboxed preload is a bundle generated from electron/preload/index.ts: build it first.
if (binary && spawnSync(process.execPath, ['scripts/build-preload.js'], { stdio: 'inherit' }).status !== 0) process.exit(1);
const child = spawn(command, args, { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
