/**
 * The three.js twin: builds a workcell from the contract's scene description and moves its
 * bodies from pose arrays in a requestAnimationFrame loop, outside React. New poses only replace
 * a reference; the loop applies the newest once per frame with no allocation.
 */
import * as THREE from 'three';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';
import type { z } from 'zod';
import type { TwinScene } from '../../shared/ipc/contract.ts';
import type { ArmTwin } from './arm-twin.ts';
import { Overlays } from './decorations.ts';
import { applyPose, buildBody, GeomCache } from './geometry.ts';
import { DEFAULT_RESOLUTION_POLICY, nextPixelRatio, type ResolutionPolicy } from './resolution.ts';

/** The scene description. */
export type Scene = z.output<typeof TwinScene>;
/** Where each arm's gripper is headed. */
export type Targets = readonly { arm: string; positionM: readonly number[]; quatWxyz: readonly number[] }[];

/** What the overlays show. */
export interface TwinLayers {
  readonly frusta: boolean;
  readonly workspace: boolean;
  readonly ghost: boolean;
}

/** Frame statistics (`window.__caplabTwinStats` for the fps measurement). */
export interface TwinStats {
  frames: number;
  fps: number;
  bodies: number;
  /** Draw calls and triangles of the last frame (the budget that decides fps on SwiftShader). */
  drawCalls: number;
  triangles: number;
  /** Canvas size in CSS pixels, and the fraction rendered per axis (adaptive resolution). */
  widthPx: number;
  heightPx: number;
  pixelRatio: number;
}

export class TwinView {
  readonly stats: TwinStats = { frames: 0, fps: 0, bodies: 0, drawCalls: 0, triangles: 0, widthPx: 0, heightPx: 0, pixelRatio: 1 };
  private readonly renderer: THREE.WebGLRenderer;
  private readonly scene = new THREE.Scene();
  private readonly camera = new THREE.PerspectiveCamera(45, 1, 0.02, 50);
  private readonly controls: OrbitControls;
  private readonly cache = new GeomCache();
  private readonly overlays = new Overlays();
  private readonly bodiesRoot = new THREE.Group();
  private readonly extrasRoot = new THREE.Group();
  private bodies: THREE.Group[] = [];
  /** A connected arm shown instead of the workcell, if any. */
  private arm: ArmTwin | null = null;
  private sceneId: string | null = null;
  private pendingPoses: ArrayLike<number> | null = null;
  private pendingTargets: Targets | null = null;
  private frame = 0;
  private windowStart = 0;
  private windowFrames = 0;
  private layers: TwinLayers = { frusta: true, workspace: true, ghost: true };
  private readonly resizeObserver: ResizeObserver;
  private readonly resolution: ResolutionPolicy;

  constructor(private readonly canvas: HTMLCanvasElement) {
    this.renderer = new THREE.WebGLRenderer({ canvas, antialias: false, powerPreference: 'high-performance' });
    this.resolution = { ...DEFAULT_RESOLUTION_POLICY, maxRatio: Math.min(2, window.devicePixelRatio || 1) };
    this.stats.pixelRatio = this.resolution.maxRatio;
    this.renderer.setPixelRatio(this.stats.pixelRatio);
    this.scene.background = new THREE.Color(0xe9edf2);
    THREE.Object3D.DEFAULT_UP.set(0, 0, 1);
    this.camera.up.set(0, 0, 1);
    this.camera.position.set(1.6, -1.4, 1.3);
    this.controls = new OrbitControls(this.camera, canvas);
    this.controls.target.set(0, 0, 0.4);
    this.controls.update();
    this.scene.add(new THREE.HemisphereLight(0xffffff, 0x667788, 1.6));
    const sun = new THREE.DirectionalLight(0xffffff, 1.4);
    sun.position.set(2, -1, 4);
    this.scene.add(sun, this.bodiesRoot, this.extrasRoot, this.overlays.frusta, this.overlays.workspace, this.overlays.ghosts);
    this.resizeObserver = new ResizeObserver(() => this.resize());
    this.resizeObserver.observe(canvas);
    this.resize();
  }

  /** Replace the workcell (null clears it). Poses of an older scene are dropped. */
  setScene(scene: Scene | null): void {
    if (scene?.sceneId === this.sceneId && scene !== null) return;
    for (const body of this.bodies) this.bodiesRoot.remove(body);
    this.bodies = [];
    this.pendingPoses = null;
    this.sceneId = scene?.sceneId ?? null;
    this.stats.bodies = 0;
    if (!scene) return;
    for (const body of scene.bodies) {
      const group = buildBody(body.geoms, this.cache);
      group.name = body.name;
      group.matrixAutoUpdate = false; // set from poses, then `updateMatrix()` once
      this.bodies.push(group);
      this.bodiesRoot.add(group);
    }
    this.stats.bodies = this.bodies.length;
    this.overlays.build(scene);
    const [minX, minY, minZ] = scene.workspace.minM;
    const [maxX, maxY, maxZ] = scene.workspace.maxM;
    this.controls.target.set((minX + maxX) / 2, (minY + maxY) / 2, (minZ + maxZ) / 2);
    this.controls.update();
  }

