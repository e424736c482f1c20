import { QueryClientProvider, type QueryClient, type QueryKey } from '@tanstack/react-query';
import { act, render, renderHook, screen } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/client';
import type { LiveStatus } from '../api/types';
import { createQueryClient } from '../app/queryClient';
import { LiveIndicator } from '../components/layout/LiveIndicator';
import { FakeWebSocket } from '../test/fakeWebSocket';
import { LiveContext, POLL_INTERVAL_MS, usePollInterval } from './liveContext';
import { liveUrl, useLiveUpdates, type LiveOptions } from './useLiveUpdates';
import { wismoKeys } from '../api/queries';

const TZ = 'America/New_York';
// 10:00 in New York on 2025-03-07: "today" for the store.
const NOW = new Date('2025-03-07T15:00:00Z');
const FAST: LiveOptions = { batchMs: 50, ticket: (storeId) => `ticket-${storeId}` };

function range(start: string, end: string, previousStart: string, previousEnd: string) {
  return { range: { start, end, previousStart, previousEnd, timezone: TZ } };
}

const KEYS = {
  overview7d: wismoKeys.overview('s1', { date_range: '7d' }),
  trends7d: wismoKeys.inquiries('s1', { date_range: '7d', group_by: 'day' }),
  overviewJan: wismoKeys.overview('s1', { date_range: 'custom', start: '2025-01-01', end: '2025-01-31' }),
  fulfillmentJan: wismoKeys.fulfillment('s1', { date_range: 'custom', start: '2025-01-01', end: '2025-01-31', group_by: 'week' }),
  otherStore: wismoKeys.overview('s2', { date_range: '7d' }),
  drilldown: wismoKeys.drilldown('s1', 'inquiries', { date_range: 'custom', start: '2024-01-01', end: '2024-01-31' }),
  timeline: wismoKeys.timeline('s1', '1001'),
  atRisk: wismoKeys.atRisk('s1', 100),
};

function seed(client: QueryClient) {
  client.setQueryData(KEYS.overview7d, range('2025-03-01', '2025-03-07', '2025-02-22', '2025-02-28'));
  client.setQueryData(KEYS.trends7d, range('2025-03-01', '2025-03-07', '2025-02-22', '2025-02-28'));
  client.setQueryData(KEYS.overviewJan, range('2025-01-01', '2025-01-31', '2024-12-01', '2024-12-31'));
  client.setQueryData(KEYS.fulfillmentJan, range('2025-01-01', '2025-01-31', '2024-12-01', '2024-12-31'));
  client.setQueryData(KEYS.otherStore, range('2025-03-01', '2025-03-07', '2025-02-22', '2025-02-28'));
  client.setQueryData(KEYS.drilldown, { pages: [], pageParams: [] });
  client.setQueryData(KEYS.timeline, { orderNumber: '1001', events: [] });
  client.setQueryData(KEYS.atRisk, { items: [] });
}

function invalidated(client: QueryClient): string[] {
  return Object.entries(KEYS)
    .filter(([, key]) => client.getQueryState(key as QueryKey)?.isInvalidated)
    .map(([name]) => name)
    .sort();
}

function setup(storeId = 's1', options: LiveOptions = FAST) {
  const client = createQueryClient({ retry: false });
  seed(client);
  const wrapper = ({ children }: { children: ReactNode }) => <QueryClientProvider client={client}>{children}</QueryClientProvider>;
  const hook = renderHook(({ id }: { id: string }) => useLiveUpdates(id, TZ, options), { wrapper, initialProps: { id: storeId } });
  return { client, hook };
}

function connectLive(ws = FakeWebSocket.last, degraded = false) {
  act(() => {
    ws.open();
    ws.receive({ type: 'live.ready', degraded });
  });
}

