/**
 * A canvas with a `TwinView` on it. The view lives as long as the component; `onView` hands it
 * to the owner, which feeds it poses outside React. Rendering runs only while `active`.
 */
import { useEffect, useRef, useState } from 'react';
import { TwinView } from '../twin/twin-view.ts';

export interface TwinCanvasProps {
  readonly active: boolean;
  readonly testId: string;
  readonly onView: (view: TwinView | null) => void;
}

export function TwinCanvas({ active, testId, onView }: TwinCanvasProps): React.JSX.Element {
  const canvas = useRef<HTMLCanvasElement>(null);
  const view = useRef<TwinView | null>(null);
  const owner = useRef(onView);
  owner.current = onView;
  const [failure, setFailure] = useState<string | null>(null);

  useEffect(() => {
    let created: TwinView;
    try {
      created = new TwinView(canvas.current!);
    } catch (error) {
      setFailure(`The 3D view cannot start here (no WebGL): ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
    view.current = created;
    owner.current(created);
    return () => {
      owner.current(null);
      created.dispose();
      view.current = null;
    };
  }, []);

  useEffect(() => {
    if (active) view.current?.start();
    else view.current?.stop();
  }, [active]);

  return (
    <>
      {failure && <p className="error" data-testid={`${testId}-error`}>{failure}</p>}
      <canvas ref={canvas} className="twin-canvas" data-testid={testId} hidden={failure !== null} />
    </>
  );
}
