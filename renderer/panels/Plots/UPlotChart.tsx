/**
 * One uPlot time-series chart (uPlot: canvas, built for fast time series). Made once per set of
 * lines; its data is read from `getData` when made and on every `subscribe` notice (at most once
 * per animation frame), without re-rendering React. The wrapper states what is drawn for tests
 * and tools: `data-points` (samples), `data-first-x` and `data-last-x` (the oldest and newest time, s).
 */
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import type { ChartSpec } from './plot-data.ts';

/** Joint colours (a joint's angle and target share one). */
export const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf'];
const CHART_HEIGHT_PX = 150;

export interface UPlotChartProps {
  readonly spec: ChartSpec;
  readonly getData: () => (number | null)[][];
  /** Redraw notices (live plots); none for a stored run. */
  readonly subscribe?: (listener: () => void) => () => void;
  readonly arm: string;
}

function options(spec: ChartSpec, widthPx: number): uPlot.Options {
  return {
    width: widthPx,
    height: CHART_HEIGHT_PX,
    title: spec.title,
    scales: { x: { time: false } },
    axes: [{ size: 28 }, { label: spec.unit, size: 52, labelSize: 16 }],
    // One legend per arm (ArmCharts) instead of one per chart: the joints' colours are the same in every chart.
    legend: { show: false },
    cursor: { drag: { x: true, y: false } },
    series: [
      { label: 't (s)' },
      ...spec.lines.map((line) => ({
        label: line.label,
        stroke: PALETTE[line.colour % PALETTE.length]!,
        width: line.dashed ? 1 : 1.5,
        spanGaps: false,
        ...(line.dashed ? { dash: [6, 4] } : {}),
      })),
    ],
  };
}

export function UPlotChart({ spec, getData, subscribe, arm }: UPlotChartProps): React.JSX.Element {
  const host = useRef<HTMLDivElement>(null);
  const signature = JSON.stringify(spec);
  useEffect(() => {
    const element = host.current!;
    const describe = (data: (number | null)[][]): void => {
      const x = data[0]!;
      element.dataset['points'] = String(x.length);
      element.dataset['lastX'] = x.length > 0 ? String(x[x.length - 1]) : '';
      element.dataset['firstX'] = x.length > 0 ? String(x[0]) : '';
    };
    const initial = getData();
    const chart = new uPlot(options(spec, Math.max(200, element.clientWidth)), initial as uPlot.AlignedData, element);
    describe(initial);
    let frame = 0;
    const redraw = (): void => {
      frame = 0;
      const data = getData();
      chart.setData(data as uPlot.AlignedData);
      describe(data);
    };
    const off = subscribe?.(() => {
      frame ||= requestAnimationFrame(redraw);
    });
    const resize = new ResizeObserver(() => {
      const widthPx = Math.max(200, element.clientWidth);
      if (widthPx !== chart.width) chart.setSize({ width: widthPx, height: CHART_HEIGHT_PX });
    });
    resize.observe(element);
    return () => {
      off?.();
      cancelAnimationFrame(frame);
      resize.disconnect();
      chart.destroy();
    };
    // The chart is made again only when its lines change; data arrives through getData.
  }, [signature]);
  return <div ref={host} className="plot-chart" data-testid="plot-chart" data-arm={arm} data-kind={spec.kind} />;
}