beforeEach(() => {
  vi.useFakeTimers({ now: NOW });
  FakeWebSocket.reset();
  vi.stubGlobal('WebSocket', FakeWebSocket);
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('useLiveUpdates', () => {
  it('connects to the store’s live feed and reports Live once ready', () => {
    const { hook } = setup();
    expect(FakeWebSocket.instances).toHaveLength(1);
    expect(FakeWebSocket.last.url).toBe(`ws://${window.location.host}/api/v1/analytics/wismo/live?ticket=ticket-s1`);
    expect(hook.result.current).toBe('connecting');
    connectLive();
    expect(hook.result.current).toBe('live');
  });

  it('invalidates only the queries whose range (or compared previous period) includes an updated date', () => {
    const { client } = setup();
    connectLive();
    act(() => FakeWebSocket.last.receive({ type: 'metrics.updated', storeId: 's1', dates: ['2025-03-07'], at: NOW.toISOString() }));
    // batched: nothing yet
    expect(invalidated(client)).toEqual([]);
    act(() => vi.advanceTimersByTime(FAST.batchMs!));
    // today is in both 7-day views; January, the other store and nothing else range-bound move.
    expect(invalidated(client)).toEqual(['atRisk', 'drilldown', 'overview7d', 'timeline', 'trends7d']);
  });

  it('an update in the previous period moves the overview (its comparison) but not the trends', () => {
    const { client } = setup();
    connectLive();
    act(() => {
      FakeWebSocket.last.receive({ type: 'metrics.updated', storeId: 's1', dates: ['2025-02-25'] });
      vi.advanceTimersByTime(FAST.batchMs!);
    });
    expect(invalidated(client)).toContain('overview7d');
    expect(invalidated(client)).not.toContain('trends7d');
    expect(invalidated(client)).not.toContain('overviewJan');
  });

  it('an update in January moves the custom January views only (plus the store-wide lists)', () => {
    const { client } = setup();
    connectLive();
    act(() => {
      FakeWebSocket.last.receive({ type: 'metrics.updated', storeId: 's1', dates: ['2025-01-15', '2025-01-16'] });
      vi.advanceTimersByTime(FAST.batchMs!);
    });
    expect(invalidated(client)).toEqual(['atRisk', 'drilldown', 'fulfillmentJan', 'overviewJan', 'timeline']);
  });

  it('ignores another store’s updates', () => {
    const { client } = setup();
    connectLive();
    act(() => {
      FakeWebSocket.last.receive({ type: 'metrics.updated', storeId: 's2', dates: ['2025-03-07'] });
      vi.advanceTimersByTime(FAST.batchMs!);
    });
    expect(invalidated(client)).toEqual([]);
  });

  it('reconnects with growing backoff, says Reconnecting then Polling, and refetches after reconnecting', () => {
    const { client, hook } = setup();
    connectLive();
    act(() => FakeWebSocket.last.serverClose(1006));
    expect(hook.result.current).toBe('reconnecting');
    expect(FakeWebSocket.instances).toHaveLength(1);

    // attempt 1 after ~1 s (±20 %), attempt 2 after ~2 s, attempt 3 after ~4 s
    act(() => vi.advanceTimersByTime(1200));
    expect(FakeWebSocket.instances).toHaveLength(2);
    act(() => FakeWebSocket.last.serverClose(1006));
    act(() => vi.advanceTimersByTime(1500));
    expect(FakeWebSocket.instances).toHaveLength(2);
    act(() => vi.advanceTimersByTime(1000));
    expect(FakeWebSocket.instances).toHaveLength(3);
    act(() => FakeWebSocket.last.serverClose(1006));
    expect(hook.result.current).toBe('reconnecting');
    act(() => vi.advanceTimersByTime(4800));
    expect(FakeWebSocket.instances).toHaveLength(4);
    act(() => FakeWebSocket.last.serverClose(1006));
    // more than 3 failed attempts in a row: the indicator says Polling (and keeps retrying)
    expect(hook.result.current).toBe('polling');
    act(() => vi.advanceTimersByTime(9600));
    expect(FakeWebSocket.instances).toHaveLength(5);

    expect(invalidated(client)).toEqual([]);
    connectLive();
    expect(hook.result.current).toBe('live');
    // messages may have been missed while disconnected: everything of the store is refetched
    expect(invalidated(client)).toEqual(['atRisk', 'drilldown', 'fulfillmentJan', 'overview7d', 'overviewJan', 'timeline', 'trends7d']);
  });

  it('does not reconnect after 4401 (bad credential) or 4404 (foreign store): polling', () => {
    for (const code of [4401, 4404]) {
      FakeWebSocket.reset();
      const { hook } = setup();
      act(() => FakeWebSocket.last.serverClose(code));
      expect(hook.result.current).toBe('polling');
      act(() => vi.advanceTimersByTime(120_000));
      expect(FakeWebSocket.instances).toHaveLength(1);
      hook.unmount();
    }
  });

  it('falls back to polling while the server is degraded, and refetches when it is restored', () => {
    const { client, hook } = setup();
    connectLive(FakeWebSocket.last, true);
    expect(hook.result.current).toBe('polling');
    act(() => FakeWebSocket.last.receive({ type: 'live.restored' }));
    expect(hook.result.current).toBe('live');
    expect(invalidated(client)).toContain('overviewJan');
    act(() => FakeWebSocket.last.receive({ type: 'live.degraded' }));
    expect(hook.result.current).toBe('polling');
  });

  it('treats a silent socket as dead (the server pings every 25 s)', () => {
    const { hook } = setup('s1', { ...FAST, silenceMs: 30_000 });
    connectLive();
    act(() => vi.advanceTimersByTime(20_000));
    act(() => FakeWebSocket.last.receive({ type: 'ping' }));
    act(() => vi.advanceTimersByTime(20_000));
    expect(hook.result.current).toBe('live');
    act(() => vi.advanceTimersByTime(10_001));
    expect(FakeWebSocket.last.closedBy?.code).toBe(4000);
    expect(hook.result.current).toBe('reconnecting');
  });

  it('switches the socket with the store and closes it on unmount', () => {
    const { hook } = setup();
    const first = FakeWebSocket.last;
    connectLive(first);
    hook.rerender({ id: 's2' });
    expect(first.closedBy?.code).toBe(1000);
    expect(FakeWebSocket.last.url).toContain('ticket=ticket-s2');
    expect(hook.result.current).toBe('connecting');
    const second = FakeWebSocket.last;
    hook.unmount();
    expect(second.closedBy?.code).toBe(1000);
    act(() => vi.advanceTimersByTime(60_000));
    expect(FakeWebSocket.instances).toHaveLength(2);
  });

  it('ignores malformed messages', () => {
    const { client, hook } = setup();
    connectLive();
    act(() => {
      FakeWebSocket.last.receive('not json');
      FakeWebSocket.last.receive({ type: 'something.else' });
      vi.advanceTimersByTime(1000);
    });
    expect(hook.result.current).toBe('live');
    expect(invalidated(client)).toEqual([]);
  });

  it('builds the socket URL from the page origin, with the ticket and nothing else', () => {
    expect(liveUrl('a.b+c')).toBe(`ws://${window.location.host}/api/v1/analytics/wismo/live?ticket=a.b%2Bc`);
  });

  it('asks for a fresh ticket on every connection', async () => {
    const asked: string[] = [];
    const ticket = (storeId: string) => {
      asked.push(storeId);
      return Promise.resolve(`t${asked.length}`);
    };
    setup('s1', { ...FAST, ticket });
    await act(async () => {});
    expect(FakeWebSocket.last.url).toContain('ticket=t1');
    connectLive();
    act(() => FakeWebSocket.last.serverClose(1006));
    await act(async () => {
      vi.advanceTimersByTime(60_000);
    });
    expect(asked).toEqual(['s1', 's1']);
    expect(FakeWebSocket.last.url).toContain('ticket=t2');
  });

  it('stops (polling) when the ticket is refused with 401', async () => {
    const refused = () => Promise.reject(new ApiError(401, 'Not authenticated'));
    const { hook } = setup('s1', { ...FAST, ticket: refused });
    await act(async () => {});
    expect(FakeWebSocket.instances).toHaveLength(0);
    expect(hook.result.current).toBe('polling');
  });
});

describe('polling fallback and the indicator', () => {
  function Probe({ status }: { status: LiveStatus | null }) {
    function Inner() {
      const interval = usePollInterval();
      return <span data-testid="interval">{String(interval)}</span>;
    }
    return (
      <LiveContext.Provider value={status}>
        <LiveIndicator status={status} />
        <Inner />
      </LiveContext.Provider>
    );
  }

  it.each([
    ['live', 'Live', 'false'],
    ['connecting', 'Connecting', 'false'],
    ['reconnecting', 'Reconnecting', String(POLL_INTERVAL_MS)],
    ['polling', 'Polling', String(POLL_INTERVAL_MS)],
  ] as const)('%s: shows “%s” and polls every %s ms', (status, label, interval) => {
    render(<Probe status={status} />);
    expect(screen.getByRole('status')).toHaveTextContent(label);
    expect(screen.getByTestId('live-indicator')).toHaveAttribute('data-status', status);
    expect(screen.getByTestId('interval')).toHaveTextContent(interval);
  });

  it('does not poll without a live provider (tests, public pages)', () => {
    render(<Probe status={null} />);
    expect(screen.queryByRole('status')).toBeNull();
    expect(screen.getByTestId('interval')).toHaveTextContent('false');
  });
});
