import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api } from '../../api/endpoints';
import type { BusinessHoursUpdate } from '../../api/types';
import { useStore } from '../../app/StoreContext';
import { Card } from '../../components/ui/Card';
import { LoadingBlock } from '../../components/ui/Skeleton';
import { wismoKeys } from '../../api/queries';
import { ErrorState } from '../../components/ui/States';
import { FIELD, hasRole, SaveFooter, SettingsPage } from './SettingsNav';

export const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
type Day = (typeof DAYS)[number];
const DAY_NAMES: Record<Day, string> = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
};
const OFFICE_HOURS: [string, string][] = [['09:00', '17:00']];
const SMALL_BUTTON = 'rounded-md border border-slate-300 px-2 py-1 text-xs font-medium text-slate-700 hover:bg-slate-50';

export interface HoursForm {
  weekly: Record<Day, [string, string][]>;
  holidays: string[];
  effectiveFrom: string;
}

/** Today's date (YYYY-MM-DD) in the store's time zone. */
export function todayIn(timezone: string, now: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** The form starts from the version in effect (or office hours on weekdays), taking effect today. */
export function initialForm(saved: BusinessHours, today: string): HoursForm {
  const weekly = {} as Record<Day, [string, string][]>;
  for (const day of DAYS) {
    const hours = saved.current?.weekly[day];
    weekly[day] = hours ? hours.map(([o = '', c = '']) => [o, c]) : day === 'sat' || day === 'sun' ? [] : OFFICE_HOURS.map(([o, c]) => [o, c]);
  }
  return { weekly, holidays: [...(saved.current?.holidays ?? [])], effectiveFrom: today };
}

/** The GET/PUT response as the client delivers it. */
type BusinessHours = Awaited<ReturnType<typeof api.businessHours>>;

/** A week as the API returns it: intervals per weekday (a day left out is closed). */
type Week = Partial<Record<Day, string[][]>>;

export function toUpdate(form: HoursForm): BusinessHoursUpdate {
  return { weekly: form.weekly, holidays: [...form.holidays].sort(), effectiveFrom: form.effectiveFrom };
}

/** "Mon–Fri 09:00–17:00 · Sat 22:00–06:00" */
export function describeWeek(weekly: Week): string {
  const parts: string[] = [];
  let run: { from: Day; to: Day; text: string } | null = null;
  const flush = () => {
    if (run) parts.push(`${label(run.from)}${run.from === run.to ? '' : `–${label(run.to)}`} ${run.text}`);
  };
  for (const day of DAYS) {
    const hours = weekly[day] ?? [];
    const text = hours.map(([o, c]) => `${o}–${c}`).join(', ');
    if (run && text && run.text === text) {
      run.to = day;
      continue;
    }
    flush();
    run = text ? { from: day, to: day, text } : null;
  }
  flush();
  return parts.length ? parts.join(' · ') : 'Closed all week';
}

function label(day: Day): string {
  return DAY_NAMES[day].slice(0, 3);
}

/** A local wall time ("HH:MM") of the store. */
function WallTime({ label, value, onChange }: { label: string; value: string; onChange: (value: string) => void }) {
  return (
    <input
      type="time"
      required
      aria-label={label}
      value={value}
      onChange={(e) => onChange(e.target.value)}
      className="rounded-md border border-slate-300 px-2 py-1 text-sm"
    />
  );
}

function HoursEditor({ saved, storeId }: { saved: BusinessHours; storeId: string }) {
  const queryClient = useQueryClient();
  const today = todayIn(saved.timezone);
  const [form, setForm] = useState<HoursForm>(() => initialForm(saved, today));
  const [holiday, setHoliday] = useState('');
  const save = useMutation({
    mutationFn: () => api.setBusinessHours(toUpdate(form), { storeId }),
    onSuccess: (result) => {
      queryClient.setQueryData(['settings', 'business-hours', storeId], result);
      // Figures measured in business hours may have moved.
      void queryClient.invalidateQueries({ queryKey: wismoKeys.store(storeId) });
    },
  });
  const change = (update: (f: HoursForm) => HoursForm) => {
    save.reset();
    setForm(update);
  };
  const setInterval = (day: Day, index: number, edge: 0 | 1, value: string) =>
    change((f) => ({
      ...f,
      weekly: { ...f.weekly, [day]: f.weekly[day].map((pair, i) => (i === index ? (edge === 0 ? [value, pair[1]] : [pair[0], value]) : pair)) },
    }));
  const addInterval = (day: Day) =>
    change((f) => ({ ...f, weekly: { ...f.weekly, [day]: [...f.weekly[day], f.weekly[day].length ? ['18:00', '20:00'] : ['09:00', '17:00']] } }));
  const removeInterval = (day: Day, index: number) =>
    change((f) => ({ ...f, weekly: { ...f.weekly, [day]: f.weekly[day].filter((_, i) => i !== index) } }));
  const addHoliday = () => {
    if (!holiday || form.holidays.includes(holiday)) return;
    change((f) => ({ ...f, holidays: [...f.holidays, holiday].sort() }));
    setHoliday('');
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  const past = form.effectiveFrom < today;

  return (
    <form onSubmit={submit} className="space-y-5" aria-label="Business hours">
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-slate-700">Weekly hours ({saved.timezone})</legend>
        {DAYS.map((day) => (
          <div key={day} className="flex flex-wrap items-center gap-2 border-b border-slate-100 py-2 last:border-0">
            <span className="w-24 text-sm text-slate-700">{DAY_NAMES[day]}</span>
            {form.weekly[day].length === 0 && <span className="text-sm text-slate-500">Closed</span>}
            {form.weekly[day].map(([opens, closes], index) => (
              <span key={index} className="inline-flex items-center gap-1">
                <WallTime label={`${DAY_NAMES[day]} opens`} value={opens} onChange={(value) => setInterval(day, index, 0, value)} />
                <span className="text-slate-500">–</span>
                <WallTime label={`${DAY_NAMES[day]} closes`} value={closes} onChange={(value) => setInterval(day, index, 1, value)} />
                <button type="button" className={SMALL_BUTTON} aria-label={`Remove ${DAY_NAMES[day]} ${opens}–${closes}`} onClick={() => removeInterval(day, index)}>
                  ✕
                </button>
              </span>
            ))}
            <button type="button" className={SMALL_BUTTON} onClick={() => addInterval(day)} aria-label={`Add hours on ${DAY_NAMES[day]}`}>
              + Hours
            </button>
          </div>
        ))}
        <p className="text-xs text-slate-500">A close at or before the open runs overnight: 22:00–06:00 belongs to the day it opens.</p>
      </fieldset>

      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-slate-700">Holidays (closed all day)</legend>
        <div className="flex flex-wrap items-center gap-2">
          <input type="date" aria-label="Holiday" value={holiday} onChange={(e) => setHoliday(e.target.value)} className="rounded-md border border-slate-300 px-2 py-1 text-sm" />
          <button type="button" className={SMALL_BUTTON} onClick={addHoliday} disabled={!holiday}>
            Add holiday
          </button>
        </div>
        {form.holidays.length > 0 && (
          <ul className="flex flex-wrap gap-2" aria-label="Holidays">
            {form.holidays.map((day) => (
              <li key={day} className="inline-flex items-center gap-1 rounded-full bg-slate-100 px-2 py-0.5 text-xs text-slate-700">
                {day}
                <button type="button" aria-label={`Remove holiday ${day}`} onClick={() => change((f) => ({ ...f, holidays: f.holidays.filter((d) => d !== day) }))}>
                  ✕
                </button>
              </li>
            ))}
          </ul>
        )}
      </fieldset>

      <label className="block max-w-xs text-sm font-medium text-slate-700">
        Takes effect on
        <input type="date" required value={form.effectiveFrom} onChange={(e) => change((f) => ({ ...f, effectiveFrom: e.target.value }))} className={FIELD} />
      </label>
      <p className="text-xs text-slate-500">
        {past
          ? 'A past date re-measures the inquiries answered or resolved since then; figures before it stay as they are.'
          : 'Figures before this date never change. A later date changes nothing until then.'}
      </p>
      <SaveFooter save={save} label="Save business hours" />
      {save.isSuccess && (save.data.remeasured ?? 0) > 0 && (
        <p className="text-sm text-slate-600">{save.data.remeasured} inquiries re-measured.</p>
      )}
    </form>
  );
}

function Versions({ saved }: { saved: BusinessHours }) {
  if (saved.versions.length === 0) {
    return <p className="text-sm text-slate-500">No business hours yet: response and resolution times are counted in calendar time only.</p>;
  }
  const current = saved.current?.effectiveFrom;
  return (
    <table className="w-full text-left text-sm">
      <thead className="text-xs uppercase text-slate-500">
        <tr>
          <th className="py-1 pr-3 font-medium">From</th>
          <th className="py-1 pr-3 font-medium">Hours</th>
          <th className="py-1 pr-3 font-medium">Holidays</th>
          <th className="py-1 font-medium">Status</th>
        </tr>
      </thead>
      <tbody>
        {[...saved.versions].reverse().map((v) => (
          <tr key={v.effectiveFrom} className="border-t border-slate-100">
            <td className="py-2 pr-3 tabular-nums">{v.effectiveFrom}</td>
            <td className="py-2 pr-3">{describeWeek(v.weekly)}</td>
            <td className="py-2 pr-3">{v.holidays.length ? v.holidays.join(', ') : '—'}</td>
            <td className="py-2 text-slate-600">{v.effectiveFrom === current ? 'In effect' : current === undefined || v.effectiveFrom > current ? 'Scheduled' : 'Past'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function BusinessHoursPage() {
  const { store } = useStore();
  const query = useQuery({
    queryKey: ['settings', 'business-hours', store.id],
    queryFn: ({ signal }) => api.businessHours({ storeId: store.id, signal }),
    enabled: hasRole(store.role, 'admin'),
  });
  return (
    <SettingsPage title="Business hours" role="admin">
      {() =>
        query.isPending ? (
          <LoadingBlock className="h-64" />
        ) : query.isError ? (
          <ErrorState error={query.error} onRetry={() => void query.refetch()} />
        ) : (
          <div className="space-y-5">
            <Card
              title="Business hours"
              description="When your team answers. First response and resolution times are also counted in these hours, and the dashboard switches between calendar time and business hours."
            >
              <HoursEditor saved={query.data} storeId={store.id} />
            </Card>
            <Card title="Versions" description="Each version holds from its date until the next one.">
              <Versions saved={query.data} />
            </Card>
          </div>
        )
      }
    </SettingsPage>
  );
}

export default BusinessHoursPage;
