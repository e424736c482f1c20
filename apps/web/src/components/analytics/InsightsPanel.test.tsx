import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Insight } from '../../api/types';
import { InsightList } from './InsightsPanel';

function insight(n: number): Insight {
  return { kind: 'inquiry_spike', type: 'warning', title: `Insight ${n}`, description: `Description ${n}`, recommendation: `Do ${n}`, impact: 'medium', dataPoints: {} };
}

describe('InsightList', () => {
  it('shows the top three and the rest behind "more"', () => {
    render(<InsightList insights={[1, 2, 3, 4, 5].map(insight)} />);
    expect(screen.getAllByTestId('insight').map((li) => li.textContent)).toEqual([
      expect.stringContaining('Insight 1'),
      expect.stringContaining('Insight 2'),
      expect.stringContaining('Insight 3'),
    ]);
    const more = screen.getByRole('button', { name: 'Show 2 more' });
    expect(more).toHaveAttribute('aria-expanded', 'false');
    fireEvent.click(more);
    expect(screen.getAllByTestId('insight')).toHaveLength(5);
    expect(screen.getByText('Insight 5')).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Show fewer' }));
    expect(screen.getAllByTestId('insight')).toHaveLength(3);
  });

  it('has no "more" with three or fewer', () => {
    render(<InsightList insights={[1, 2, 3].map(insight)} />);
    expect(screen.getAllByTestId('insight')).toHaveLength(3);
    expect(screen.queryByRole('button')).toBeNull();
  });
});
