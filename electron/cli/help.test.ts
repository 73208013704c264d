// `--help` as a user meets it: every command answers with its own usage, options, defaults and
// an example, and `caplab --help` lists the commands.
import { describe, expect, it } from 'vitest';
import { COMMANDS } from './commands.ts';
import { main } from './main.ts';
import { capture } from './test-io.ts';

async function help(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const c = capture();
  const code = await main(argv, c.io);
  return { code, out: c.out(), err: c.err() };
}

describe('caplab --help', () => {
  it('lists every command with a one-line summary', async () => {
    const { code, out } = await help('--help');
    expect(code).toBe(0);
    expect(out).toMatch(/^usage: caplab <command> \[options\]/);
    for (const name of Object.keys(COMMANDS)) expect(out).toMatch(new RegExp(`^  ${name} +\\S`, 'm'));
    expect(out).toContain('caplab <command> --help');
    expect((await help('-h')).out).toBe(out);
  });

  it('answers `caplab run --help` with the run usage, not an unknown option', async () => {
    const { code, out, err } = await help('run', '--help');
    expect(code).toBe(0);
    expect(err).toBe('');
    expect(out).toMatch(/^caplab run: one trial/);
    expect(out).toContain('caplab run --task T (--agent expert | --program FILE.py)');
    expect(out).toMatch(/^ {2}--seed S +the episode seed .*\(default: 0\)$/m);
    expect(out).toMatch(/^ {2}--robot R +.*\(default: sim\)$/m);
    expect(out).toMatch(/^ {2}--armed +the operator arms/m);
    expect(out).toContain('exit codes: 0 success, 1 task not achieved, 2');
    expect(out).toMatch(/^example:\n {2}caplab run --task cube-lift --agent expert/m);
  });

  for (const [name, spec] of Object.entries(COMMANDS)) {
    it(`caplab ${name} --help: usage, every option with its default, an example`, async () => {
      const { code, out } = await help(name, '--help');
      expect(code).toBe(0);
      expect(out.startsWith(`caplab ${name}: ${spec.summary}\n`)).toBe(true);
      expect(out).toContain(`usage:\n  caplab ${name}`);
      for (const [option, described] of Object.entries(spec.options)) {
        const line = out.split('\n').find((l) => l.startsWith(`  --${option} `) || l === `  --${option}`);
        expect(line, `--${option} in caplab ${name} --help`).toBeDefined();
        if (described.default !== undefined) expect(line).toContain(`(default: ${described.default})`);
      }
      expect(out).toMatch(new RegExp(`example:\\n  caplab ${name}\\b`));
      // The same answer wherever the flag stands, and as `caplab help <command>`.
      expect((await help(name, 'list', '-h')).out).toBe(out);
      expect((await help('help', name)).out).toBe(out);
    });
  }

  it('a mistake prints the command usage and a pointer to its help, exit 2', async () => {
    const { code, err } = await help('bench', '--trails', '3');
    expect(code).toBe(2);
    expect(err).toContain("Unknown option '--trails'");
    expect(err).toContain('caplab bench --tasks all|a,b');
    expect(err).toContain('caplab bench --help');
    expect((await help('help', 'nope')).code).toBe(2);
  });
});