  /** The newest poses (7 per body, world frame); applied on the next frame. */
  setPoses(sceneId: string, poses: ArrayLike<number>, targets: Targets | null = null): void {
    if (sceneId !== this.sceneId) return;
    this.pendingPoses = poses;
    if (targets) this.pendingTargets = targets;
  }

  setLayers(layers: TwinLayers): void {
    this.layers = layers;
    this.overlays.frusta.visible = layers.frusta && !this.arm;
    this.overlays.workspace.visible = layers.workspace && !this.arm;
    this.overlays.ghosts.visible = layers.ghost && !this.arm;
  }

  /**
   * Show a connected arm instead of the workcell (null: the workcell again), from a viewpoint.
   * The view owns the arm from here on and disposes it when it is replaced.
   */
  setArm(arm: ArmTwin | null, viewpoint: { targetM: readonly [number, number, number]; cameraM: readonly [number, number, number] } | null = null): void {
    if (arm === this.arm) return;
    this.arm?.dispose();
    this.arm = arm;
    if (arm) this.scene.add(arm.root);
    this.bodiesRoot.visible = arm === null;
    this.setLayers(this.layers);
    if (viewpoint) {
      this.camera.position.set(...viewpoint.cameraM);
      this.controls.target.set(...viewpoint.targetM);
      this.controls.update();
    }
  }

  /** Show an extra model (an imported URDF); the view owns and disposes it. */
  addExtra(object: THREE.Object3D): void {
    this.extrasRoot.add(object);
  }

  clearExtras(): void {
    for (const child of [...this.extrasRoot.children]) {
      this.extrasRoot.remove(child);
      disposeTree(child);
    }
  }

  start(): void {
    this.windowStart = 0;
    this.windowFrames = 0;
    if (this.frame === 0) this.frame = requestAnimationFrame(this.tick);
  }

  stop(): void {
    if (this.frame !== 0) cancelAnimationFrame(this.frame);
    this.frame = 0;
  }

  private readonly tick = (now: number): void => {
    this.frame = requestAnimationFrame(this.tick);
    if (this.canvas.clientWidth === 0 || this.canvas.clientHeight === 0) {
      this.windowStart = 0; // hidden tab: idle time must not count as slow frames
      this.windowFrames = 0;
      return;
    }
    const poses = this.pendingPoses;
    if (poses) {
      this.pendingPoses = null;
      const count = Math.min(this.bodies.length, Math.floor(poses.length / 7));
      for (let i = 0; i < count; i += 1) {
        const body = this.bodies[i]!;
        applyPose(body, poses, i * 7);
        body.updateMatrix();
      }
    }
    this.arm?.applyPending();
    if (this.pendingTargets) {
      this.overlays.setTargets(this.pendingTargets);
      this.pendingTargets = null;
    }
    this.controls.update();
    this.renderer.render(this.scene, this.camera);
    this.stats.frames += 1;
    this.stats.drawCalls = this.renderer.info.render.calls;
    this.stats.triangles = this.renderer.info.render.triangles;
    this.windowFrames += 1;
    if (this.windowStart === 0) this.windowStart = now;
    if (now - this.windowStart >= 1000) {
      this.stats.fps = Math.round((this.windowFrames * 10_000) / (now - this.windowStart)) / 10;
      this.windowStart = now;
      this.windowFrames = 0;
      const ratio = nextPixelRatio(this.stats.pixelRatio, this.stats.fps, this.resolution);
      if (ratio !== this.stats.pixelRatio) {
        this.stats.pixelRatio = ratio;
        this.renderer.setPixelRatio(ratio);
        // Nearest-neighbour upscaling is much cheaper than bilinear for a software compositor.
        this.canvas.style.imageRendering = ratio < 1 ? 'pixelated' : '';
        this.resize();
      }
    }
  };

  private resize(): void {
    const width = this.canvas.clientWidth;
    const height = this.canvas.clientHeight;
    if (width === 0 || height === 0) return;
    this.renderer.setSize(width, height, false);
    this.stats.widthPx = width;
    this.stats.heightPx = height;
    this.camera.aspect = width / height;
    this.camera.updateProjectionMatrix();
  }

  dispose(): void {
    this.stop();
    this.resizeObserver.disconnect();
    this.controls.dispose();
    this.clearExtras();
    this.setArm(null);
    this.setScene(null);
    this.overlays.dispose();
    this.cache.dispose();
    this.renderer.dispose();
  }
}

/** Free the geometries and materials of a tree nobody else shares. */
export function disposeTree(root: THREE.Object3D): void {
  root.traverse((object) => {
    if (object instanceof THREE.Mesh || object instanceof THREE.LineSegments) {
      object.geometry.dispose();
      const materials = Array.isArray(object.material) ? object.material : [object.material];
      for (const material of materials) material.dispose();
    }
  });
}
