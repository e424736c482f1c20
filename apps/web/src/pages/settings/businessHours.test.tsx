import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { BusinessHours } from '../../api/types';
import { WISMOOverview } from '../../components/analytics/WISMOOverview';
import { jsonResponse, metric, renderWithApp, sent, STORE } from '../../test/utils';
import { BusinessHoursPage, describeWeek, todayIn } from './businessHours';

afterEach(() => vi.unstubAllGlobals());

const ADMIN = { ...STORE, role: 'admin' as const };
const CLOSED = { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] };
const NONE: BusinessHours = { timezone: 'America/New_York', versions: [], current: null, remeasured: null };

function routes(table: Record<string, (body: unknown) => Response>) {
  const bodies: Record<string, unknown> = {};
  const fetchMock = vi.fn(async (input: Request) => {
    const { url, method, request } = sent([input]);
    const text = await request.clone().text();
    bodies[`${method} ${url}`] = text ? JSON.parse(text) : undefined;
    const handler = table[`${method} ${url}`];
    if (!handler) throw new Error(`unexpected ${method} ${url}`);
    return handler(bodies[`${method} ${url}`]);
  });
  return Object.assign(fetchMock, { bodies });
}

describe('business hours settings', () => {
  it('starts from office hours, adds a night shift and a holiday, and saves one version', async () => {
    const fetchMock = routes({
      'GET /api/v1/stores/current/business-hours': () => jsonResponse(NONE),
      'PUT /api/v1/stores/current/business-hours': (body) => {
        const version = { ...(body as object), createdAt: '2026-11-30T10:00:00Z' } as BusinessHours['versions'][number];
        return jsonResponse({ ...NONE, versions: [version], current: version, remeasured: 3 });
      },
    });
    vi.stubGlobal('fetch', fetchMock);
    renderWithApp(<BusinessHoursPage />, { stores: [ADMIN] });

    expect(await screen.findByText(/No business hours yet/)).toBeInTheDocument();
    expect(screen.getByLabelText('Monday opens')).toHaveValue('09:00');
    expect(screen.getByLabelText('Friday closes')).toHaveValue('17:00');
    expect(screen.queryByLabelText('Saturday opens')).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: 'Add hours on Saturday' }));
    fireEvent.change(screen.getByLabelText('Saturday opens'), { target: { value: '22:00' } });
    fireEvent.change(screen.getByLabelText('Saturday closes'), { target: { value: '06:00' } });
    fireEvent.click(screen.getByRole('button', { name: 'Remove Wednesday 09:00–17:00' }));
    fireEvent.change(screen.getByLabelText('Holiday'), { target: { value: '2026-12-25' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add holiday' }));
    fireEvent.change(screen.getByLabelText('Takes effect on'), { target: { value: '2026-11-01' } });
    expect(screen.getByText(/A past date re-measures/)).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Save business hours' }));

    expect(await screen.findByRole('status')).toHaveTextContent('Saved.');
    const office: [string, string][] = [['09:00', '17:00']];
    expect(fetchMock.bodies['PUT /api/v1/stores/current/business-hours']).toEqual({
      weekly: { mon: office, tue: office, wed: [], thu: office, fri: office, sat: [['22:00', '06:00']], sun: [] },
      holidays: ['2026-12-25'],
      effectiveFrom: '2026-11-01',
    });
    expect(screen.getByText('3 inquiries re-measured.')).toBeInTheDocument();
    const table = screen.getByRole('table');
    expect(within(table).getByText('Mon–Tue 09:00–17:00 · Thu–Fri 09:00–17:00 · Sat 22:00–06:00')).toBeInTheDocument();
    expect(within(table).getByText('In effect')).toBeInTheDocument();
  });

  it('shows why the server refused the hours', async () => {
    vi.stubGlobal(
      'fetch',
      routes({
        'GET /api/v1/stores/current/business-hours': () => jsonResponse(NONE),
        'PUT /api/v1/stores/current/business-hours': () =>
          jsonResponse({ title: 'Invalid request', status: 422, detail: 'weekly: open intervals overlap' }, 422, 'application/problem+json'),
      }),
    );
    renderWithApp(<BusinessHoursPage />, { stores: [ADMIN] });
    fireEvent.click(await screen.findByRole('button', { name: 'Save business hours' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('weekly: open intervals overlap');
  });

  it('describes a week and reads today in the store zone', () => {
    expect(describeWeek(CLOSED)).toBe('Closed all week');
    const day: [string, string][] = [['08:30', '16:30']];
    expect(describeWeek({ ...CLOSED, mon: day, tue: day, wed: day, sun: [['10:00', '12:00'], ['13:00', '15:00']] })).toBe(
      'Mon–Wed 08:30–16:30 · Sun 10:00–12:00, 13:00–15:00',
    );
    // 03:00 UTC on Dec 1 is still Nov 30 in New York and already Dec 1 in Sydney.
    const at = new Date('2026-12-01T03:00:00Z');
    expect(todayIn('America/New_York', at)).toBe('2026-11-30');
    expect(todayIn('Australia/Sydney', at)).toBe('2026-12-01');
  });
});

describe('calendar / business hours switch on the overview', () => {
  const keys = ['totalInquiries', 'totalOrders', 'inquiryRate', 'repeatInquiryRate', 'avgResolutionSeconds', 'firstContactResolutionRate',
    'avgFirstResponseSeconds', 'satisfactionScore', 'csat', 'customerEffortScore', 'avgTimeToShipSeconds', 'onTimeDeliveryRate', 'exceptionRate'];
  const overview = (business: number | null) => ({
    range: { start: '2026-11-01', end: '2026-11-30', timezone: 'America/New_York', previousStart: '2026-10-02', previousEnd: '2026-10-31' },
    ...Object.fromEntries(keys.map((k) => [k, metric(k === 'avgResolutionSeconds' ? 7200 : k === 'totalInquiries' ? 4 : null)])),
    avgResolutionBusinessSeconds: metric(business),
    avgFirstResponseBusinessSeconds: metric(null),
  });

  it('swaps the duration cards for their business-hours twins', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => jsonResponse(overview(1800))));
    renderWithApp(<WISMOOverview storeId="store-1" filters={{ dateRange: '30d', groupBy: 'day' }} metrics={['totalInquiries', 'avgResolutionSeconds']} />);
    await waitFor(() => expect(screen.getByTestId('metric-avgResolutionSeconds')).toHaveTextContent('2h'));
    fireEvent.click(screen.getByRole('button', { name: 'Business hours' }));
    expect(screen.getByRole('button', { name: 'Business hours' })).toHaveAttribute('aria-pressed', 'true');
    expect(screen.queryByTestId('metric-avgResolutionSeconds')).toBeNull();
    expect(screen.getByTestId('metric-avgResolutionBusinessSeconds')).toHaveTextContent('30m');
    expect(screen.getByTestId('metric-totalInquiries')).toHaveTextContent('4');
    expect(screen.queryByText(/Set business hours/)).toBeNull();
  });

  it('points to the settings when nothing was measured in business hours', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => jsonResponse(overview(null))));
    renderWithApp(<WISMOOverview storeId="store-1" filters={{ dateRange: '30d', groupBy: 'day' }} />, { route: '/?hours=business' });
    expect(await screen.findByRole('link', { name: 'Set business hours' })).toHaveAttribute('href', '/settings/business-hours');
    await waitFor(() => expect(screen.getByTestId('metric-avgResolutionBusinessSeconds')).toHaveTextContent('—'));
  });
});
