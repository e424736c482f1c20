// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { changeTone, formatMetric, METRICS, type MetricKey } from './metrics';

// The brief's list of which way is good, typed out independently of METRICS.
const UP_IS_GOOD: MetricKey[] = ['totalOrders', 'firstContactResolutionRate', 'satisfactionScore', 'csat', 'onTimeDeliveryRate'];
const DOWN_IS_GOOD: MetricKey[] = [
  'totalInquiries',
  'inquiryRate',
  'repeatInquiryRate',
  'avgResolutionSeconds',
  'avgFirstResponseSeconds',
  'customerEffortScore',
  'avgTimeToShipSeconds',
  'exceptionRate',
];

describe('change colouring', () => {
  it.each(UP_IS_GOOD)('%s: up is good, down is bad', (key) => {
    expect(changeTone(key, 12.5)).toBe('good');
    expect(changeTone(key, -3)).toBe('bad');
  });

  it.each(DOWN_IS_GOOD)('%s: down is good, up is bad', (key) => {
    expect(changeTone(key, -12.5)).toBe('good');
    expect(changeTone(key, 3)).toBe('bad');
  });

  it('is neutral without a change', () => {
    expect(changeTone('csat', 0)).toBe('neutral');
    expect(changeTone('csat', null)).toBe('neutral');
    expect(changeTone('totalInquiries', undefined)).toBe('neutral');
  });

  it('covers every overview metric', () => {
    expect(Object.keys(METRICS).filter((k) => k !== 'avgTransitSeconds' && k !== 'ratingCount').sort()).toEqual(
      [...UP_IS_GOOD, ...DOWN_IS_GOOD].sort(),
    );
  });
});

describe('metric formatting by kind', () => {
  it('formats each kind', () => {
    expect(formatMetric('totalInquiries', 1234)).toBe('1,234');
    expect(formatMetric('inquiryRate', 0.085)).toBe('8.5%');
    expect(formatMetric('avgResolutionSeconds', 12000)).toBe('3h 20m');
    expect(formatMetric('avgTimeToShipSeconds', 207360)).toBe('2.4 d');
    expect(formatMetric('satisfactionScore', 4.25)).toBe('4.3');
    expect(formatMetric('customerEffortScore', 2)).toBe('2.0');
    expect(formatMetric('csat', null)).toBe('—');
  });
});
