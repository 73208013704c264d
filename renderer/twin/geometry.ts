/**
 * Three.js geometry and materials for MuJoCo primitive geoms, shared: one geometry per distinct
 * (type, size) and one material per colour, so a workcell with two arms and ten objects builds a
 * few dozen GPU buffers however many bodies repeat them. MuJoCo capsules and cylinders run along
 * their local z; three.js builds them along y, so they are turned once at build time.
 */
import * as THREE from 'three';
import type { z } from 'zod';
import type { TwinGeom } from '../../shared/ipc/contract.ts';

/** A geom as the contract describes it. */
export type Geom = z.output<typeof TwinGeom>;

/** MuJoCo's "infinite" plane (size 0) drawn this large, m. */
const INFINITE_PLANE_HALF_M = 2;
const SEGMENTS = 16;

/** Cache key for a geom's shape. */
export function geomKey(geom: Geom): string {
  return `${geom.type}:${geom.sizeM.map((v) => v.toFixed(5)).join(',')}`;
}

const size = (geom: Geom, index: number, fallback: number): number => {
  const value = geom.sizeM[index];
  return value === undefined || !Number.isFinite(value) || value <= 0 ? fallback : value;
};

/** A new three.js geometry for a geom (MuJoCo half-sizes → full sizes). */
export function buildGeometry(geom: Geom): THREE.BufferGeometry {
  switch (geom.type) {
    case 'box':
      return new THREE.BoxGeometry(2 * size(geom, 0, 0.01), 2 * size(geom, 1, 0.01), 2 * size(geom, 2, 0.01));
    case 'sphere':
      return new THREE.SphereGeometry(size(geom, 0, 0.01), SEGMENTS, SEGMENTS / 2);
    case 'ellipsoid':
      return new THREE.SphereGeometry(1, SEGMENTS, SEGMENTS / 2).scale(size(geom, 0, 0.01), size(geom, 1, 0.01), size(geom, 2, 0.01));
    case 'capsule':
      return new THREE.CapsuleGeometry(size(geom, 0, 0.01), 2 * size(geom, 1, 0.01), 4, SEGMENTS).rotateX(Math.PI / 2);
    case 'cylinder':
      return new THREE.CylinderGeometry(size(geom, 0, 0.01), size(geom, 0, 0.01), 2 * size(geom, 1, 0.01), SEGMENTS).rotateX(Math.PI / 2);
    case 'plane':
      return new THREE.PlaneGeometry(2 * size(geom, 0, INFINITE_PLANE_HALF_M), 2 * size(geom, 1, INFINITE_PLANE_HALF_M));
  }
}

/** Shared geometries and materials; `dispose()` frees them all. */
export class GeomCache {
  private readonly geometries = new Map<string, THREE.BufferGeometry>();
  private readonly materials = new Map<string, THREE.Material>();

  geometry(geom: Geom): THREE.BufferGeometry {
    const key = geomKey(geom);
    let geometry = this.geometries.get(key);
    if (!geometry) {
      geometry = buildGeometry(geom);
      this.geometries.set(key, geometry);
    }
    return geometry;
  }

  material(rgba: readonly number[], ghost = false): THREE.Material {
    const [r = 0.7, g = 0.7, b = 0.7, a = 1] = rgba;
    const opacity = ghost ? 0.35 : a;
    const key = `${r},${g},${b},${opacity}`;
    let material = this.materials.get(key);
    if (!material) {
      material = new THREE.MeshLambertMaterial({ color: new THREE.Color(r, g, b), transparent: opacity < 1, opacity, depthWrite: opacity >= 1 });
      this.materials.set(key, material);
    }
    return material;
  }

  /** How many distinct GPU geometries and materials exist (for tests and stats). */
  get counts(): { geometries: number; materials: number } {
    return { geometries: this.geometries.size, materials: this.materials.size };
  }

  dispose(): void {
    for (const geometry of this.geometries.values()) geometry.dispose();
    for (const material of this.materials.values()) material.dispose();
    this.geometries.clear();
    this.materials.clear();
  }
}

/** Set an object's pose from 7 numbers (x y z qw qx qy qz) at `offset` — no allocation. */
export function applyPose(object: THREE.Object3D, poses: ArrayLike<number>, offset: number): void {
  object.position.set(poses[offset]!, poses[offset + 1]!, poses[offset + 2]!);
  object.quaternion.set(poses[offset + 4]!, poses[offset + 5]!, poses[offset + 6]!, poses[offset + 3]!);
}

/** Build a body's meshes (geoms placed in the body frame). */
export function buildBody(geoms: readonly Geom[], cache: GeomCache): THREE.Group {
  const group = new THREE.Group();
  for (const geom of geoms) {
    const mesh = new THREE.Mesh(cache.geometry(geom), cache.material(geom.rgba));
    mesh.position.set(...geom.posM);
    const [w, x, y, z] = geom.quatWxyz;
    mesh.quaternion.set(x, y, z, w);
    mesh.matrixAutoUpdate = false;
    mesh.updateMatrix();
    group.add(mesh);
  }
  return group;
}
