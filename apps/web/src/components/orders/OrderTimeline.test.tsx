import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { OrderTimeline } from '../../api/types';
import { renderWithApp } from '../../test/utils';
import { compareDelivery, describeDelivery, OrderTimelineView } from './OrderTimeline';

// Store in New York (EST, UTC-5, until the DST switch on 2025-03-09).
const FIXTURE: OrderTimeline = {
  orderNumber: '1001',
  status: 'delivered',
  createdAt: '2025-03-01T15:04:00Z',
  customerName: 'Ada Lovelace',
  estimatedDelivery: '2025-03-07',
  originalEstimatedDelivery: '2025-03-05',
  deliveredAt: '2025-03-07T01:30:00Z', // 2025-03-06 20:30 in New York
  deliveredOnTime: false,
  promisedDeliveryDate: null,
  // deliberately out of order: the view sorts by time
  events: [
    { id: 'e5', timestamp: '2025-03-07T01:30:00Z', type: 'delivery', title: 'Delivered', description: 'Left at front door', location: 'Brooklyn, NY', status: 'completed' },
    { id: 'e1', timestamp: '2025-03-01T15:04:00Z', type: 'order', title: 'Order placed', description: '2 items', location: null, status: 'completed' },
    { id: 'e3', timestamp: '2025-03-04T12:00:00Z', type: 'tracking', title: 'Delivery exception', description: 'Address issue', location: 'Queens, NY', status: 'exception' },
    { id: 'e2', timestamp: '2025-03-02T14:00:00Z', type: 'fulfillment', title: 'Shipped with UPS', description: 'Tracking 1Z999', location: 'Newark, NJ', status: 'completed' },
    { id: 'e4', timestamp: '2025-03-05T16:45:00Z', type: 'inquiry', title: 'Customer asked where the order is', description: 'Via chat', location: null, status: 'completed' },
  ],
};

describe('OrderTimelineView', () => {
  it('renders the journey in time order with local times', () => {
    renderWithApp(<OrderTimelineView timeline={FIXTURE} />);

    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Order 1001');
    expect(screen.getByTestId('order-status')).toHaveTextContent('Delivered');
    expect(screen.getByText('Ada Lovelace')).toBeInTheDocument();

    const list = screen.getByRole('list', { name: 'Journey of order 1001' });
    const items = within(list).getAllByTestId('timeline-event');
    expect(items.map((li) => within(li).getByRole('heading').textContent)).toEqual([
      'Order placed',
      'Shipped with UPS',
      'Delivery exception',
      'Customer asked where the order is',
      'Delivered',
    ]);
    // 15:04Z = 10:04 EST; 14:00Z = 9:00 EST; 16:45Z = 11:45 EST; 01:30Z on the 7th = 8:30 PM on the 6th.
    expect(within(items[0]!).getByText('Mar 1, 2025, 10:04 AM')).toBeInTheDocument();
    expect(within(items[1]!).getByText('Mar 2, 2025, 9:00 AM')).toBeInTheDocument();
    expect(within(items[1]!).getByText('Newark, NJ')).toBeInTheDocument();
    expect(within(items[3]!).getByText('Mar 5, 2025, 11:45 AM')).toBeInTheDocument();
    expect(within(items[4]!).getByText('Mar 6, 2025, 8:30 PM')).toBeInTheDocument();
  });

  it('marks statuses with icons and annotates inquiries', () => {
    renderWithApp(<OrderTimelineView timeline={FIXTURE} />);
    const items = screen.getAllByTestId('timeline-event');
    const exception = items[2]!;
    expect(exception).toHaveAttribute('data-status', 'exception');
    expect(exception.querySelector('[data-status-icon="exception"]')).not.toBeNull();
    expect(exception).toHaveTextContent('Tracking· Exception');
    const inquiry = items[3]!;
    expect(inquiry).toHaveAttribute('data-type', 'inquiry');
    expect(inquiry.querySelector('[data-status-icon="inquiry"]')).not.toBeNull();
    expect(inquiry).toHaveTextContent('Customer inquiry');
    expect(items[0]!.querySelector('[data-status-icon="completed"]')).not.toBeNull();
    expect(screen.getByText('1 customer inquiry about this order')).toBeInTheDocument();
  });

  it('compares estimated and actual delivery in store-local dates', () => {
    renderWithApp(<OrderTimelineView timeline={FIXTURE} />);
    const summary = screen.getByTestId('delivery-summary');
    expect(summary).toHaveTextContent('PlacedMar 1, 2025, 10:04 AM');
    expect(summary).toHaveTextContent('Original estimateMar 5, 2025');
    expect(summary).toHaveTextContent('Current estimateMar 7, 2025(+2 days)');
    expect(summary).toHaveTextContent('DeliveredMar 6, 2025, 8:30 PM');
    // Delivered on the 6th (local), one day after the original estimate of the 5th.
    expect(screen.getByTestId('delivery-verdict')).toHaveTextContent('Delivered 1 day late');
  });

  it('shows an empty journey', () => {
    renderWithApp(<OrderTimelineView timeline={{ ...FIXTURE, events: [] }} />);
    expect(screen.getByTestId('empty-state')).toHaveTextContent('No events yet');
  });
});

describe('compareDelivery', () => {
  const base = { ...FIXTURE, events: [] };

  it('counts the day in the store time zone, not in UTC', () => {
    // 01:30Z on the 7th is the 7th in UTC (two days late) but the 6th in New York (one day late).
    expect(compareDelivery(base, 'UTC')).toEqual({ verdict: 'late', days: 2, estimateShift: 2 });
    expect(compareDelivery(base, 'America/New_York')).toEqual({ verdict: 'late', days: 1, estimateShift: 2 });
  });

  it('calls early deliveries on time', () => {
    const c = compareDelivery({ ...base, deliveredAt: '2025-03-03T15:00:00Z' }, 'America/New_York');
    expect(c).toEqual({ verdict: 'early', days: -2, estimateShift: 2 });
    expect(describeDelivery(c)).toBe('Delivered on time, 2 days early');
    expect(describeDelivery(compareDelivery({ ...base, deliveredAt: '2025-03-05T20:00:00Z' }, 'America/New_York'))).toBe(
      'Delivered on time',
    );
  });

  it('flags open orders past their current estimate', () => {
    const open = { ...base, deliveredAt: null, status: 'in_transit' };
    const now = new Date('2025-03-10T12:00:00Z');
    expect(describeDelivery(compareDelivery(open, 'America/New_York', now))).toBe('Overdue by 3 days');
    expect(describeDelivery(compareDelivery(open, 'America/New_York', new Date('2025-03-06T12:00:00Z')))).toBe('On track');
    expect(describeDelivery(compareDelivery({ ...open, estimatedDelivery: null, originalEstimatedDelivery: null }, 'UTC'))).toBe(
      'No delivery estimate',
    );
  });
});
