import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { RollingCard } from './SatisfactionSection';

const mv = (value: number | null, previous: number | null) => ({ value, previous, changePct: null });

describe('RollingCard', () => {
  it('shows each window with its figures and the days before', () => {
    render(
      <RollingCard
        end="2026-10-20"
        windows={[
          { days: 7, ratingCount: mv(3, 1), satisfactionScore: mv(3, 4), csat: mv(1 / 3, 1), customerEffortScore: mv(3, null) },
          { days: 30, ratingCount: mv(4, 1), satisfactionScore: mv(3.25, 2), csat: mv(0.5, 0), customerEffortScore: mv(null, null) },
        ]}
      />,
    );
    expect(screen.getByRole('heading', { name: 'Rolling averages' })).toBeInTheDocument();
    const week = screen.getByRole('row', { name: /Last 7 days/ });
    const cells = within(week).getAllByRole('cell').map((c) => c.textContent);
    expect(cells[0]).toBe('3');
    expect(cells[1]).toMatch(/^3\.0\d* \(before: 4\.0\d*\)$/);
    expect(cells[2]).toBe('33.3% (before: 100.0%)');
    const month = screen.getByRole('row', { name: /Last 30 days/ });
    const monthCells = within(month).getAllByRole('cell').map((c) => c.textContent);
    expect(monthCells[2]).toBe('50.0% (before: 0.0%)');
    expect(monthCells[3]).not.toMatch(/\d/);
  });
});
