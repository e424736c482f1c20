import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { StoreMembership, TimezoneChange } from '../../api/types';
import { TIMEZONE_POLL_MS, timeZoneOptions } from '../../components/settings/TimezoneChange';
import { SETUP_POLL_MS } from '../../components/analytics/SetupChecklist';
import { WISMOOverview } from '../../components/analytics/WISMOOverview';
import { jsonResponse, metric, renderWithApp, sent, STORE } from '../../test/utils';
import { ApiKeysPage } from './apiKeys';
import { AuditLogPage } from './audit';
import { StoreSettingsPage, storeChanges } from './store';
import { parseOrigins, WidgetSettingsPage } from './widget';

afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

const ADMIN: StoreMembership = { ...STORE, role: 'admin' };
const ANALYST: StoreMembership = { ...STORE, role: 'analyst' };
const SAVED = { id: 'store-1', name: 'Northwind', timezone: 'America/New_York', currency: 'USD', domain: 'northwind.myshopify.com' };

type Handler = (request: Request) => Response | Promise<Response>;

/** A fetch that answers by "METHOD path" and records every call. */
function routes(table: Record<string, Handler | Handler[]>) {
  const calls: { key: string; body: unknown }[] = [];
  const fetchMock = vi.fn(async (input: Request) => {
    const { url, method, request } = sent([input]);
    const key = `${method} ${url}`;
    const text = await request.clone().text();
    calls.push({ key, body: text ? JSON.parse(text) : undefined });
    const entry = table[key];
    const handler = Array.isArray(entry) ? (entry.length > 1 ? entry.shift() : entry[0]) : entry;
    if (!handler) throw new Error(`unexpected ${key}`);
    return handler(request);
  });
  vi.stubGlobal('fetch', fetchMock);
  return calls;
}

const problem = (status: number, detail: string) => () =>
  jsonResponse({ type: 'about:blank', title: 'Error', status, detail }, status, 'application/problem+json');

