/** `caplab skills list|show|export|search`: the skill library in the run store's database. */
import { writeFileSync } from 'node:fs';
import { RunStore } from '../services/storage/run-store.ts';
import { SkillStore, type Skill, type SkillStatus } from '../services/storage/skill-store.ts';
import { type CliIo, UsageError } from './args.ts';

/** Parsed `skills` options. */
export interface SkillsCommandOptions {
  db?: string;
  status?: string;
  out?: string;
}

const STATUSES: readonly SkillStatus[] = ['candidate', 'promoted', 'rejected'];

/** Execute `caplab skills`. */
export async function skillsCommand(options: SkillsCommandOptions & { positionals?: string[] }, io: CliIo): Promise<number> {
  const [verb = 'list', ...rest] = options.positionals ?? [];
  const status = options.status as SkillStatus | undefined;
  if (status && !STATUSES.includes(status)) throw new UsageError(`--status ${status}: expected ${STATUSES.join(', ')}`);
  const store = RunStore.open(options.db);
  try {
    const skills = new SkillStore(store);
    switch (verb) {
      case 'list':
        io.out.write(table(skills.list(status)));
        return 0;
      case 'search': {
        if (rest.length === 0) throw new UsageError('skills search needs words to look for');
        io.out.write(table(skills.search(rest.join(' '), { ...(status ? { status } : {}), limit: 20 })));
        return 0;
      }
      case 'show': {
        const name = rest[0];
        if (!name) throw new UsageError('skills show needs a skill name');
        const skill = skills.get(name);
        if (!skill) {
          io.err.write(`no skill named ${name}\n`);
          return 1;
        }
        io.out.write(showSkill(skill, skills));
        return 0;
      }
      case 'export': {
        const chosen = skills.list(status ?? 'promoted');
        const text = `# Caplab skill library export (${chosen.length} ${status ?? 'promoted'} skills, ${new Date().toISOString()})\n\n` +
          chosen.map((s) => `# ${s.name} v${s.version} · from ${s.task ?? '?'} (run ${s.runId ?? '?'}, ${s.model ?? '?'}) · ${s.successes}/${s.trials} trials\n${s.source}`).join('\n\n');
        if (options.out) {
          writeFileSync(options.out, text);
          io.out.write(`wrote ${chosen.length} skills to ${options.out}\n`);
        } else io.out.write(text);
        return 0;
      }
      default:
        throw new UsageError(`skills ${verb}: expected list, show NAME, search TEXT or export`);
    }
  } finally {
    store.close();
  }
}

function table(skills: readonly Skill[]): string {
  if (skills.length === 0) return 'no skills\n';
  const rows = skills.map((s) => [s.name, `v${s.version}`, s.status, `${s.successes}/${s.trials}`, s.task ?? '', s.description.split('\n')[0]!.slice(0, 60)]);
  const header = ['name', 'version', 'status', 'trials ok', 'from task', 'description'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return `${line(header)}\n${rows.map(line).join('\n')}\n`;
}

function showSkill(skill: Skill, store: SkillStore): string {
  const trials = store.trials(skill.name);
  return [
    `${skill.signature} · v${skill.version} · ${skill.status}`,
    `from task ${skill.task ?? '?'}, run ${skill.runId ?? '?'}, model ${skill.model ?? '?'}; created ${skill.createdAt}, updated ${skill.updatedAt}`,
    `trials: ${skill.successes}/${skill.trials} succeeded`,
    ...trials.map((t) => `  v${t.version} ${t.purpose} ${t.task} seed ${t.seed}: ${t.success ? 'success' : 'failed'} (${t.reason})`),
    `example: ${skill.example}`,
    '',
    skill.source,
  ].join('\n');
}
