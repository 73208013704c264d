/**
 * The contact models a task's difficulty level picks (`contacts` in `shared/tasks.ts`), as MJCF
 * attributes. `caplab` is the model from before levels existed and must stay byte-for-byte the same
 * (`easy` reproduces the old scenes); `robosuite` copies the Panda fingertip pads, finger bodies and
 * object defaults of robosuite's XMLs (sources in `resources/tasks/README.md`); `worn` is robosuite's
 * with the pads' friction down to the finger body's, for `hard`.
 */
import type { ContactProfile } from '../../shared/tasks.ts';

/** MJCF attributes of the finger bodies, the pads, and the object class; the object's friction tail. */
export interface ContactAttributes {
  readonly finger: string;
  readonly pad: string;
  readonly object: string;
  /** Torsional and rolling friction after the object's sliding coefficient. */
  readonly objectFrictionTail: string;
}

export const CONTACT_PROFILES: Readonly<Record<ContactProfile, ContactAttributes>> = {
  caplab: {
    finger: 'friction="1.5 0.01 0.001"',
    pad: 'friction="2 0.02 0.002" condim="4" solimp="0.95 0.99 0.001"',
    object: 'condim="4"',
    objectFrictionTail: '0.01 0.001',
  },
  // robosuite/models/assets/grippers/panda_gripper.xml: finger collision solref 0.02 1, friction
  // 1 0.005 0.0001; fingertip pads solref 0.01 0.5, friction 2 0.05 0.0001 (solimp MuJoCo's default);
  // objects (robosuite/models/objects/objects.py defaults) solref 0.02 1, solimp 0.9 0.95 0.001.
  robosuite: {
    finger: 'friction="1 0.005 0.0001" solref="0.02 1"',
    pad: 'friction="2 0.05 0.0001" condim="4" solref="0.01 0.5" solimp="0.9 0.95 0.001"',
    object: 'condim="4" solref="0.02 1" solimp="0.9 0.95 0.001"',
    objectFrictionTail: '0.005 0.0001',
  },
  worn: {
    finger: 'friction="1 0.005 0.0001" solref="0.02 1"',
    pad: 'friction="1 0.005 0.0001" condim="4" solref="0.01 0.5" solimp="0.9 0.95 0.001"',
    object: 'condim="4" solref="0.02 1" solimp="0.9 0.95 0.001"',
    objectFrictionTail: '0.005 0.0001',
  },
};
