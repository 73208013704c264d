/** Success rate by task and tier as grouped SVG bars, with the expert's rate as a dashed line. */
import type { ChartModel } from './chart.ts';

const PALETTE = ['#3a86ff', '#8338ec', '#ff006e', '#fb5607', '#2a9d8f', '#6a994e', '#bc6c25', '#577590'];
const HEIGHT = 220;
const TOP = 12;
const LEFT = 36;
const BAR_W = 16;
const GROUP_GAP = 28;

export function SuccessChart({ model }: { model: ChartModel }): React.JSX.Element {
  const groupWidth = Math.max(1, model.series.length) * BAR_W;
  const width = LEFT + model.tasks.length * (groupWidth + GROUP_GAP) + 10;
  const plotH = HEIGHT - TOP - 60;
  const y = (rate: number): number => TOP + plotH * (1 - rate);
  if (model.tasks.length === 0) return <p className="muted" data-testid="bench-chart" data-bars={0}>No bench results yet.</p>;
  return (
    <figure className="bench-chart">
      <svg data-testid="bench-chart" data-bars={model.bars.length} width={width} height={HEIGHT} role="img" aria-label="success rate by task and tier">
        {[0, 0.5, 1].map((tick) => (
          <g key={tick}>
            <line x1={LEFT} x2={width} y1={y(tick)} y2={y(tick)} stroke="#d0d6de" />
            <text x={LEFT - 4} y={y(tick) + 4} textAnchor="end" fontSize="10">{tick * 100}%</text>
          </g>
        ))}
        {model.tasks.map((task, t) => {
          const x0 = LEFT + GROUP_GAP / 2 + t * (groupWidth + GROUP_GAP);
          const base = model.baseline[task];
          return (
            <g key={task}>
              {model.bars.filter((b) => b.task === task).map((bar) => {
                const s = model.series.indexOf(bar.series);
                const x = x0 + s * BAR_W;
                return (
                  <g key={bar.series}>
                    <rect x={x + 1} y={y(bar.rate)} width={BAR_W - 2} height={Math.max(0, y(0) - y(bar.rate))} fill={PALETTE[s % PALETTE.length]}>
                      <title>{`${task} · ${bar.series}: ${(bar.rate * 100).toFixed(0)}% of ${bar.trials} (95% ${(bar.low * 100).toFixed(0)}–${(bar.high * 100).toFixed(0)}%)`}</title>
                    </rect>
                    <line x1={x + BAR_W / 2} x2={x + BAR_W / 2} y1={y(bar.low)} y2={y(bar.high)} stroke="#222" strokeWidth={1} />
                  </g>
                );
              })}
              {base !== undefined && <line data-testid="bench-baseline" x1={x0 - 4} x2={x0 + groupWidth + 4} y1={y(base)} y2={y(base)} stroke="#111" strokeDasharray="4 3" strokeWidth={2} />}
              <text x={x0 + groupWidth / 2} y={HEIGHT - 44} fontSize="10" textAnchor="end" transform={`rotate(-35 ${x0 + groupWidth / 2} ${HEIGHT - 44})`}>{task}</text>
            </g>
          );
        })}
      </svg>
      <figcaption>
        {model.series.map((name, s) => <span key={name} className="legend"><i style={{ background: PALETTE[s % PALETTE.length] }} />{name}</span>)}
        <span className="legend"><i className="dashed" />expert baseline</span>
      </figcaption>
    </figure>
  );
}
