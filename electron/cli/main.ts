/**
 * The `caplab` command: the headless face of the app. Each sub-command is a thin adapter over
 * the services in `electron/services/`, declared in `commands.ts` (its options, usage and
 * examples, from which both the parser and its `--help` are made).
 */
import { parseArgs } from 'node:util';
import { type CliIo, UsageError } from './args.ts';
import { parseOptions, renderCommandHelp, renderOverview, wantsHelp, type CommandSpec } from './command-spec.ts';
import { COMMANDS } from './commands.ts';

/** The process's own I/O. */
function processIo(): CliIo {
  return {
    out: process.stdout,
    err: process.stderr,
    in: process.stdin,
    onInterrupt: (listener) => process.on('SIGINT', listener),
    offInterrupt: (listener) => process.off('SIGINT', listener),
  };
}

/** The usage lines of a command, printed after a mistake in its command line. */
function usageAfterMistake(name: string, spec: CommandSpec): string {
  return `usage:\n${spec.usage.map((line) => `  caplab ${name} ${line}`.trimEnd()).join('\n')}\n(caplab ${name} --help for every option and its default)\n`;
}

/** Run the CLI with `argv` (without node and script); resolves to the exit code. */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? rest[0] : undefined;
    const spec = topic === undefined ? undefined : COMMANDS[topic];
    io.out.write(spec ? renderCommandHelp(topic!, spec) : renderOverview(COMMANDS));
    return name && (topic === undefined || spec) ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.err.write(`caplab: unknown command '${name}'\n${renderOverview(COMMANDS)}`);
    return 2;
  }
  if (wantsHelp(rest)) {
    io.out.write(renderCommandHelp(name, command));
    return 0;
  }
  try {
    const { values, positionals } = parseArgs({ args: rest, options: parseOptions(command), strict: true, allowPositionals: command.positionals === true });
    const handler = await command.load();
    return await handler({ ...values, positionals } as never, io);
  } catch (error) {
    const isUsage = error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    io.err.write(`caplab ${name}: ${(error as Error).message}\n`);
    if (isUsage) io.err.write(usageAfterMistake(name, command));
    return 2;
  }
}
