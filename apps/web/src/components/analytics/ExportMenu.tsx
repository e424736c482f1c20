import { useEffect, useRef, useState } from 'react';
import { errorMessage } from '../../api/client';
import { downloadFile, type DownloadProgress } from '../../api/download';
import { api } from '../../api/endpoints';
import type { ExportDataset } from '../../api/types';
import { overviewQuery, type DashboardFilters } from '../../lib/filters';
import { useFormat } from '../../lib/formatContext';

type ExportKind = ExportDataset | 'pdf';

const ITEMS: { kind: ExportKind; label: string; help: string }[] = [
  { kind: 'daily', label: 'Daily CSV', help: 'One row per day: every metric of the period' },
  { kind: 'inquiries', label: 'Inquiries CSV', help: 'Every inquiry of the period, with the current filters (no customer data)' },
  { kind: 'carriers', label: 'Carriers CSV', help: 'The carrier performance table' },
  { kind: 'pdf', label: 'PDF report', help: 'A printable report: overview, trends, carriers, satisfaction and insights' },
];

type State =
  | { phase: 'idle' }
  | { phase: 'running'; kind: ExportKind; progress: DownloadProgress | null }
  | { phase: 'done'; kind: ExportKind; filename: string; size: number }
  | { phase: 'error'; kind: ExportKind; message: string };

function formatBytes(bytes: number, fmt: ReturnType<typeof useFormat>): string {
  if (bytes < 1024) return `${fmt.number(bytes)} B`;
  if (bytes < 1024 * 1024) return `${fmt.number(bytes / 1024, 0)} KB`;
  return `${fmt.number(bytes / (1024 * 1024), 1)} MB`;
}

/**
 * CSV and PDF downloads of the current view (range and filters). The file is fetched with
 * the session and the `X-Store-Id` header and saved through a Blob URL.
 */
export function ExportMenu({ storeId, filters }: { storeId: string; filters: DashboardFilters }) {
  const fmt = useFormat();
  const [state, setState] = useState<State>({ phase: 'idle' });
  const abortRef = useRef<AbortController | null>(null);

  useEffect(() => () => abortRef.current?.abort(), []);

  const run = async (kind: ExportKind) => {
    abortRef.current?.abort();
    const controller = new AbortController();
    abortRef.current = controller;
    setState({ phase: 'running', kind, progress: null });
    const query = overviewQuery(filters);
    const onProgress = (progress: DownloadProgress) =>
      setState((s) => (s.phase === 'running' && s.kind === kind ? { ...s, progress } : s));
    const rangeName = filters.dateRange === 'custom' ? `${filters.start}_${filters.end}` : filters.dateRange;
    try {
      const result =
        kind === 'pdf'
          ? await downloadFile(api.reportPdf(query, { storeId, signal: controller.signal }), {
              fallbackName: `wismo-report-${rangeName}.pdf`,
              onProgress,
            })
          : await downloadFile(api.exportCsv({ ...query, dataset: kind }, { storeId, signal: controller.signal }), {
              fallbackName: `wismo-${kind}-${rangeName}.csv`,
              onProgress,
            });
      if (!controller.signal.aborted) setState({ phase: 'done', kind, ...result });
    } catch (error) {
      if (controller.signal.aborted) return;
      setState({ phase: 'error', kind, message: errorMessage(error) });
    }
  };

  const running = state.phase === 'running';
  const label = (kind: ExportKind) => ITEMS.find((i) => i.kind === kind)?.label ?? kind;

  return (
    <div className="flex flex-col items-start gap-1 sm:items-end" data-testid="export-menu">
      <div role="group" aria-label="Export this view" className="flex flex-wrap items-center gap-1.5">
        <span className="text-xs font-medium text-slate-500" aria-hidden="true">
          Export
        </span>
        {ITEMS.map((item) => {
          const busy = running && state.kind === item.kind;
          return (
            <button
              key={item.kind}
              type="button"
              title={item.help}
              aria-busy={busy || undefined}
              disabled={running}
              onClick={() => void run(item.kind)}
              data-export={item.kind}
              className="inline-flex items-center gap-1 rounded-md border border-slate-300 bg-white px-2 py-1 text-xs font-medium text-slate-700 shadow-sm hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-indigo-600 disabled:cursor-not-allowed disabled:opacity-60"
            >
              <svg aria-hidden="true" viewBox="0 0 20 20" fill="currentColor" className={`h-3.5 w-3.5 ${busy ? 'animate-bounce' : ''}`}>
                <path d="M10.75 2.75a.75.75 0 0 0-1.5 0v8.614L6.295 8.235a.75.75 0 1 0-1.09 1.03l4.25 4.5a.75.75 0 0 0 1.09 0l4.25-4.5a.75.75 0 0 0-1.09-1.03l-2.955 3.129V2.75Z" />
                <path d="M3.5 12.75a.75.75 0 0 0-1.5 0v2.5A2.75 2.75 0 0 0 4.75 18h10.5A2.75 2.75 0 0 0 18 15.25v-2.5a.75.75 0 0 0-1.5 0v2.5c0 .69-.56 1.25-1.25 1.25H4.75c-.69 0-1.25-.56-1.25-1.25v-2.5Z" />
              </svg>
              {item.label}
            </button>
          );
        })}
      </div>
      <p className="min-h-4 text-xs" aria-live="polite" data-testid="export-status">
        {state.phase === 'running' && (
          <span className="text-slate-500">
            Preparing {label(state.kind)}
            {state.progress && state.progress.received > 0
              ? ` · ${formatBytes(state.progress.received, fmt)}${state.progress.total ? ` of ${formatBytes(state.progress.total, fmt)}` : ''}`
              : '…'}
          </span>
        )}
        {state.phase === 'done' && (
          <span className="text-emerald-700">
            Saved {state.filename} ({formatBytes(state.size, fmt)})
          </span>
        )}
      </p>
      {state.phase === 'error' && (
        <p role="alert" className="rounded bg-rose-50 px-2 py-1 text-xs text-rose-700">
          {label(state.kind)} failed: {state.message}{' '}
          <button type="button" className="font-medium underline" onClick={() => void run(state.kind)}>
            Retry
          </button>
        </p>
      )}
    </div>
  );
}
