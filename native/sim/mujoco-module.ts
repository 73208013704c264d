/**
 * MuJoCo's WebAssembly compiled once per process and handed to every simulator worker, which only
 * instantiates it (a compiled module crosses to a worker without copying its code): compiling the
 * 10 MB module again in each worker cost more CPU than the rest of its start.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import loadMujoco, { type MainModule } from '@mujoco/mujoco';
import { packageUrl } from '../package-url.ts';

/** A compiled WebAssembly module, opaque here (the node tsconfig has no DOM lib, where TypeScript declares the API). */
export type WasmModule = object;

/** The parts of the WebAssembly API used here. */
interface WasmApi {
  compile(bytes: Uint8Array): Promise<WasmModule>;
  instantiate(module: WasmModule, imports: unknown): Promise<object>;
}

const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
let compiled: Promise<WasmModule> | null = null;

/** The compiled module (the first call compiles it; V8 compiles on background threads). */
export function compiledMujoco(): Promise<WasmModule> {
  if (!compiled) {
    const compiling = readFile(fileURLToPath(packageUrl('@mujoco/mujoco/mujoco.wasm'))).then((bytes) => wasm.compile(bytes));
    compiling.catch(() => {
      if (compiled === compiling) compiled = null;
    });
    compiled = compiling;
  }
  return compiled;
}

/** MuJoCo from an already compiled module (in a worker), or compiled here when there is none. */
export function loadMujocoFrom(module: WasmModule | null): Promise<MainModule> {
  if (!module) return loadMujoco();
  // Emscripten's hook: instantiate the module ourselves, then hand over the instance.
  const instantiateWasm = (imports: unknown, done: (instance: object, module: WasmModule) => void): object => {
    void wasm.instantiate(module, imports).then((instance) => done(instance, module));
    return {};
  };
  return loadMujoco({ instantiateWasm });
}