describe('store settings', () => {
  it('sends only the changed fields, and clears an emptied domain', () => {
    expect(storeChanges(SAVED, { name: 'Northwind', currency: 'usd', domain: 'northwind.myshopify.com' })).toEqual({});
    expect(storeChanges(SAVED, { name: ' Northwind Ltd ', currency: 'eur', domain: '' })).toEqual({
      name: 'Northwind Ltd',
      currency: 'EUR',
      domain: null,
    });
  });

  it('saves the store and shows the server’s refusal', async () => {
    const calls = routes({
      'GET /api/v1/stores/current': () => jsonResponse(SAVED),
      'PATCH /api/v1/stores/current': [problem(422, 'currency must be an ISO 4217 code'), () => jsonResponse({ ...SAVED, currency: 'EUR' })],
      'GET /api/v1/stores/current/timezone-change': problem(404, "this store's time zone has never been changed"),
      'GET /api/v1/auth/me': () => jsonResponse({ user: { id: 'u', email: 'a@x.example' }, stores: [ADMIN] }),
    });
    renderWithApp(<StoreSettingsPage />, { stores: [ADMIN] });
    const currency = await screen.findByLabelText(/Currency/);
    expect(screen.getByLabelText('Time zone')).toHaveValue('America/New_York');
    expect(screen.getByRole('button', { name: 'Save changes' })).toBeDisabled();
    fireEvent.change(currency, { target: { value: 'eur' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('currency must be an ISO 4217 code');
    fireEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    expect(await screen.findByRole('status')).toHaveTextContent('Saved.');
    expect(calls.filter((c) => c.key.startsWith('PATCH')).map((c) => c.body)).toEqual([{ currency: 'EUR' }, { currency: 'EUR' }]);
    expect(screen.getByLabelText(/Currency/)).toHaveValue('EUR');
  });

  it('tells an analyst the page needs the admin role, without asking the API', () => {
    const calls = routes({});
    renderWithApp(<StoreSettingsPage />, { stores: [ANALYST] });
    expect(screen.getByRole('alert')).toHaveTextContent('This page needs the admin role in this store.');
    expect(calls).toEqual([]);
  });
});

describe('store time zone', () => {
  const job = (extra: Partial<TimezoneChange>): TimezoneChange => ({
    id: 'job-1',
    fromTimezone: 'America/New_York',
    toTimezone: 'Asia/Tokyo',
    status: 'running',
    done: 0,
    total: 0,
    error: null,
    createdAt: '2026-03-01T10:00:00Z',
    finishedAt: null,
    ...extra,
  });

  it('offers the IANA zones, falls back to a short list, and always offers the current zone', () => {
    expect(timeZoneOptions('Asia/Tokyo')).toContain('Europe/Berlin');
    vi.stubGlobal('Intl', { ...Intl, supportedValuesOf: undefined });
    const fallback = timeZoneOptions('Atlantic/Reykjavik');
    expect(fallback[0]).toBe('Atlantic/Reykjavik');
    expect(fallback).toContain('Asia/Tokyo');
  });

  it('asks for confirmation, explains the rebuild, then polls the progress until done', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const calls = routes({
      'GET /api/v1/stores/current': () => jsonResponse(SAVED),
      'PATCH /api/v1/stores/current': () => jsonResponse({ ...SAVED, timezone: 'Asia/Tokyo' }),
      'GET /api/v1/stores/current/timezone-change': [
        problem(404, "this store's time zone has never been changed"),
        () => jsonResponse(job({ status: 'running', done: 23, total: 92 })),
        () => jsonResponse(job({ status: 'done', done: 92, total: 92, finishedAt: '2026-03-01T10:01:00Z' })),
      ],
      'GET /api/v1/auth/me': () => jsonResponse({ user: { id: 'u', email: 'a@x.example' }, stores: [ADMIN] }),
    });
    renderWithApp(<StoreSettingsPage />, { stores: [ADMIN] });
    const select = await screen.findByLabelText('Time zone');
    expect(screen.getByRole('button', { name: 'Change time zone' })).toBeDisabled();
    fireEvent.change(select, { target: { value: 'Asia/Tokyo' } });
    fireEvent.click(screen.getByRole('button', { name: 'Change time zone' }));

    const dialog = screen.getByRole('alertdialog', { name: 'Confirm time-zone change' });
    expect(dialog).toHaveTextContent('from America/New_York to Asia/Tokyo');
    expect(dialog).toHaveTextContent('all reports are rebuilt in the background');
    expect(calls.some((c) => c.key.startsWith('PATCH'))).toBe(false);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Change and rebuild' }));

    const bar = await screen.findByRole('progressbar', { name: 'Time-zone change progress' });
    expect(bar).toHaveAttribute('aria-valuenow', '25');
    expect(screen.getByText(/23 of 92 records/)).toBeInTheDocument();
    expect(screen.getByLabelText('Time zone')).toBeDisabled();
    expect(calls.filter((c) => c.key.startsWith('PATCH')).map((c) => c.body)).toEqual([{ timezone: 'Asia/Tokyo' }]);

    await act(() => vi.advanceTimersByTimeAsync(TIMEZONE_POLL_MS));
    expect(await screen.findByText('Reports now use Asia/Tokyo.')).toBeInTheDocument();
    expect(screen.queryByRole('progressbar')).toBeNull();
    expect(screen.getByLabelText('Time zone')).toHaveValue('Asia/Tokyo');
  });

  it('shows why a change is refused while another one runs', async () => {
    routes({
      'GET /api/v1/stores/current': () => jsonResponse(SAVED),
      'PATCH /api/v1/stores/current': problem(409, 'a time-zone change is still running for this store; try again later'),
      'GET /api/v1/stores/current/timezone-change': problem(404, 'never changed'),
    });
    renderWithApp(<StoreSettingsPage />, { stores: [ADMIN] });
    fireEvent.change(await screen.findByLabelText('Time zone'), { target: { value: 'Europe/Berlin' } });
    fireEvent.click(screen.getByRole('button', { name: 'Change time zone' }));
    fireEvent.click(screen.getByRole('button', { name: 'Change and rebuild' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('a time-zone change is still running');
  });
});

describe('API keys', () => {
  const KEY = { id: 'k1', name: 'ERP', prefix: 'wk_abc', createdAt: '2026-01-05T15:00:00Z', lastUsedAt: null, revokedAt: null };

  it('shows a new key once with a copy button, and revokes after a confirmation', async () => {
    const writeText = vi.fn().mockResolvedValue(undefined);
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } });
    const calls = routes({
      'GET /api/v1/stores/current/api-keys': [() => jsonResponse([]), () => jsonResponse([KEY]), () => jsonResponse([{ ...KEY, revokedAt: '2026-01-06T15:00:00Z' }])],
      'POST /api/v1/stores/current/api-keys': () => jsonResponse({ ...KEY, key: 'wk_abc.secret-part' }, 201),
      'DELETE /api/v1/stores/current/api-keys/k1': () => jsonResponse({ ...KEY, revokedAt: '2026-01-06T15:00:00Z' }),
    });
    renderWithApp(<ApiKeysPage />, { stores: [ADMIN] });
    expect(await screen.findByText('No API keys yet')).toBeInTheDocument();
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: ' ERP ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create key' }));
    const shown = await screen.findByRole('status');
    expect(shown).toHaveTextContent('wk_abc.secret-part');
    expect(shown).toHaveTextContent('shown only this once');
    fireEvent.click(within(shown).getByRole('button', { name: /Copy the new API key/ }));
    await waitFor(() => expect(writeText).toHaveBeenCalledWith('wk_abc.secret-part'));
    expect(await within(shown).findByText('Copied')).toBeInTheDocument();
    expect(calls.find((c) => c.key.startsWith('POST'))!.body).toEqual({ name: 'ERP' });

    // Created 2026-01-05 15:00 UTC is 10:00 in New York.
    expect(await screen.findByText(/Created Jan 5, 2026, 10:00 AM/)).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Revoke ERP' }));
    expect(calls.some((c) => c.key.startsWith('DELETE'))).toBe(false);
    fireEvent.click(screen.getByRole('button', { name: 'Revoke now ERP' }));
    expect(await screen.findByText(/revoked Jan 6, 2026/)).toBeInTheDocument();
    expect(calls.filter((c) => c.key.startsWith('DELETE')).map((c) => c.key)).toEqual(['DELETE /api/v1/stores/current/api-keys/k1']);
    expect(screen.queryByRole('button', { name: /Revoke/ })).toBeNull();
  });
});

