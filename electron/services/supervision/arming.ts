/**
 * Arming: whether the operator lets a real arm move. The safety supervisor reads it on every
 * motion call, so a Disarm in the console during a run refuses the next motion at once.
 */

/** Where the supervisor reads the operator's arming (the console's safety state, or a fixed one). */
export interface ArmingSource {
  /** True while the operator has the robot armed. */
  isArmed(): boolean;
  /**
   * How many times the operator has armed it so far. An e-stop voids the arming in force: motion
   * waits for the next arming (this count moves on), even while `isArmed()` still says true.
   */
  armings(): number;
  /**
   * Hear each change of arming while it happens (a running supervisor logs it as a safety event
   * and halts a motion in flight on a disarm). Returns the function that stops listening.
   * A fixed arming never changes and has none.
   */
  onArmingChange?(listener: (armed: boolean, reason: string) => void): () => void;
}

/** An arming fixed for a whole run: `caplab run --armed` (Ctrl-C is its e-stop), or a dry run on an emulator. */
export function fixedArming(armed: boolean): ArmingSource {
  return { isArmed: () => armed, armings: () => (armed ? 1 : 0) };
}
