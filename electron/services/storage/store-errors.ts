/**
 * Errors of writing the store that the caller must act on: a full disk (or a database at its
 * size limit, SQLite's SQLITE_FULL) is not a bug of the run, it is the store refusing to keep
 * more. It carries a flag (`storeFull`), so the run can stop the robot and say why without
 * sorting errors by their text.
 */

/** The run store could not write: the disk (or the database's size limit) is full. */
export class StoreFullError extends Error {
  /** The flag every layer passes on. */
  readonly storeFull = true;

  constructor(
    readonly path: string,
    cause: Error,
  ) {
    super(`the run store is full: ${path}: ${cause.message} (free some space, or give another file with --db); what was written before is kept`, { cause });
    this.name = 'StoreFullError';
  }
}

/** True for the error a full store gives (flag, not text). */
export function isStoreFull(error: unknown): error is StoreFullError {
  return error instanceof Error && (error as { storeFull?: unknown }).storeFull === true;
}

/** SQLite's codes for a full disk or database (better-sqlite3 sets `code`), and the OS's. */
const FULL_CODES = new Set(['SQLITE_FULL', 'ENOSPC']);

/** Run a write; a full disk becomes a `StoreFullError` naming the file, other errors pass unchanged. */
export function guardWrite<T>(path: string, write: () => T): T {
  try {
    return write();
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && FULL_CODES.has(code) && error instanceof Error) throw new StoreFullError(path, error);
    throw error;
  }
}
