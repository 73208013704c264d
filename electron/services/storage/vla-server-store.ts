/**
 * The VLA policy servers configured in the console's settings, in the Caplab database
 * (migration 6), in the operator's order: the first is `run_vla`'s default. Each is kept as its
 * checked configuration (`shared/vla/config.ts`); a row that no longer parses is skipped.
 */
import type Database from 'better-sqlite3';
import { VlaServerConfig, type VlaServer, type VlaServerInput } from '../../../shared/vla/config.ts';
import type { RunStore } from './run-store.ts';

/** Reads and writes the configured servers in the run store's file. */
export class VlaServerStore {
  private readonly db: Database.Database;

  constructor(store: RunStore) {
    this.db = store.database;
  }

  /** Every configured server, the default first. */
  list(): VlaServer[] {
    const rows = this.db.prepare('SELECT json FROM vla_servers ORDER BY position, name').all() as { json: string }[];
    return rows.flatMap((row) => {
      const parsed = VlaServerConfig.safeParse(JSON.parse(row.json));
      return parsed.success ? [parsed.data] : [];
    });
  }

  /** Add a server (last) or replace the one of that name (in its place); returns it checked. */
  save(input: VlaServerInput): VlaServer {
    const server = VlaServerConfig.parse(input);
    const existing = this.db.prepare('SELECT position FROM vla_servers WHERE name = ?').get(server.name) as { position: number } | undefined;
    const last = (this.db.prepare('SELECT MAX(position) AS position FROM vla_servers').get() as { position: number | null }).position ?? -1;
    this.db.prepare('INSERT OR REPLACE INTO vla_servers (name, position, json) VALUES (?, ?, ?)').run(server.name, existing?.position ?? last + 1, JSON.stringify(server));
    return server;
  }

  /** Remove a server; false when there was none of that name. */
  remove(name: string): boolean {
    return this.db.prepare('DELETE FROM vla_servers WHERE name = ?').run(name).changes > 0;
  }

  /** Make a server the default (first). */
  makeDefault(name: string): boolean {
    const first = (this.db.prepare('SELECT MIN(position) AS position FROM vla_servers').get() as { position: number | null }).position ?? 0;
    return this.db.prepare('UPDATE vla_servers SET position = ? WHERE name = ?').run(first - 1, name).changes > 0;
  }
}