describe('chat widget', () => {
  const WIDGET = { widgetKey: 'wgt_123', allowedOrigins: [], embedSnippet: '<script src="https://a.example/widget.js" data-key="wgt_123" defer></script>' };

  it('reads one origin a line', () => {
    expect(parseOrigins(' https://a.example \n\nhttps://b.example, http://localhost:3000\n')).toEqual([
      'https://a.example',
      'https://b.example',
      'http://localhost:3000',
    ]);
  });

  it('shows the snippet and key and saves the origins as the server normalised them', async () => {
    const calls = routes({
      'GET /api/v1/stores/current/widget': () => jsonResponse(WIDGET),
      'PUT /api/v1/stores/current/widget': [problem(422, "not an origin (scheme://host[:port]): 'shop'"), () => jsonResponse({ ...WIDGET, allowedOrigins: ['https://shop.example'] })],
    });
    renderWithApp(<WidgetSettingsPage />, { stores: [ADMIN] });
    expect(await screen.findByText(WIDGET.embedSnippet)).toBeInTheDocument();
    expect(screen.getByText('wgt_123')).toBeInTheDocument();
    const origins = screen.getByLabelText(/Allowed origins/);
    fireEvent.change(origins, { target: { value: 'shop' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save origins' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('not an origin');
    fireEvent.change(origins, { target: { value: 'https://Shop.Example/' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save origins' }));
    expect(await screen.findByRole('status')).toHaveTextContent('Saved.');
    expect(origins).toHaveValue('https://shop.example');
    expect(calls.filter((c) => c.key.startsWith('PUT')).map((c) => c.body)).toEqual([
      { allowedOrigins: ['shop'] },
      { allowedOrigins: ['https://Shop.Example/'] },
    ]);
  });
});

describe('audit log', () => {
  const event = (n: number) => ({ id: `e${n}`, actor: 'owner@x.example', action: 'api_key.created', target: `key ${n}`, ip: '10.0.0.1', at: '2026-01-05T15:00:00Z' });

  it('pages with the cursor', async () => {
    const calls = routes({
      'GET /api/v1/settings/audit': () => jsonResponse({ items: [event(1), event(2)], nextCursor: 'c2' }),
      'GET /api/v1/settings/audit?cursor=c2': () => jsonResponse({ items: [event(3)], nextCursor: null }),
    });
    renderWithApp(<AuditLogPage />, { stores: [STORE] });
    expect(await screen.findByText('Showing 2 events')).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Load more' }));
    expect(await screen.findByText('Showing 3 events')).toBeInTheDocument();
    expect(screen.getAllByRole('listitem')).toHaveLength(3);
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();
    expect(calls.map((c) => c.key)).toEqual(['GET /api/v1/settings/audit', 'GET /api/v1/settings/audit?cursor=c2']);
  });

  it('is for owners only', () => {
    routes({});
    renderWithApp(<AuditLogPage />, { stores: [ADMIN] });
    expect(screen.getByRole('alert')).toHaveTextContent('needs the owner role');
  });
});

describe('setup checklist on an empty dashboard', () => {
  const EMPTY = Object.fromEntries(
    ['totalInquiries', 'totalOrders', 'inquiryRate', 'repeatInquiryRate', 'avgResolutionSeconds', 'firstContactResolutionRate', 'avgFirstResponseSeconds', 'satisfactionScore', 'csat', 'customerEffortScore', 'avgTimeToShipSeconds', 'onTimeDeliveryRate', 'exceptionRate'].map((k) => [
      k,
      metric(k === 'totalInquiries' || k === 'totalOrders' ? 0 : null),
    ]),
  );
  const OVERVIEW = { ...EMPTY, range: { start: '2026-01-01', end: '2026-01-30', timezone: 'America/New_York', previousStart: '2025-12-02', previousEnd: '2025-12-31' } };
  const steps = (orders: boolean, tracking: boolean, inquiries: boolean) => ({
    complete: orders && tracking && inquiries,
    steps: [
      { key: 'orders', title: 'Send your first order', done: orders, instructions: [{ label: 'Shopify webhook URL', kind: 'url', value: 'https://a.example/api/v1/webhooks/shopify', note: null }] },
      { key: 'tracking', title: 'Receive your first shipment event', done: tracking, instructions: [{ label: 'AfterShip webhook URL', kind: 'url', value: 'https://a.example/api/v1/webhooks/tracking/aftership?store=store-1', note: null }] },
      { key: 'inquiries', title: 'Record your first customer inquiry', done: inquiries, instructions: [{ label: 'Add the chat widget', kind: 'snippet', value: '<script src="https://a.example/widget.js" data-key="wgt" defer></script>', note: null }] },
    ],
  });

  it('shows the steps with their URLs, ticks them as data arrives, and never a developer command', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    routes({
      'GET /api/v1/analytics/wismo/overview?date_range=30d': () => jsonResponse(OVERVIEW),
      'GET /api/v1/stores/current/setup': [() => jsonResponse(steps(false, false, false)), () => jsonResponse(steps(true, false, false)), () => jsonResponse(steps(true, true, true))],
    });
    renderWithApp(<WISMOOverview storeId="store-1" filters={{ dateRange: '30d', groupBy: 'day' }} showSetup />);
    const card = await screen.findByRole('region', { name: 'Set up your store' });
    expect(card).toHaveTextContent('0 of 3 done');
    expect(card).toHaveTextContent('https://a.example/api/v1/webhooks/shopify');
    expect(card).toHaveTextContent('https://a.example/api/v1/webhooks/tracking/aftership?store=store-1');
    expect(card).toHaveTextContent('data-key="wgt"');
    expect(document.body).not.toHaveTextContent('wismo demo');
    expect(screen.queryByText('No orders or inquiries in this period yet')).toBeNull();

    await act(() => vi.advanceTimersByTimeAsync(SETUP_POLL_MS));
    expect(await screen.findByText(/1 of 3 done/)).toBeInTheDocument();
    expect(screen.getByText('Send your first order')).toHaveClass('line-through');
    expect(screen.queryByText('https://a.example/api/v1/webhooks/shopify')).toBeNull();

    await act(() => vi.advanceTimersByTimeAsync(SETUP_POLL_MS));
    await waitFor(() => expect(screen.queryByRole('region', { name: 'Set up your store' })).toBeNull());
    expect(screen.getByText('No orders or inquiries in this period yet')).toBeInTheDocument();
  });
});
