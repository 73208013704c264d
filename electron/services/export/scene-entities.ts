/**
 * The twin's bodies as a `foxglove.SceneUpdate`: one entity per body, in the body's own frame
 * (so the `/tf` transforms move it), its geoms as cubes, spheres and cylinders — MuJoCo sizes are
 * half-extents, Foxglove's are full sizes. Capsules become a cylinder with a sphere at each end.
 */
import type { z } from 'zod';
import type { TwinGeom, TwinScene } from '../../../shared/ipc/contract.ts';
import type { Stamp } from './topics.ts';

type Scene = z.input<typeof TwinScene>;
type Geom = z.input<typeof TwinGeom>;

interface Primitives {
  cubes: object[];
  spheres: object[];
  cylinders: object[];
}

/** A plane is drawn as a thin slab; MuJoCo's infinite plane (size 0) as 2 m square. */
const PLANE_THICKNESS_M = 0.002;
const INFINITE_PLANE_M = 2;

function poseOf(geom: Geom, offsetAlongZ = 0): object {
  const [w, x, y, z] = geom.quatWxyz;
  // The offset is along the geom's own z axis (the capsule's ends): rotate (0, 0, d) by the quaternion.
  const d = offsetAlongZ;
  const dx = 2 * (x * z + w * y) * d;
  const dy = 2 * (y * z - w * x) * d;
  const dz = (1 - 2 * (x * x + y * y)) * d;
  return { position: { x: geom.posM[0] + dx, y: geom.posM[1] + dy, z: geom.posM[2] + dz }, orientation: { x, y, z, w } };
}

function addGeom(geom: Geom, into: Primitives): void {
  const [r, g, b, a] = geom.rgba;
  const color = { r, g, b, a };
  const s = geom.sizeM;
  const size = (x: number, y: number, z: number) => ({ x, y, z });
  switch (geom.type) {
    case 'box':
      into.cubes.push({ pose: poseOf(geom), size: size(2 * (s[0] ?? 0), 2 * (s[1] ?? 0), 2 * (s[2] ?? 0)), color });
      return;
    case 'plane': {
      const [hx = 0, hy = 0] = s;
      into.cubes.push({ pose: poseOf(geom), size: size(hx > 0 ? 2 * hx : INFINITE_PLANE_M, hy > 0 ? 2 * hy : INFINITE_PLANE_M, PLANE_THICKNESS_M), color });
      return;
    }
    case 'sphere':
      into.spheres.push({ pose: poseOf(geom), size: size(2 * (s[0] ?? 0), 2 * (s[0] ?? 0), 2 * (s[0] ?? 0)), color });
      return;
    case 'ellipsoid':
      into.spheres.push({ pose: poseOf(geom), size: size(2 * (s[0] ?? 0), 2 * (s[1] ?? s[0] ?? 0), 2 * (s[2] ?? s[0] ?? 0)), color });
      return;
    case 'cylinder':
    case 'capsule': {
      const [radius = 0, half = 0] = s;
      into.cylinders.push({ pose: poseOf(geom), size: size(2 * radius, 2 * radius, 2 * half), bottom_scale: 1, top_scale: 1, color });
      if (geom.type === 'capsule') {
        for (const end of [-half, half]) into.spheres.push({ pose: poseOf(geom, end), size: size(2 * radius, 2 * radius, 2 * radius), color });
      }
      return;
    }
  }
}

/** The scene's bodies as one SceneUpdate (entities frame-locked to their bodies' frames). */
export function sceneUpdateMessage(scene: Scene, stamp: Stamp): object {
  const entities = scene.bodies
    .filter((body) => body.geoms.length > 0)
    .map((body) => {
      const primitives: Primitives = { cubes: [], spheres: [], cylinders: [] };
      for (const geom of body.geoms) addGeom(geom, primitives);
      return {
        timestamp: stamp,
        frame_id: body.name,
        id: body.name,
        lifetime: { sec: 0, nsec: 0 },
        frame_locked: true,
        metadata: [
          { key: 'kind', value: body.kind },
          { key: 'arm', value: body.arm ?? '' },
        ],
        arrows: [],
        lines: [],
        triangles: [],
        texts: [],
        models: [],
        ...primitives,
      };
    });
  return { deletions: [], entities };
}
