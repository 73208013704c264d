/**
 * The reduced API's perception functions (tiers S3 and S4): atomic steps from camera images to
 * grasps. They exist only under perception grounding; images travel as `caplab.Image` objects.
 */
import type { ApiFunctionSpec, ParamSpec } from './types.ts';

const rgbParam = {
  name: 'rgb',
  type: { kind: 'image', channel: 'rgb' },
  description: "Colour image, e.g. get_observation()['rgb'].",
} as const satisfies ParamSpec;
const depthParam = {
  name: 'depth',
  type: { kind: 'image', channel: 'depth' },
  description: "Depth image (metres along the camera axis) of the same frame, e.g. get_observation()['depth'].",
} as const satisfies ParamSpec;
const maskParam = {
  name: 'mask',
  type: { kind: 'image', channel: 'mask' },
  description: 'Mask of the same frame (1 where the object is), from segment() or detect_objects().',
} as const satisfies ParamSpec;
const textParam = {
  name: 'text',
  type: { kind: 'string' },
  description: "What to find, by name, colour and shape words: 'red cube', 'nut handle', 'stain'.",
} as const satisfies ParamSpec;

/** Perception functions of the reduced API. */
export const PERCEPTION_API = [
  {
    name: 'segment',
    summary: 'Mask of the pixels showing what the text describes.',
    details: 'Colour and shape words select the object; every matching region is included. Raises LookupError when no object in the scene matches the words.',
    params: [rgbParam, textParam],
    returns: { pythonType: 'Image', description: 'uint8 mask, 1 on the object, same size as the image.' },
    levels: ['reduced'],
    grounding: 'perception',
    moves: false,
    examples: ["obs = get_observation()\nmask = segment(obs['rgb'], 'red cube')\nprint(mask.count_nonzero(), 'pixels')"],
  },
  {
    name: 'detect_objects',
    summary: 'Separate detections (one per visible region) of what the text describes.',
    params: [rgbParam, textParam],
    returns: {
      pythonType: 'list[dict]',
      description: "Largest first: {'label', 'box_px': [u0, v0, u1, v1], 'pixels', 'mask': Image}.",
    },
    levels: ['reduced'],
    grounding: 'perception',
    moves: false,
    examples: ["for d in detect_objects(obs['rgb'], 'stain'):\n    print(d['box_px'], d['pixels'])"],
  },
  {
    name: 'mask_to_points',
    summary: 'World-frame 3-D points of the masked pixels, from depth and the camera pose.',
    params: [depthParam, maskParam],
    returns: { pythonType: 'list[list[float]]', description: '[[x, y, z], ...] in m, world frame.' },
    levels: ['reduced'],
    grounding: 'perception',
    moves: false,
    examples: ["points = mask_to_points(obs['depth'], mask)"],
  },
  {
    name: 'get_oriented_bounding_box',
    summary: 'Box around points: centre, yaw about z, half sizes, top and bottom heights.',
    details: 'The yaw is that of the smallest rectangle around the top face, in [-45°, 45°].',
    params: [{ name: 'points', type: { kind: 'points' }, description: 'Points from mask_to_points().' }],
    returns: {
      pythonType: 'dict',
      description: "{'center_m': [x, y, z], 'yaw_rad', 'half_sizes_m': [a, b, c], 'top_m', 'bottom_m'}.",
    },
    levels: ['reduced'],
    grounding: 'perception',
    moves: false,
    examples: ["box = get_oriented_bounding_box(points)\nx, y, z = box['center_m']"],
  },
  {
    name: 'plan_grasp',
    summary: 'A top-down grasp for the masked object, from depth.',
    details: 'Jaws across the narrow side, 2 cm below the top (less for flat objects). The intrinsics argument documents which camera the depth came from.',
    params: [
      depthParam,
      { name: 'intrinsics', type: { kind: 'dict' }, description: "obs['intrinsics'] of the same frame." },
      maskParam,
      {
        name: 'arm',
        type: { kind: 'string', oneOf: ['left', 'right'] },
        description: 'Which arm will grasp (chooses between equivalent jaw directions).',
        default: 'left',
      },
    ],
    returns: { pythonType: 'tuple[list[float], list[float]]', description: '(position_m, quat_wxyz) of the gripper centre, world frame.' },
    levels: ['reduced'],
    grounding: 'perception',
    moves: false,
    examples: ["position_m, quat_wxyz = plan_grasp(obs['depth'], obs['intrinsics'], mask)"],
  },
] as const satisfies readonly ApiFunctionSpec[];
