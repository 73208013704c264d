// electron-builder `beforePack` hook: builds the sandboxed preload bundle
// (electron/preload/index.cjs, not committed) so the package always carries a fresh one.
const { execFileSync } = require('node:child_process');
const { join } = require('node:path');

module.exports = async function beforePack() {
  execFileSync(process.execPath, [join(__dirname, 'build-preload.js')], { stdio: 'inherit', cwd: join(__dirname, '..') });
};
