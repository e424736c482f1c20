import { useId, useState } from 'react';
import {
  Bar,
  CartesianGrid,
  Cell,
  ComposedChart,
  Line,
  Pie,
  PieChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { PALETTE, type AxisScale, type CartesianChartProps, type ChartProps, type Fmt, type PieChartProps, type ScaleSpec } from './chartSpec';

/** The Recharts implementation of <Chart> (./Chart.tsx), in its own chunk with Recharts. */
const plain: Fmt = (v) => String(v);

/** Chart animations are skipped for people who ask for reduced motion. */
const ANIMATE =
  typeof window === 'undefined' || typeof window.matchMedia !== 'function'
    ? false
    : !window.matchMedia('(prefers-reduced-motion: reduce)').matches;

function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

export default function RechartsChart<T extends object>(props: ChartProps<T>) {
  const captionId = useId();
  return (
    <figure aria-label={props.title} aria-describedby={props.description ? `${captionId}-d` : undefined} className="m-0">
      <figcaption id={captionId} className="sr-only">
        {props.title}
      </figcaption>
      {props.description && (
        <p id={`${captionId}-d`} className="sr-only">
          {props.description}
        </p>
      )}
      {props.kind === 'pie' ? <PieBody {...props} /> : <CartesianBody {...props} />}
    </figure>
  );
}

function CartesianBody<T extends object>({
  data,
  xKey,
  series,
  rowLabel,
  height = 280,
  onSelect,
  selectLabel = 'Show rows',
  formatX,
  formatLeft = plain,
  formatRight = plain,
  horizontal = false,
  leftScale,
  rightScale,
}: CartesianChartProps<T>) {
  const [hidden, setHidden] = useState<Set<string>>(() => new Set(series.filter((s) => s.hidden).map((s) => s.key)));
  const toggle = (key: string) =>
    setHidden((prev) => {
      const next = new Set(prev);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });
  const hasRight = series.some((s) => s.axis === 'right');
  const byKey = new Map(series.map((s) => [s.key as string, s]));
  const fmtFor = (key: string) => (byKey.get(key)?.axis === 'right' ? formatRight : formatLeft);
  const tickX = (v: unknown) => (formatX ? formatX(String(v)) : String(v));
  const resolve = (spec: ScaleSpec | undefined, axis: 'left' | 'right'): AxisScale => {
    if (typeof spec !== 'function') return spec ?? {};
    let max = 0;
    for (const s of series) {
      if ((s.axis ?? 'left') !== axis || hidden.has(s.key)) continue;
      for (const d of data) max = Math.max(max, num(d[s.key]) ?? 0);
    }
    return spec(max);
  };
  const left = resolve(leftScale, 'left');
  const right = resolve(rightScale, 'right');

  return (
    <div>
      {series.length > 1 && (
        <div className="mb-2 flex flex-wrap gap-2" role="group" aria-label="Series">
          {series.map((s) => {
            const on = !hidden.has(s.key);
            return (
              <button
                key={s.key}
                type="button"
                aria-pressed={on}
                onClick={() => toggle(s.key)}
                className={`inline-flex items-center gap-1.5 rounded-full border px-2.5 py-0.5 text-xs font-medium transition focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-indigo-600 ${on ? 'border-slate-300 bg-white text-slate-700' : 'border-dashed border-slate-300 bg-slate-50 text-slate-600 line-through'}`}
              >
                <span aria-hidden="true" className="h-2.5 w-2.5 rounded-full" style={{ backgroundColor: on ? s.color : '#cbd5e1' }} />
                {s.label}
              </button>
            );
          })}
        </div>
      )}
      <div style={{ height }} className={onSelect ? '[&_.recharts-surface]:cursor-pointer' : ''}>
        <ResponsiveContainer width="100%" height="100%">
          <ComposedChart
            data={data}
            layout={horizontal ? 'vertical' : 'horizontal'}
            margin={{ top: 8, right: hasRight ? 8 : 16, bottom: 4, left: horizontal ? 8 : 0 }}
            onClick={
              onSelect
                ? (state) => {
                    const index = Number(state?.activeTooltipIndex ?? state?.activeIndex);
                    const datum = Number.isInteger(index) ? data[index] : undefined;
                    if (datum) onSelect(datum);
                  }
                : undefined
            }
          >
            <CartesianGrid stroke="#e2e8f0" strokeDasharray="3 3" vertical={horizontal} horizontal={!horizontal} />
            {horizontal ? (
              <>
                <XAxis
                  type="number"
                  tickFormatter={(v: number) => (left.tickFormat ?? formatLeft)(v)}
                  domain={left.domain}
                  ticks={left.ticks}
                  tick={{ fontSize: 12, fill: '#64748b' }}
                />
                <YAxis
                  type="category"
                  dataKey={xKey}
                  width={112}
                  tickFormatter={tickX}
                  tick={{ fontSize: 12, fill: '#475569' }}
                  interval={0}
                />
              </>
            ) : (
              <>
                <XAxis dataKey={xKey} tickFormatter={tickX} tick={{ fontSize: 12, fill: '#64748b' }} minTickGap={16} />
                <YAxis
                  yAxisId="left"
                  tickFormatter={(v: number) => (left.tickFormat ?? formatLeft)(v)}
                  domain={left.domain}
                  ticks={left.ticks}
                  tick={{ fontSize: 12, fill: '#64748b' }}
                  width={56}
                />
                {hasRight && (
                  <YAxis
                    yAxisId="right"
                    orientation="right"
                    tickFormatter={(v: number) => (right.tickFormat ?? formatRight)(v)}
                    domain={right.domain}
                    ticks={right.ticks}
                    tick={{ fontSize: 12, fill: '#64748b' }}
                    width={56}
                  />
                )}
              </>
            )}
            <Tooltip
              labelFormatter={(_label, payload) => {
                const datum = payload?.[0]?.payload as T | undefined;
                return datum ? rowLabel(datum) : String(_label);
              }}
              formatter={(value, name, item) => {
                const n = num(value);
                const key = String(item.dataKey ?? '');
                return [n === null ? '—' : fmtFor(key)(n), byKey.get(key)?.label ?? String(name)];
              }}
              contentStyle={{ borderRadius: 8, borderColor: '#e2e8f0', fontSize: 12 }}
            />
            {series.map((s) => {
              const axisProps = horizontal ? {} : { yAxisId: s.axis ?? 'left' };
              return s.type === 'bar' ? (
                <Bar
                  key={s.key}
                  dataKey={s.key}
                  name={s.label}
                  fill={s.color}
                  hide={hidden.has(s.key)}
                  stackId={s.stackId}
                  radius={horizontal ? [0, 4, 4, 0] : [4, 4, 0, 0]}
                  maxBarSize={48}
                  isAnimationActive={ANIMATE}
                  animationDuration={400}
                  {...axisProps}
                />
              ) : (
                <Line
                  key={s.key}
                  type="monotone"
                  dataKey={s.key}
                  name={s.label}
                  stroke={s.color}
                  strokeWidth={2}
                  dot={data.length <= 31 ? { r: 2.5 } : false}
                  activeDot={{ r: 5 }}
                  hide={hidden.has(s.key)}
                  connectNulls
                  isAnimationActive={ANIMATE}
                  animationDuration={400}
                  {...axisProps}
                />
              );
            })}
          </ComposedChart>
        </ResponsiveContainer>
      </div>
      <DataTable
        data={data}
        rowLabel={rowLabel}
        columns={series.map((s) => ({ label: s.label, render: (d: T) => formatCell(d[s.key], fmtFor(s.key)) }))}
        onSelect={onSelect}
        selectLabel={selectLabel}
      />
    </div>
  );
}

function PieBody<T extends object>({
  data,
  valueKey,
  rowLabel,
  height = 240,
  onSelect,
  formatValue = plain,
  legendDetail,
}: PieChartProps<T>) {
  return (
    <div className="flex flex-col items-center gap-4 sm:flex-row">
      <div style={{ height, width: '100%' }} className={`sm:max-w-[55%] ${onSelect ? '[&_.recharts-surface]:cursor-pointer' : ''}`}>
        <ResponsiveContainer width="100%" height="100%">
          <PieChart>
            <Pie
              data={data}
              dataKey={valueKey}
              nameKey={(d: T) => rowLabel(d)}
              innerRadius="52%"
              outerRadius="85%"
              paddingAngle={1}
              isAnimationActive={ANIMATE}
                  animationDuration={400}
              onClick={onSelect ? (_entry: unknown, index: number) => data[index] && onSelect(data[index]) : undefined}
            >
              {data.map((d, i) => (
                <Cell key={rowLabel(d)} fill={PALETTE[i % PALETTE.length]} stroke="#fff" />
              ))}
            </Pie>
            <Tooltip
              formatter={(value, name) => {
                const n = num(value);
                return [n === null ? '—' : formatValue(n), String(name)];
              }}
              contentStyle={{ borderRadius: 8, borderColor: '#e2e8f0', fontSize: 12 }}
            />
          </PieChart>
        </ResponsiveContainer>
      </div>
      <ul className="w-full space-y-1 text-sm sm:w-auto sm:min-w-[40%]">
        {data.map((d, i) => {
          const content = (
            <>
              <span aria-hidden="true" className="h-2.5 w-2.5 shrink-0 rounded-full" style={{ backgroundColor: PALETTE[i % PALETTE.length] }} />
              <span className="flex-1 truncate text-slate-700">{rowLabel(d)}</span>
              <span className="tabular-nums text-slate-900">{formatCell(d[valueKey], formatValue)}</span>
              {legendDetail && <span className="w-14 text-right tabular-nums text-slate-500">{legendDetail(d)}</span>}
            </>
          );
          return (
            <li key={rowLabel(d)}>
              {onSelect ? (
                <button
                  type="button"
                  onClick={() => onSelect(d)}
                  className="flex w-full items-center gap-2 rounded px-1.5 py-1 text-left hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-600"
                >
                  {content}
                </button>
              ) : (
                <div className="flex items-center gap-2 px-1.5 py-1">{content}</div>
              )}
            </li>
          );
        })}
      </ul>
    </div>
  );
}

function formatCell(value: unknown, fmt: Fmt): string {
  const n = num(value);
  return n === null ? '—' : fmt(n);
}

function DataTable<T>({
  data,
  rowLabel,
  columns,
  onSelect,
  selectLabel,
}: {
  data: T[];
  rowLabel: (d: T) => string;
  columns: { label: string; render: (d: T) => string }[];
  onSelect?: (d: T) => void;
  selectLabel: string;
}) {
  return (
    <details className="group mt-2 text-sm">
      <summary className="cursor-pointer select-none rounded text-xs font-medium text-slate-500 hover:text-slate-700 focus-visible:outline-2 focus-visible:outline-indigo-600">
        Data table{onSelect ? ' and drill-down' : ''}
      </summary>
      <div className="relative mt-2 max-h-72 overflow-auto rounded border border-slate-200">
        <table className="w-full text-left text-xs">
          <thead className="sticky top-0 bg-slate-50 text-slate-500">
            <tr>
              <th scope="col" className="px-2 py-1.5 font-medium">
                &nbsp;
              </th>
              {columns.map((c) => (
                <th key={c.label} scope="col" className="px-2 py-1.5 text-right font-medium">
                  {c.label}
                </th>
              ))}
              {onSelect && (
                <th scope="col" className="px-2 py-1.5">
                  <span className="sr-only">Drill-down</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {data.map((d, i) => (
              <tr key={i}>
                <th scope="row" className="whitespace-nowrap px-2 py-1 font-normal text-slate-700">
                  {rowLabel(d)}
                </th>
                {columns.map((c) => (
                  <td key={c.label} className="px-2 py-1 text-right tabular-nums">
                    {c.render(d)}
                  </td>
                ))}
                {onSelect && (
                  <td className="px-2 py-1 text-right">
                    <button
                      type="button"
                      onClick={() => onSelect(d)}
                      className="whitespace-nowrap text-indigo-600 hover:underline focus-visible:outline-2 focus-visible:outline-indigo-600"
                      aria-label={`${selectLabel}: ${rowLabel(d)}`}
                    >
                      {selectLabel}
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}
