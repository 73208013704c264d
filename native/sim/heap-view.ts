/**
 * Typed-array views into MuJoCo's WASM heap, kept instead of asked for on every access. Each
 * `data.qpos`-style property read crosses embind and builds a new view (about 0.2 µs), which on
 * the physics and IK paths (several reads per step or iteration) cost more than the physics. The
 * heap can grow (`memory.grow`), which detaches every view made before: a detached view has length
 * 0, and then the view is made again.
 */

/** A view of one MuJoCo array, made again when heap growth detached it. */
export type HeapView = () => Float64Array;

/** Keep the view `read` returns; `read` again only once it was detached. */
export function heapView(read: () => unknown): HeapView {
  let view = read() as Float64Array;
  return () => {
    if (view.length === 0) view = read() as Float64Array;
    return view;
  };
}
