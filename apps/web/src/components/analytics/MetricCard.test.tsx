import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { FormatProvider } from '../../lib/formatContext';
import { DEFINITIONS } from '../../test/utils';
import { MetricCard } from './MetricCard';

function card(key: string) {
  return screen.getByTestId(`metric-${key}`);
}

describe('MetricCard', () => {
  it('shows the formatted value and a bad change for more inquiries', () => {
    render(<MetricCard metricKey="totalInquiries" definition={DEFINITIONS.totalInquiries} metric={{ value: 1234, previous: 1000, changePct: 23.4 }} />);
    const el = card('totalInquiries');
    expect(within(el).getByRole('heading')).toHaveTextContent('Total inquiries');
    expect(within(el).getByTestId('metric-value')).toHaveTextContent(/^1,234$/);
    expect(within(el).getByTestId('metric-value')).toHaveAttribute('data-raw', '1234');
    const change = within(el).getByTestId('metric-change');
    expect(change).toHaveAttribute('data-tone', 'bad');
    expect(change).toHaveTextContent('+23.4%');
    expect(change).toHaveTextContent('a deterioration');
    expect(change.className).toContain('text-rose-700');
    expect(el).toHaveTextContent('vs previous period (1,000)');
  });

  it('colours a CSAT rise as good and shows a percentage', () => {
    render(<MetricCard metricKey="csat" definition={DEFINITIONS.csat} metric={{ value: 0.82, previous: 0.8, changePct: 2.5 }} />);
    const el = card('csat');
    expect(within(el).getByTestId('metric-value')).toHaveTextContent(/^82\.0%$/);
    expect(within(el).getByTestId('metric-change')).toHaveAttribute('data-tone', 'good');
    expect(within(el).getByTestId('metric-change').className).toContain('text-emerald-700');
    expect(el).toHaveTextContent('vs previous period (80.0%)');
  });

  it('colours a faster resolution as good and formats the duration', () => {
    render(<MetricCard metricKey="avgResolutionSeconds" definition={DEFINITIONS.avgResolutionSeconds} metric={{ value: 12000, previous: 15000, changePct: -20 }} />);
    const el = card('avgResolutionSeconds');
    expect(within(el).getByTestId('metric-value')).toHaveTextContent(/^3h 20m$/);
    expect(within(el).getByTestId('metric-change')).toHaveTextContent('-20.0%');
    expect(within(el).getByTestId('metric-change')).toHaveAttribute('data-tone', 'good');
    expect(el).toHaveTextContent('(4h 10m)');
  });

  it('shows a score on its scale', () => {
    render(<MetricCard metricKey="satisfactionScore" definition={DEFINITIONS.satisfactionScore} metric={{ value: 4.25, previous: 4.25, changePct: 0 }} />);
    const el = card('satisfactionScore');
    expect(within(el).getByTestId('metric-value')).toHaveTextContent(/^4\.3$/);
    expect(el).toHaveTextContent('/ 5');
    expect(within(el).getByTestId('metric-change')).toHaveAttribute('data-tone', 'neutral');
  });

  it('shows a dash and no comparison without data', () => {
    render(<MetricCard metricKey="inquiryRate" definition={DEFINITIONS.inquiryRate} metric={{ value: null, previous: null, changePct: null }} />);
    const el = card('inquiryRate');
    expect(within(el).getByTestId('metric-value')).toHaveTextContent('—');
    expect(el).toHaveTextContent('No comparison with the previous period');
  });

  it('renders a skeleton while loading', () => {
    render(<MetricCard metricKey="inquiryRate" definition={DEFINITIONS.inquiryRate} metric={undefined} loading />);
    const el = card('inquiryRate');
    expect(el).toHaveAttribute('aria-busy', 'true');
    expect(within(el).queryByTestId('metric-value')).toBeNull();
  });

  it('uses the store locale', () => {
    render(
      <FormatProvider value={{ locale: 'de-DE', timeZone: 'Europe/Berlin', currency: 'EUR' }}>
        <MetricCard metricKey="inquiryRate" definition={DEFINITIONS.inquiryRate} metric={{ value: 0.1234, previous: 0.1, changePct: 23.4 }} />
      </FormatProvider>,
    );
    expect(within(card('inquiryRate')).getByTestId('metric-value')).toHaveTextContent('12,3 %');
  });
});
