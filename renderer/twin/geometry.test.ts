import * as THREE from 'three';
import { describe, expect, it } from 'vitest';
import { applyPose, buildBody, buildGeometry, GeomCache, type Geom } from './geometry.ts';

const geom = (type: Geom['type'], sizeM: number[], rgba: [number, number, number, number] = [1, 0, 0, 1]): Geom => ({ type, sizeM, rgba, posM: [0, 0, 0], quatWxyz: [1, 0, 0, 0] });

function extent(geometry: THREE.BufferGeometry): THREE.Vector3 {
  geometry.computeBoundingBox();
  return geometry.boundingBox!.getSize(new THREE.Vector3());
}

describe('twin geometry', () => {
  it('turns MuJoCo half-sizes into full sizes', () => {
    const box = extent(buildGeometry(geom('box', [0.1, 0.2, 0.3])));
    expect([box.x, box.y, box.z].map((v) => +v.toFixed(6))).toEqual([0.2, 0.4, 0.6]);
  });

  it('lays capsules and cylinders along z as MuJoCo does', () => {
    const capsule = extent(buildGeometry(geom('capsule', [0.05, 0.2])));
    expect(capsule.z).toBeCloseTo(0.5, 5); // 2 × half-length + 2 × radius
    expect(capsule.x).toBeCloseTo(0.1, 5);
    const cylinder = extent(buildGeometry(geom('cylinder', [0.05, 0.2])));
    expect(cylinder.z).toBeCloseTo(0.4, 5);
  });

  it('draws an infinite plane as a finite one', () => {
    const plane = extent(buildGeometry(geom('plane', [0, 0, 0.1])));
    expect(plane.x).toBeGreaterThan(1);
    expect(plane.z).toBe(0);
  });

  it('shares geometry and material between equal geoms', () => {
    const cache = new GeomCache();
    const a = buildBody([geom('box', [0.02, 0.02, 0.02]), geom('sphere', [0.01])], cache);
    const b = buildBody([geom('box', [0.02, 0.02, 0.02])], cache);
    expect(cache.counts).toEqual({ geometries: 2, materials: 1 });
    expect((a.children[0] as THREE.Mesh).geometry).toBe((b.children[0] as THREE.Mesh).geometry);
    cache.dispose();
    expect(cache.counts).toEqual({ geometries: 0, materials: 0 });
  });

  it('applies a wxyz pose to three.js xyzw', () => {
    const object = new THREE.Object3D();
    const s = Math.SQRT1_2;
    applyPose(object, [9, 9, 9, 9, 9, 9, 9, 1, 2, 3, s, 0, 0, s], 7);
    expect(object.position.toArray()).toEqual([1, 2, 3]);
    expect(object.quaternion.toArray()).toEqual([0, 0, s, s]);
  });
});
