/**
 * A network camera's taught colours: its colour book (`native/perception/colour-teach.ts`), a
 * JSON file beside its calibration (`bench.json` → `bench.colours.json`, the file `caplab run
 * --colours` reads), read when the camera is added and written whole each time a colour is taught
 * or forgotten. A book that cannot be read is shown and never overwritten; teaching then waits
 * until it is fixed or removed. An uncalibrated camera has no book: only calibrated cameras'
 * runs perceive.
 */
import { existsSync } from 'node:fs';
import type { z } from 'zod';
import type { TaughtColourView } from '../../../shared/ipc/contract.ts';
import { IpcError } from '../../../shared/ipc/errors.ts';
import type { RgbImage } from '../../../native/drivers/camera/mjpeg-client.ts';
import { emptyColourBook, loadColourBook, saveColourBook, teachColour, TeachError, type ColourBook } from '../../../native/perception/colour-teach.ts';

type TaughtValue = z.input<typeof TaughtColourView>;

/** What teaching did: the colour learned, the one it replaced, and the book it is kept in. */
export interface TeachResult {
  readonly taught: TaughtValue;
  readonly replaced: TaughtValue | null;
  readonly coloursPath: string;
}

/** The colour book of a calibration file: `bench.json` → `bench.colours.json`. */
export function colourBookPath(calibrationPath: string): string {
  return `${calibrationPath.replace(/\.json$/i, '')}.colours.json`;
}

/** One camera's colour book. */
export class CameraColours {
  private book: ColourBook;
  /** Why the book on disk could not be read (null when it could, or there is none yet). */
  readonly problem: string | null = null;

  /** `path` null: an uncalibrated camera, which keeps no book. */
  constructor(
    private readonly camera: string,
    readonly path: string | null,
  ) {
    this.book = emptyColourBook(camera);
    if (!path || !existsSync(path)) return;
    try {
      this.book = loadColourBook(path);
    } catch (error) {
      this.problem = (error as Error).message;
    }
  }

  /** The taught colours, in the order taught. */
  list(): TaughtValue[] {
    return Object.values(this.book.colours);
  }

  /** The book for a run's perception; null when nothing is taught. */
  forPerception(): ColourBook | null {
    return Object.keys(this.book.colours).length > 0 ? this.book : null;
  }

  /**
   * Teach `object`'s colour from pixel `atPx` of `image` (the camera's newest frame); invalid_request
   * with the reason when the pixel has nothing to learn, not_available without a frame, without a
   * book (uncalibrated) or with an unreadable one, or when the disk refuses the file (the book
   * stays as it was).
   */
  teach(image: RgbImage | null, object: string, atPx: readonly [number, number]): TeachResult {
    const path = this.writable();
    if (!image) throw new IpcError('not_available', `network camera '${this.camera}' has no frame yet`);
    let taught;
    try {
      taught = teachColour(image, atPx, object);
    } catch (error) {
      if (error instanceof TeachError) throw new IpcError('invalid_request', `nothing taught: ${error.message}`);
      throw error;
    }
    const replaced = this.book.colours[object] ?? null;
    this.write(path, { ...this.book, colours: { ...this.book.colours, [object]: taught } });
    return { taught, replaced, coloursPath: path };
  }

  /** Forget `object`'s colour; not_found when none is taught. */
  forget(object: string): void {
    if (!this.book.colours[object]) {
      const taught = Object.keys(this.book.colours);
      throw new IpcError('not_found', `no colour of '${object}' is taught on network camera '${this.camera}'${taught.length ? `; taught: ${taught.join(', ')}` : ''}`);
    }
    const { [object]: _forgotten, ...rest } = this.book.colours;
    this.write(this.writable(), { ...this.book, colours: rest });
  }

  private writable(): string {
    if (!this.path) throw new IpcError('not_available', `network camera '${this.camera}' has no calibration: taught colours are kept beside the calibration file, and only a calibrated camera's runs perceive`);
    if (this.problem) throw new IpcError('not_available', `${this.problem}; fix or remove that file, then add the camera again`);
    return this.path;
  }

  private write(path: string, book: ColourBook): void {
    try {
      saveColourBook(path, book);
    } catch (error) {
      throw new IpcError('not_available', `cannot write the colour book ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}; nothing was changed`);
    }
    this.book = book;
  }
}
