/** The twin's overlays: camera frusta, the safety workspace box, ghosts of the target poses. */
import * as THREE from 'three';
import type { z } from 'zod';
import type { TwinCamera, TwinScene } from '../../shared/ipc/contract.ts';

/** How far a drawn frustum reaches, m. */
const FRUSTUM_DEPTH_M = 0.18;

/** The 8 segments (16 points, camera frame, looking along −z) of a camera's frustum. */
export function frustumPoints(fovyDeg: number, aspect: number, depthM = FRUSTUM_DEPTH_M): Float32Array {
  const h = depthM * Math.tan((fovyDeg * Math.PI) / 360);
  const w = h * aspect;
  const corners = [
    [-w, -h, -depthM],
    [w, -h, -depthM],
    [w, h, -depthM],
    [-w, h, -depthM],
  ] as const;
  const points: number[] = [];
  for (let i = 0; i < 4; i += 1) {
    const a = corners[i]!;
    const b = corners[(i + 1) % 4]!;
    points.push(0, 0, 0, ...a, ...a, ...b);
  }
  return new Float32Array(points);
}

/** Line segments drawing one camera, placed at its world pose. */
export function buildFrustum(camera: z.output<typeof TwinCamera>, material: THREE.LineBasicMaterial): THREE.LineSegments {
  const geometry = new THREE.BufferGeometry();
  geometry.setAttribute('position', new THREE.BufferAttribute(frustumPoints(camera.fovyDeg, camera.aspect), 3));
  const lines = new THREE.LineSegments(geometry, material);
  lines.name = `camera:${camera.name}`;
  lines.position.set(...camera.positionM);
  const [w, x, y, z] = camera.quatWxyz;
  lines.quaternion.set(x, y, z, w);
  return lines;
}

/** Overlays of one scene; `dispose()` frees their GPU buffers. */
export class Overlays {
  readonly frusta = new THREE.Group();
  readonly workspace = new THREE.Group();
  readonly ghosts = new THREE.Group();
  private readonly lineMaterial = new THREE.LineBasicMaterial({ color: 0x3a86ff });
  private readonly boxMaterial = new THREE.LineBasicMaterial({ color: 0xf4a261 });
  private readonly ghostMaterial = new THREE.MeshLambertMaterial({ color: 0x2ec4b6, transparent: true, opacity: 0.45, depthWrite: false });
  private readonly ghostGeometry = new THREE.SphereGeometry(0.025, 12, 6);
  private readonly ghostFingerGeometry = new THREE.BoxGeometry(0.012, 0.012, 0.06);
  private readonly byArm = new Map<string, THREE.Group>();

  /** Rebuild frusta and the workspace box for a scene (ghosts are kept per arm name). */
  build(scene: z.output<typeof TwinScene>): void {
    this.clearGroup(this.frusta);
    this.clearGroup(this.workspace);
    for (const camera of scene.cameras) this.frusta.add(buildFrustum(camera, this.lineMaterial));
    const box = new THREE.Box3(new THREE.Vector3(...scene.workspace.minM), new THREE.Vector3(...scene.workspace.maxM));
    const helper = new THREE.Box3Helper(box);
    helper.material = this.boxMaterial;
    this.workspace.add(helper);
  }

  /** Show a ghost per target; arms without a target hide theirs. Allocates only for a new arm. */
  setTargets(targets: readonly { arm: string; positionM: readonly number[]; quatWxyz: readonly number[] }[]): void {
    for (const ghost of this.byArm.values()) ghost.visible = false;
    for (const target of targets) {
      const ghost = this.byArm.get(target.arm) ?? this.makeGhost(target.arm);
      ghost.position.set(target.positionM[0]!, target.positionM[1]!, target.positionM[2]!);
      ghost.quaternion.set(target.quatWxyz[1]!, target.quatWxyz[2]!, target.quatWxyz[3]!, target.quatWxyz[0]!);
      ghost.visible = true;
    }
  }

  private makeGhost(arm: string): THREE.Group {
    const ghost = new THREE.Group();
    ghost.name = `ghost:${arm}`;
    ghost.add(new THREE.Mesh(this.ghostGeometry, this.ghostMaterial));
    for (const side of [-1, 1]) {
      const finger = new THREE.Mesh(this.ghostFingerGeometry, this.ghostMaterial);
      finger.position.set(0, side * 0.04, -0.04);
      ghost.add(finger);
    }
    this.byArm.set(arm, ghost);
    this.ghosts.add(ghost);
    return ghost;
  }

  private clearGroup(group: THREE.Group): void {
    for (const child of [...group.children]) {
      group.remove(child);
      if (child instanceof THREE.LineSegments) child.geometry.dispose();
    }
  }

  dispose(): void {
    this.clearGroup(this.frusta);
    this.clearGroup(this.workspace);
    this.ghosts.clear();
    this.byArm.clear();
    for (const disposable of [this.lineMaterial, this.boxMaterial, this.ghostMaterial, this.ghostGeometry, this.ghostFingerGeometry]) disposable.dispose();
  }
}
