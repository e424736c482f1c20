// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { customRangeDays, namedRangeDates, parseFilters, toAnalyticsQuery, writeFilters } from './filters';

describe('URL range parsing', () => {
  it('defaults to the last 30 days by day', () => {
    expect(parseFilters('')).toEqual({ dateRange: '30d', groupBy: 'day' });
  });

  it('reads valid values', () => {
    expect(parseFilters('date_range=7d&group_by=week')).toEqual({ dateRange: '7d', groupBy: 'week' });
    expect(parseFilters('date_range=90d&group_by=month&channel=chat&inquiry_type=tracking&carrier=UPS')).toEqual({
      dateRange: '90d',
      groupBy: 'month',
      channel: 'chat',
      inquiryType: 'tracking',
      carrier: 'UPS',
    });
  });

  it('falls back to defaults for bad values, field by field', () => {
    expect(parseFilters('date_range=1y&group_by=hour')).toEqual({ dateRange: '30d', groupBy: 'day' });
    expect(parseFilters('date_range=7d&group_by=hour&channel=fax&inquiry_type=gossip')).toEqual({
      dateRange: '7d',
      groupBy: 'day',
    });
    expect(parseFilters(`carrier=${'x'.repeat(65)}`)).toEqual({ dateRange: '30d', groupBy: 'day' });
    expect(parseFilters('carrier=%20%20')).toEqual({ dateRange: '30d', groupBy: 'day' });
    expect(parseFilters('carrier=%20DHL%20').carrier).toBe('DHL');
  });

  it('keeps a valid custom range', () => {
    expect(parseFilters('date_range=custom&start=2025-01-01&end=2025-01-31&group_by=week')).toEqual({
      dateRange: 'custom',
      start: '2025-01-01',
      end: '2025-01-31',
      groupBy: 'week',
    });
  });

  it.each([
    ['missing end', 'date_range=custom&start=2025-01-01'],
    ['start after end', 'date_range=custom&start=2025-02-01&end=2025-01-31'],
    ['not a calendar date', 'date_range=custom&start=2025-02-01&end=2025-02-30'],
    ['not ISO', 'date_range=custom&start=01/02/2025&end=2025-02-03'],
    ['longer than 731 days', 'date_range=custom&start=2023-01-01&end=2025-01-01'],
  ])('drops a custom range with %s', (_why, search) => {
    expect(parseFilters(search)).toEqual({ dateRange: '30d', groupBy: 'day' });
  });

  it('allows exactly 731 days', () => {
    // 2023 (365 days) + 2024 (366 days) = 731 days inclusive.
    expect(customRangeDays('2023-01-01', '2024-12-31')).toBe(731);
    expect(parseFilters('date_range=custom&start=2023-01-01&end=2024-12-31').dateRange).toBe('custom');
    expect(customRangeDays('2025-03-05', '2025-03-05')).toBe(1);
  });

  it('ignores start and end for named ranges', () => {
    expect(parseFilters('date_range=7d&start=2025-01-01&end=2025-01-31')).toEqual({ dateRange: '7d', groupBy: 'day' });
  });

  it('writes the API parameters and keeps unrelated params', () => {
    const filters = parseFilters('date_range=custom&start=2025-01-01&end=2025-01-31&channel=email');
    expect(toAnalyticsQuery(filters)).toEqual({
      date_range: 'custom',
      start: '2025-01-01',
      end: '2025-01-31',
      group_by: 'day',
      channel: ['email'],
    });
    const written = writeFilters({ dateRange: '7d', groupBy: 'week' }, new URLSearchParams('store=abc&start=2025-01-01'));
    expect(written.toString()).toBe('store=abc&date_range=7d&group_by=week');
    expect(parseFilters(writeFilters(filters))).toEqual(filters);
  });

  it('computes named ranges ending today (inclusive)', () => {
    expect(namedRangeDates('7d', '2025-03-05')).toEqual({ start: '2025-02-27', end: '2025-03-05' });
    expect(namedRangeDates('30d', '2025-03-05')).toEqual({ start: '2025-02-04', end: '2025-03-05' });
    expect(namedRangeDates('90d', '2024-03-31')).toEqual({ start: '2024-01-02', end: '2024-03-31' });
  });
});
