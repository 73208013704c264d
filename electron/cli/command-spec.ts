/**
 * How a `caplab` command is declared: its options once (parsed with `node:util`'s `parseArgs` and
 * described in its `--help` from the same entries), its usage lines and examples, and the module
 * that runs it (loaded only when the command runs, so `caplab --help` starts nothing heavy).
 */
import type { ParseArgsConfig } from 'node:util';
import type { CliIo } from './args.ts';

/** One option: how it parses and how `--help` describes it. */
export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  /** What the value looks like in the help (`FILE`, `N`); strings only. */
  readonly value?: string;
  readonly help: string;
  /** The value used when the option is not given, as the help states it. */
  readonly default?: string;
  /** Whether the option may be given more than once (its value is then a list). */
  readonly multiple?: boolean;
}

/** A command: receives its parsed options (each command declares their shape). */
export type Handler = (values: never, io: CliIo) => Promise<number>;

/** A command as `caplab` knows it. */
export interface CommandSpec {
  /** One line for `caplab --help`. */
  readonly summary: string;
  /** Forms of the command line after `caplab <name>`. */
  readonly usage: readonly string[];
  readonly options: Readonly<Record<string, OptionSpec>>;
  /** Whether words without `--` are taken (`runs show 12`). */
  readonly positionals?: boolean;
  /** Whole command lines, each a copy-paste example. */
  readonly examples: readonly string[];
  /** Paragraphs after the options (exit codes, environment). */
  readonly notes?: readonly string[];
  readonly load: () => Promise<Handler>;
}

/** `--db FILE`, shared by every command that reads or writes the run store. */
export const DB_OPTION: Record<'db', OptionSpec> = {
  db: { type: 'string', value: 'FILE', help: 'the run store (SQLite)', default: '$CAPLAB_DB or ~/.caplab/caplab.db' },
};

/** `parseArgs`' option table for a command. */
export function parseOptions(spec: CommandSpec): NonNullable<ParseArgsConfig['options']> {
  return Object.fromEntries(Object.entries(spec.options).map(([name, option]) => [name, { type: option.type, ...(option.multiple ? { multiple: true } : {}) }]));
}

/** Whether a command line asks for help instead of running. */
export function wantsHelp(args: readonly string[]): boolean {
  return args.includes('--help') || args.includes('-h');
}

const HELP_OPTION: OptionSpec = { type: 'boolean', help: 'this help' };

function optionLines(spec: CommandSpec): string[] {
  const entries = [...Object.entries(spec.options), ['help', HELP_OPTION] as const];
  const flags = entries.map(([name, option]) => `--${name}${option.type === 'string' ? ` ${option.value ?? 'VALUE'}` : ''}`);
  const width = Math.max(...flags.map((flag) => flag.length));
  return entries.map(([, option], i) => `  ${flags[i]!.padEnd(width)}  ${option.help}${option.default === undefined ? '' : ` (default: ${option.default})`}`);
}

/** `caplab <name> --help`: usage, every option with its default, the notes and examples. */
export function renderCommandHelp(name: string, spec: CommandSpec): string {
  const sections = [
    `caplab ${name}: ${spec.summary}`,
    ['usage:', ...spec.usage.map((line) => `  caplab ${name} ${line}`.trimEnd())].join('\n'),
    ['options:', ...optionLines(spec)].join('\n'),
    ...(spec.notes ?? []),
    ['example:', ...spec.examples.map((line) => `  ${line}`)].join('\n'),
  ];
  return `${sections.join('\n\n')}\n`;
}

/** `caplab --help`: every command with its one-line summary. */
export function renderOverview(commands: Readonly<Record<string, CommandSpec>>): string {
  const names = Object.keys(commands);
  const width = Math.max(...names.map((name) => name.length));
  return [
    'usage: caplab <command> [options]',
    '',
    'commands:',
    ...names.map((name) => `  ${name.padEnd(width)}  ${commands[name]!.summary}`),
    '',
    "Each command's own usage, options and defaults: caplab <command> --help",
    '',
  ].join('\n');
}
