// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { changeTone, formatMetric, MIN_ORDERS_FOR_RATE, readableRates, scaleSuffix } from './metrics';

describe('change colouring', () => {
  it('an increase is good where up is good, bad where down is good', () => {
    expect(changeTone('up', 12.5)).toBe('good');
    expect(changeTone('up', -3)).toBe('bad');
    expect(changeTone('down', -12.5)).toBe('good');
    expect(changeTone('down', 3)).toBe('bad');
  });

  it('is neutral without a change', () => {
    expect(changeTone('up', 0)).toBe('neutral');
    expect(changeTone('up', null)).toBe('neutral');
    expect(changeTone('down', undefined)).toBe('neutral');
    expect(changeTone('down', Number.NaN)).toBe('neutral');
  });
});

describe('metric formatting by unit', () => {
  it('formats each unit', () => {
    expect(formatMetric('count', 1234)).toBe('1,234');
    expect(formatMetric('fraction', 0.085)).toBe('8.5%');
    expect(formatMetric('seconds', 12000)).toBe('3h 20m');
    expect(formatMetric('seconds', 207360)).toBe('2.4 d');
    expect(formatMetric('score', 4.25)).toBe('4.3');
    expect(formatMetric('score', 2)).toBe('2.0');
    expect(formatMetric('fraction', null)).toBe('—');
  });

  it('names a score’s scale', () => {
    expect(scaleSuffix({ scale: [1, 5] })).toBe('/ 5');
    expect(scaleSuffix({ scale: [1, 7] })).toBe('/ 7');
    expect(scaleSuffix({ scale: null })).toBeNull();
  });
});

describe('inquiry rates over too few orders', () => {
  it('leaves out the rate of a period under the order threshold, keeps its counts', () => {
    const series = [
      { date: '2025-03-01', orders: 4, inquiries: 3, inquiryRate: 0.75 },
      { date: '2025-03-02', orders: 9, inquiries: 1, inquiryRate: 1 / 9 },
      { date: '2025-03-03', orders: 10, inquiries: 2, inquiryRate: 0.2 },
      { date: '2025-03-04', orders: 0, inquiries: 1, inquiryRate: null },
    ];
    expect(readableRates(series)).toEqual([
      { date: '2025-03-01', orders: 4, inquiries: 3, inquiryRate: null },
      { date: '2025-03-02', orders: 9, inquiries: 1, inquiryRate: null },
      { date: '2025-03-03', orders: 10, inquiries: 2, inquiryRate: 0.2 },
      { date: '2025-03-04', orders: 0, inquiries: 1, inquiryRate: null },
    ]);
    expect(MIN_ORDERS_FOR_RATE).toBe(10);
  });
});
