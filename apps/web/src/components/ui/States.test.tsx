import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/client';
import { jsonResponse, metric, renderWithApp, sent } from '../../test/utils';
import { InsightsPanel } from '../analytics/InsightsPanel';
import { WISMOOverview } from '../analytics/WISMOOverview';
import { QueryView, type QueryLike } from './QueryView';

function fakeQuery<T>(over: Partial<QueryLike<T>>): QueryLike<T> {
  return { data: undefined, error: null, isPending: false, isError: false, refetch: vi.fn(), ...over };
}

describe('QueryView states', () => {
  it('shows a loading status', () => {
    render(<QueryView query={fakeQuery({ isPending: true })}>{() => 'content'}</QueryView>);
    expect(screen.getByRole('status')).toHaveTextContent('Loading');
    expect(screen.queryByText('content')).toBeNull();
  });

  it('shows the problem detail and retries with refetch', () => {
    const refetch = vi.fn();
    const error = new ApiError(503, 'Service Unavailable', 'The database is not reachable.');
    render(
      <QueryView query={fakeQuery({ isError: true, error, refetch })} errorTitle="Couldn’t load the metrics">
        {() => 'content'}
      </QueryView>,
    );
    const alert = screen.getByRole('alert');
    expect(alert).toHaveTextContent('Couldn’t load the metrics (503)');
    expect(alert).toHaveTextContent('The database is not reachable.');
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(refetch).toHaveBeenCalledTimes(1);
  });

  it('shows the empty state when the data is empty', () => {
    render(
      <QueryView query={fakeQuery({ data: [] as number[] })} isEmpty={(d) => d.length === 0}>
        {() => 'content'}
      </QueryView>,
    );
    expect(screen.getByTestId('empty-state')).toHaveTextContent('Nothing to show for this period.');
  });

  it('renders the content with data', () => {
    render(<QueryView query={fakeQuery({ data: [1, 2] })}>{(d) => `count ${d.length}`}</QueryView>);
    expect(screen.getByText('count 2')).toBeInTheDocument();
  });
});

const EMPTY_OVERVIEW = {
  range: { start: '2025-02-04', end: '2025-03-05', timezone: 'America/New_York', previousStart: '2025-01-05', previousEnd: '2025-02-03' },
  ...Object.fromEntries(
    [
      'totalInquiries',
      'totalOrders',
      'inquiryRate',
      'repeatInquiryRate',
      'avgResolutionSeconds',
      'firstContactResolutionRate',
      'avgFirstResponseSeconds',
      'satisfactionScore',
      'csat',
      'customerEffortScore',
      'avgTimeToShipSeconds',
      'onTimeDeliveryRate',
      'exceptionRate',
    ].map((k) => [k, metric(k.startsWith('total') ? 0 : null)]),
  ),
};

describe('dashboard states against the API', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('retries after an error and then shows a friendly empty store', async () => {
    const fetchMock = vi
      .fn()
      .mockResolvedValueOnce(
        jsonResponse({ type: 'about:blank', title: 'Internal Server Error', status: 500, detail: 'Boom' }, 500, 'application/problem+json'),
      )
      .mockResolvedValueOnce(jsonResponse(EMPTY_OVERVIEW));
    vi.stubGlobal('fetch', fetchMock);

    renderWithApp(<WISMOOverview storeId="store-1" filters={{ dateRange: '30d', groupBy: 'day' }} />);

    const retry = await screen.findByRole('button', { name: 'Retry' });
    expect(screen.getByRole('alert')).toHaveTextContent('Boom');
    const request = sent(fetchMock.mock.calls[0]);
    // The overview has no buckets: group_by is not sent (nor part of its cache key).
    expect(request.url).toBe('/api/v1/analytics/wismo/overview?date_range=30d');
    expect(request.headers.get('X-Store-Id')).toBe('store-1');
    expect(request.credentials).toBe('include');

    fireEvent.click(retry);
    expect(await screen.findByText('No orders or inquiries in this period yet')).toBeInTheDocument();
    expect(fetchMock).toHaveBeenCalledTimes(2);
    expect(screen.getByTestId('metric-totalInquiries')).toHaveTextContent('0');
  });

  it('shows insights as not available yet on a 404', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn().mockResolvedValue(jsonResponse({ title: 'Not Found', status: 404 }, 404, 'application/problem+json')),
    );
    renderWithApp(<InsightsPanel storeId="store-1" filters={{ dateRange: '7d', groupBy: 'day' }} />);
    await waitFor(() => expect(screen.getByTestId('empty-state')).toHaveTextContent('Insights aren’t available yet'));
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
