import { useRef, useState, type KeyboardEvent } from 'react';
import type { PeakHourCell } from '../../api/types';
import { formatHour, WEEKDAYS } from '../../lib/format';
import { useFormat } from '../../lib/formatContext';

const HOURS = Array.from({ length: 24 }, (_, h) => h);

/** Mixes the empty colour towards the full one: slate-50 -> indigo-700. */
function cellColor(ratio: number): string {
  if (ratio <= 0) return '#f8fafc';
  const from = [224, 231, 255];
  const to = [55, 48, 163];
  const t = 0.12 + 0.88 * ratio;
  const c = from.map((f, i) => Math.round(f + (to[i]! - f) * t));
  return `rgb(${c.join(',')})`;
}

interface PeakHoursHeatmapProps {
  cells: PeakHourCell[];
  onSelect?: (weekday: number, hour: number, label: string) => void;
}

/**
 * Weekday x hour heatmap. A table of buttons with one tab stop; arrow keys,
 * Home and End move between cells, Enter or Space drills down.
 */
export function PeakHoursHeatmap({ cells, onSelect }: PeakHoursHeatmapProps) {
  const fmt = useFormat();
  const grid: number[][] = WEEKDAYS.map(() => HOURS.map(() => 0));
  let max = 0;
  for (const c of cells) {
    const row = grid[c.weekday];
    if (row && c.hour >= 0 && c.hour < 24) {
      row[c.hour] = (row[c.hour] ?? 0) + c.count;
      max = Math.max(max, row[c.hour]!);
    }
  }
  const peak = (() => {
    let best = { weekday: 0, hour: 0, count: -1 };
    grid.forEach((row, weekday) => row.forEach((count, hour) => count > best.count && (best = { weekday, hour, count })));
    return best;
  })();

  const [focus, setFocus] = useState<[number, number]>([peak.weekday, peak.hour]);
  const tableRef = useRef<HTMLTableElement>(null);

  const move = (event: KeyboardEvent<HTMLButtonElement>, weekday: number, hour: number) => {
    let [w, h] = [weekday, hour];
    switch (event.key) {
      case 'ArrowRight': h = Math.min(23, h + 1); break;
      case 'ArrowLeft': h = Math.max(0, h - 1); break;
      case 'ArrowDown': w = Math.min(6, w + 1); break;
      case 'ArrowUp': w = Math.max(0, w - 1); break;
      case 'Home': h = 0; break;
      case 'End': h = 23; break;
      default: return;
    }
    event.preventDefault();
    setFocus([w, h]);
    tableRef.current?.querySelector<HTMLButtonElement>(`[data-cell="${w}-${h}"]`)?.focus();
  };

  const label = (weekday: number, hour: number) =>
    `${WEEKDAYS[weekday]} ${formatHour(hour)}–${formatHour((hour + 1) % 24)}`;

  return (
    <figure aria-label="Inquiries by weekday and hour of day" className="m-0">
      <div className="relative overflow-x-auto pb-1">
        <table ref={tableRef} className="w-full min-w-[600px] border-separate border-spacing-0.5 text-[10px]">
          <caption className="sr-only">
            Inquiries per weekday (rows) and hour (columns), store time. Busiest: {label(peak.weekday, peak.hour)} with{' '}
            {fmt.number(Math.max(0, peak.count))} inquiries.
          </caption>
          <thead>
            <tr>
              <th scope="col" className="w-10" />
              {HOURS.map((h) => (
                <th key={h} scope="col" className="font-normal text-slate-500">
                  <span aria-hidden="true">{h % 3 === 0 ? h : ''}</span>
                  <span className="sr-only">{formatHour(h)}</span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {grid.map((row, weekday) => (
              <tr key={weekday}>
                <th scope="row" className="pr-1 text-left text-xs font-normal text-slate-500">
                  {WEEKDAYS[weekday]!.slice(0, 3)}
                </th>
                {row.map((count, hour) => {
                  const text = `${label(weekday, hour)}: ${fmt.number(count)} inquiries`;
                  const focused = focus[0] === weekday && focus[1] === hour;
                  return (
                    <td key={hour} className="p-0">
                      <button
                        type="button"
                        data-cell={`${weekday}-${hour}`}
                        tabIndex={focused ? 0 : -1}
                        title={text}
                        aria-label={text}
                        onFocus={() => setFocus([weekday, hour])}
                        onKeyDown={(e) => move(e, weekday, hour)}
                        onClick={() => onSelect?.(weekday, hour, label(weekday, hour))}
                        className="block h-6 w-full min-w-[18px] rounded-sm ring-inset hover:ring-2 hover:ring-slate-900/40 focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-slate-900"
                        style={{ backgroundColor: cellColor(max ? count / max : 0) }}
                      />
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="mt-2 flex items-center gap-2 text-xs text-slate-500" aria-hidden="true">
        <span>Fewer</span>
        {[0, 0.25, 0.5, 0.75, 1].map((r) => (
          <span key={r} className="h-3 w-5 rounded-sm" style={{ backgroundColor: cellColor(r) }} />
        ))}
        <span>More</span>
        <span className="ml-auto">Busiest: {label(peak.weekday, peak.hour)}</span>
      </div>
    </figure>
  );
}
