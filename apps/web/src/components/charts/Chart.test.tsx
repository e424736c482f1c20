import { QueryClientProvider } from '@tanstack/react-query';
import { act, render, screen } from '@testing-library/react';
import { beforeAll, describe, expect, it } from 'vitest';
import { createQueryClient } from '../../app/queryClient';
import { Chart } from './Chart';

describe('Chart', () => {
  // Transforming Recharts for the test runner took over five seconds on a busy machine; the test
  // is about when the chart is drawn, so the module is brought in before it starts.
  beforeAll(() => import('./RechartsChart'), 60_000);

  it('shows a placeholder while the overview cards’ first data loads, then draws', async () => {
    const client = createQueryClient({ retry: false });
    let answer: (value: object) => void = () => undefined;
    void client.prefetchQuery({
      queryKey: ['wismo', 'store-1', 'overview', {}],
      queryFn: () => new Promise<object>((resolve) => (answer = resolve)),
    });
    const data = [
      { label: 'Delivered', count: 3 },
      { label: 'In transit', count: 1 },
    ];
    render(
      <QueryClientProvider client={client}>
        <Chart kind="pie" title="Order status" data={data} valueKey="count" rowLabel={(d) => d.label} />
      </QueryClientProvider>,
    );

    expect(screen.getByRole('status')).toHaveTextContent('Loading chart: Order status');
    await act(() => new Promise((resolve) => setTimeout(resolve, 50)));
    expect(screen.queryByRole('figure')).toBeNull();

    await act(async () => answer({}));
    expect(await screen.findByRole('figure', { name: 'Order status' })).toBeInTheDocument();
    expect(screen.getByText('In transit')).toBeInTheDocument();
  });
});
