#!/usr/bin/env node
// The `caplab` command. Registers the TypeScript loader, then runs the CLI (electron/cli/main.ts),
// which reuses the same services as the desktop app.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../electron/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
