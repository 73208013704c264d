/**
 * The contact models a task's difficulty level picks (`contacts` in `shared/tasks.ts`), as MJCF
 * attributes. `caplab` is the model from before levels existed and must stay byte-for-byte the same
 * (`easy` reproduces the old scenes); `robosuite` copies the Panda fingertip pads, finger bodies and
 * object defaults of robosuite's XMLs (sources in `resources/tasks/README.md`); `rounded` (hard) puts
 * robosuite's numbers on a rounded pad with a small contact patch.
 */
import type { ContactProfile } from '../../shared/tasks.ts';

/** MJCF attributes of the finger bodies, the pads, and the object class; the object's friction tail. */
export interface ContactAttributes {
  readonly finger: string;
  readonly pad: string;
  readonly object: string;
  /** Torsional and rolling friction after the object's sliding coefficient. */
  readonly objectFrictionTail: string;
  /** The pad geom of a finger (`sign`: +1 for finger a, -1 for b; its inner face at y = 0). */
  readonly padGeom: (sign: number) => string;
}

/** A flat rubber pad: a box 18 × 25 mm, 5 mm thick (the contact patch is the whole overlap). */
const flatPad = (sign: number): string => `<geom class="pad" type="box" pos="0 ${sign * 0.0025} 0.045" size="0.009 0.0025 0.0125" mass="0.005"/>`;
/**
 * A rounded pad: a 10 mm radius cap whose contact is a small patch, so that what resists an object
 * turning about the closing axis is the patch's torsional friction, not the spread of a flat face.
 */
const roundPad = (sign: number): string => `<geom class="pad" type="sphere" pos="0 ${sign * 0.01} 0.045" size="0.01" mass="0.005"/>`;

export const CONTACT_PROFILES: Readonly<Record<ContactProfile, ContactAttributes>> = {
  caplab: {
    finger: 'friction="1.5 0.01 0.001"',
    pad: 'friction="2 0.02 0.002" condim="4" solimp="0.95 0.99 0.001"',
    object: 'condim="4"',
    objectFrictionTail: '0.01 0.001',
    padGeom: flatPad,
  },
  // robosuite/models/assets/grippers/panda_gripper.xml: finger collision solref 0.02 1, friction
  // 1 0.005 0.0001; fingertip pads solref 0.01 0.5, friction 2 0.05 0.0001 (solimp MuJoCo's default);
  // objects (robosuite/models/objects/objects.py defaults) solref 0.02 1, solimp 0.9 0.95 0.001.
  robosuite: {
    finger: 'friction="1 0.005 0.0001" solref="0.02 1"',
    pad: 'friction="2 0.05 0.0001" condim="4" solref="0.01 0.5" solimp="0.9 0.95 0.001"',
    object: 'condim="4" solref="0.02 1" solimp="0.9 0.95 0.001"',
    objectFrictionTail: '0.005 0.0001',
    padGeom: flatPad,
  },
  // robosuite's numbers on a rounded pad whose patch is ~2 mm across (torsional friction 0.002 m):
  // an object held off its centre of mass turns in the grasp, more so on a fast move.
  rounded: {
    finger: 'friction="1 0.005 0.0001" solref="0.02 1"',
    pad: 'friction="2 0.002 0.0001" condim="4" solref="0.01 0.5" solimp="0.9 0.95 0.001"',
    object: 'condim="4" solref="0.02 1" solimp="0.9 0.95 0.001"',
    objectFrictionTail: '0.005 0.0001',
    padGeom: roundPad,
  },
};
