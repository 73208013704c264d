// Preload: exposes one `window.caplab` object. Sandboxed preloads must be CommonJS. The typed
// contract (generated from shared/ descriptors) arrives with the console issue.
const { contextBridge } = require('electron');

contextBridge.exposeInMainWorld('caplab', { version: '0.1.0', shell: 'electron' });
