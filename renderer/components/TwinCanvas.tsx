/**
 * A canvas with a `TwinView` on it. The view lives as long as the component; `onView` hands it
 * to the owner, which feeds it poses outside React. Rendering runs only while `active`.
 */
import { useEffect, useRef } from 'react';
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

  useEffect(() => {
    const created = new TwinView(canvas.current!);
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

  return <canvas ref={canvas} className="twin-canvas" data-testid={testId} />;
}
