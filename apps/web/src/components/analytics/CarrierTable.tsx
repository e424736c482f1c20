import { useState } from 'react';
import type { CarrierPerformance } from '../../api/types';
import { useFormat } from '../../lib/formatContext';
import type { Drill } from './drill';

type SortKey =
  | 'carrier'
  | 'shipped'
  | 'delivered'
  | 'onTimeRate'
  | 'avgTransitSeconds'
  | 'medianTransit'
  | 'p90Transit'
  | 'exceptionRate'
  | 'inquiries'
  | 'inquiriesPerShipment';

const value = (c: CarrierPerformance, key: SortKey): string | number | null => {
  switch (key) {
    case 'medianTransit':
      return c.stages.transit.median ?? null;
    case 'p90Transit':
      return c.stages.transit.p90 ?? null;
    default:
      return c[key];
  }
};

/** Sorts with nulls last whatever the direction. */
export function sortCarriers(rows: CarrierPerformance[], key: SortKey, dir: 'asc' | 'desc'): CarrierPerformance[] {
  return [...rows].sort((a, b) => {
    const va = value(a, key);
    const vb = value(b, key);
    if (va === null && vb === null) return 0;
    if (va === null) return 1;
    if (vb === null) return -1;
    const cmp = typeof va === 'string' || typeof vb === 'string' ? String(va).localeCompare(String(vb)) : va - vb;
    return dir === 'asc' ? cmp : -cmp;
  });
}

interface CarrierTableProps {
  carriers: CarrierPerformance[];
  onDrill: (drill: Drill) => void;
}

export function CarrierTable({ carriers, onDrill }: CarrierTableProps) {
  const fmt = useFormat();
  const [sort, setSort] = useState<{ key: SortKey; dir: 'asc' | 'desc' }>({ key: 'shipped', dir: 'desc' });
  const rows = sortCarriers(carriers, sort.key, sort.dir);

  const columns: { key: SortKey; label: string; render: (c: CarrierPerformance) => string; numeric?: boolean }[] = [
    { key: 'shipped', label: 'Shipped', render: (c) => fmt.number(c.shipped), numeric: true },
    { key: 'delivered', label: 'Delivered', render: (c) => fmt.number(c.delivered), numeric: true },
    { key: 'onTimeRate', label: 'On time', render: (c) => fmt.percent(c.onTimeRate), numeric: true },
    { key: 'avgTransitSeconds', label: 'Avg transit', render: (c) => fmt.duration(c.avgTransitSeconds), numeric: true },
    { key: 'medianTransit', label: 'Median transit', render: (c) => fmt.duration(c.stages.transit.median), numeric: true },
    { key: 'p90Transit', label: 'P90 transit', render: (c) => fmt.duration(c.stages.transit.p90), numeric: true },
    { key: 'exceptionRate', label: 'Exceptions', render: (c) => fmt.percent(c.exceptionRate), numeric: true },
    { key: 'inquiries', label: 'Inquiries', render: (c) => fmt.number(c.inquiries), numeric: true },
    {
      key: 'inquiriesPerShipment',
      label: 'Inquiries / shipment',
      render: (c) => fmt.number(c.inquiriesPerShipment, 2),
      numeric: true,
    },
  ];

  const header = (key: SortKey, label: string, numeric = false) => {
    const active = sort.key === key;
    return (
      <th
        key={key}
        scope="col"
        aria-sort={active ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'}
        className={`px-3 py-2 font-medium ${numeric ? 'text-right' : 'text-left'}`}
      >
        <button
          type="button"
          onClick={() =>
            setSort((s) => ({ key, dir: s.key === key ? (s.dir === 'asc' ? 'desc' : 'asc') : key === 'carrier' ? 'asc' : 'desc' }))
          }
          className={`inline-flex items-center gap-1 rounded hover:text-slate-900 focus-visible:outline-2 focus-visible:outline-indigo-600 ${active ? 'text-slate-900' : ''}`}
        >
          {label}
          <span aria-hidden="true" className="text-[10px]">
            {active ? (sort.dir === 'asc' ? '▲' : '▼') : '↕'}
          </span>
        </button>
      </th>
    );
  };

  return (
    <div className="relative overflow-x-auto">
      <table className="w-full min-w-[760px] text-sm" aria-label="Carrier performance">
        <thead className="border-b border-slate-200 text-xs text-slate-500">
          <tr>
            {header('carrier', 'Carrier')}
            {columns.map((c) => header(c.key, c.label, c.numeric))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((c) => (
            <tr key={c.carrier} className="hover:bg-slate-50">
              <th scope="row" className="px-3 py-2 text-left font-medium">
                <button
                  type="button"
                  onClick={() => onDrill({ kind: 'shipments', title: `Carrier: ${c.carrier}`, params: { carrier: c.carrier } })}
                  className="text-indigo-600 hover:underline focus-visible:outline-2 focus-visible:outline-indigo-600"
                  aria-label={`Show shipments of ${c.carrier}`}
                >
                  {c.carrier}
                </button>
              </th>
              {columns.map((col) =>
                col.key === 'inquiries' ? (
                  <td key={col.key} className="px-3 py-2 text-right tabular-nums">
                    <button
                      type="button"
                      onClick={() =>
                        onDrill({ kind: 'inquiries', title: `Inquiries on ${c.carrier} orders`, params: { carrier: c.carrier } })
                      }
                      className="text-indigo-600 hover:underline focus-visible:outline-2 focus-visible:outline-indigo-600"
                      aria-label={`Show the ${col.render(c)} inquiries on ${c.carrier} orders`}
                    >
                      {col.render(c)}
                    </button>
                  </td>
                ) : (
                  <td key={col.key} className="px-3 py-2 text-right tabular-nums text-slate-700">
                    {col.render(c)}
                  </td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
