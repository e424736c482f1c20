import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { errorMessage, isApiError } from '../../api/client';
import { api } from '../../api/endpoints';
import type { CurrentStore, TimezoneChange } from '../../api/types';
import { authKeys } from '../../api/queries';
import { FIELD, PRIMARY_BUTTON } from '../../pages/settings/SettingsNav';

export const TIMEZONE_POLL_MS = 2000;

const FALLBACK_ZONES = [
  'UTC',
  'America/New_York',
  'America/Chicago',
  'America/Denver',
  'America/Los_Angeles',
  'America/Sao_Paulo',
  'Europe/London',
  'Europe/Paris',
  'Europe/Berlin',
  'Africa/Johannesburg',
  'Asia/Dubai',
  'Asia/Kolkata',
  'Asia/Singapore',
  'Asia/Tokyo',
  'Australia/Sydney',
  'Pacific/Auckland',
];

/** The browser's IANA zones, or a short list where `Intl.supportedValuesOf` is missing; the
 * current zone is always offered. */
export function timeZoneOptions(current: string): string[] {
  const intl = Intl as { supportedValuesOf?: (key: string) => string[] };
  let zones: string[] = [];
  try {
    zones = intl.supportedValuesOf?.('timeZone') ?? [];
  } catch {
    zones = [];
  }
  if (zones.length === 0) zones = FALLBACK_ZONES;
  return zones.includes(current) ? zones : [current, ...zones];
}

export function isRunning(job: TimezoneChange | null | undefined): boolean {
  return job?.status === 'pending' || job?.status === 'running';
}

/** Percent of the facts converted; the final rollup rebuild is the last step after 100 %. */
export function percentDone(job: TimezoneChange): number {
  if (job.status === 'done') return 100;
  if (job.total <= 0) return 0;
  return Math.min(99, Math.floor((job.done / job.total) * 100));
}

function useTimezoneChange(storeId: string) {
  return useQuery({
    queryKey: ['settings', 'store', storeId, 'timezone-change'],
    queryFn: async ({ signal }) => {
      try {
        return await api.timezoneChange({ storeId, signal });
      } catch (error) {
        if (isApiError(error) && error.status === 404) return null;
        throw error;
      }
    },
    refetchInterval: (query) => (isRunning(query.state.data) ? TIMEZONE_POLL_MS : false),
  });
}

function Progress({ job }: { job: TimezoneChange }) {
  const percent = percentDone(job);
  const running = isRunning(job);
  return (
    <div className="space-y-1" aria-live="polite">
      {running && (
        <>
          <p className="text-sm text-slate-700">
            Moving to {job.toTimezone}: {job.total > 0 ? `${job.done.toLocaleString()} of ${job.total.toLocaleString()} records` : 'starting'}…
          </p>
          <div
            role="progressbar"
            aria-label="Time-zone change progress"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={percent}
            className="h-2 w-full overflow-hidden rounded bg-slate-200"
          >
            <div className="h-full bg-indigo-600 transition-all" style={{ width: `${percent}%` }} />
          </div>
        </>
      )}
      {job.status === 'failed' && (
        <p role="alert" className="text-sm text-rose-700">
          The change to {job.toTimezone} failed: {job.error ?? 'unknown error'}. Choose the zone again to retry.
        </p>
      )}
      {job.status === 'done' && (
        <p role="status" className="text-sm text-emerald-700">
          Reports now use {job.toTimezone}.
        </p>
      )}
    </div>
  );
}

export function TimezoneSetting({ saved, storeId }: { saved: CurrentStore; storeId: string }) {
  const queryClient = useQueryClient();
  const selectId = useId();
  const [zone, setZone] = useState(saved.timezone);
  const [confirming, setConfirming] = useState(false);
  const job = useTimezoneChange(storeId);
  const running = isRunning(job.data);
  const change = useMutation({
    mutationFn: () => api.updateStore({ timezone: zone }, { storeId }),
    onSuccess: (store) => {
      setConfirming(false);
      queryClient.setQueryData(['settings', 'store', storeId], store);
      void queryClient.invalidateQueries({ queryKey: ['settings', 'store', storeId, 'timezone-change'] });
      void queryClient.invalidateQueries({ queryKey: authKeys.me });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (zone !== saved.timezone) setConfirming(true);
  };

  return (
    <form onSubmit={submit} className="space-y-3 border-t border-slate-200 pt-4">
      <label htmlFor={selectId} className="block text-sm font-medium text-slate-700">
        Time zone
      </label>
      <select
        id={selectId}
        value={zone}
        disabled={running || change.isPending}
        aria-describedby={`${selectId}-help`}
        onChange={(e) => {
          change.reset();
          setConfirming(false);
          setZone(e.target.value);
        }}
        className={`${FIELD} sm:max-w-sm`}
      >
        {timeZoneOptions(saved.timezone).map((name) => (
          <option key={name} value={name}>
            {name}
          </option>
        ))}
      </select>
      <span id={`${selectId}-help`} className="block text-xs text-slate-500">
        Days and hours in every report are this zone&rsquo;s.
      </span>
      {confirming ? (
        <div role="alertdialog" aria-label="Confirm time-zone change" className="space-y-2 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900">
          <p>
            Change the time zone from {saved.timezone} to {zone}? Every order, shipment and inquiry is filed again under {zone}&rsquo;s days and
            hours, and all reports are rebuilt in the background. Until it finishes, the dashboard shows the old days.
          </p>
          <div className="flex gap-2">
            <button type="button" className={PRIMARY_BUTTON} disabled={change.isPending} onClick={() => change.mutate()}>
              {change.isPending ? 'Starting…' : 'Change and rebuild'}
            </button>
            <button type="button" className="rounded-md px-3 py-2 text-sm text-slate-700 hover:bg-amber-100" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </div>
        </div>
      ) : (
        <button type="submit" className={PRIMARY_BUTTON} disabled={running || zone === saved.timezone}>
          Change time zone
        </button>
      )}
      {change.isError && (
        <p role="alert" className="text-sm text-rose-700">
          {errorMessage(change.error)}
        </p>
      )}
      {job.isError ? (
        <p role="alert" className="text-sm text-rose-700">
          Could not load the time-zone change: {errorMessage(job.error)}
        </p>
      ) : (
        job.data && <Progress job={job.data} />
      )}
    </form>
  );
}
