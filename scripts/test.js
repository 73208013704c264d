// `npm test`: lint (layer rules), type checks (node and web), unit and integration tests
// (Vitest), the console's end-to-end tests (Vitest + Playwright driving Debian's Chromium in
// browser mode, vitest.e2e.config.ts), Python unit tests. Stops at the first failing step;
// prints a summary line. First the policy runtime's bytecode, as every process's first interpreter
// probe would write it (`native/runtime/python-interpreter.ts`): written here, no test's probe
// writes it while another test watches the package folder.
import { spawnSync } from 'node:child_process';

const steps = [
  ['bytecode', 'python3', ['-I', '-m', 'compileall', '-q', 'native/python/caplab']],
  ['lint', 'npx', ['eslint', '.', '--max-warnings', '0']],
  ['typecheck', 'npm', ['run', '--silent', 'typecheck']],
  ['vitest', 'npx', ['vitest', 'run']],
  ['e2e', 'npx', ['vitest', 'run', '--config', 'vitest.e2e.config.ts']],
  ['python', 'python3', ['-m', 'unittest', 'discover', '-s', 'native/python', '-p', 'test_*.py']],
];

let passed = 0;
for (const [name, command, args] of steps) {
  console.log(`\n── ${name}: ${command} ${args.join(' ')}`);
  const started = Date.now();
  const result = spawnSync(command, args, { stdio: 'inherit' });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    console.log(`\n── ${name} failed after ${seconds} s (exit ${result.status ?? result.signal})`);
    console.log(`test steps: ${passed} passed, 1 failed`);
    process.exit(1);
  }
  passed += 1;
  console.log(`── ${name} ok (${seconds} s)`);
}
console.log(`test steps: ${passed} passed, 0 failed`);
