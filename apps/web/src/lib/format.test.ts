// @vitest-environment node
import { describe, expect, it } from 'vitest';
import {
  formatBucket,
  formatBucketLong,
  formatCalendarDate,
  formatChange,
  formatCurrency,
  formatDateInZone,
  formatDateTime,
  formatDuration,
  durationScale,
  formatNumber,
  formatPercent,
  formatScore,
  humanize,
  todayInZone,
  toZonedDate,
} from './format';

describe('numbers', () => {
  it('formats fractions as percentages with one decimal', () => {
    expect(formatPercent(0.1234)).toBe('12.3%');
    expect(formatPercent(0.5)).toBe('50.0%');
    expect(formatPercent(1)).toBe('100.0%');
    expect(formatPercent(0)).toBe('0.0%');
    expect(formatPercent(0.085, 'en-US', 0)).toBe('9%');
    expect(formatPercent(0.1234, 'de-DE')).toBe('12,3 %');
    expect(formatPercent(null)).toBe('—');
    expect(formatPercent(Number.NaN)).toBe('—');
  });

  it('formats changes with a sign', () => {
    expect(formatChange(12.34)).toBe('+12.3%');
    expect(formatChange(-4)).toBe('-4.0%');
    expect(formatChange(0)).toBe('0.0%');
    expect(formatChange(null)).toBe('—');
  });

  it('formats counts and scores', () => {
    expect(formatNumber(1234567)).toBe('1,234,567');
    expect(formatNumber(0.256, 'en-US', 2)).toBe('0.26');
    expect(formatNumber(1234567, 'de-DE')).toBe('1.234.567');
    expect(formatScore(4.25)).toBe('4.3');
    expect(formatScore(3)).toBe('3.0');
    expect(formatScore(undefined)).toBe('—');
  });

  it('formats money in the store currency', () => {
    expect(formatCurrency(1234.5, 'USD')).toBe('$1,234.50');
    expect(formatCurrency(1234.5, 'EUR', 'de-DE')).toBe('1.234,50 €');
    expect(formatCurrency(1234.5, 'JPY')).toBe('¥1,235');
    expect(formatCurrency(1234.5, 'GBP', 'en-GB')).toBe('£1,234.50');
    expect(formatCurrency(null, 'USD')).toBe('—');
  });
});

describe('durations', () => {
  it.each([
    [0, '0s'],
    [45, '45s'],
    [59.6, '1m'],
    [750, '13m'],
    [3599, '1h'],
    [7200, '2h'],
    [12000, '3h 20m'],
    [86399, '1.0 d'],
    [207360, '2.4 d'],
    [-5, '0s'],
  ])('%s seconds -> %s', (seconds, expected) => {
    expect(formatDuration(seconds)).toBe(expected);
  });

  it('shows missing durations as a dash', () => {
    expect(formatDuration(null)).toBe('—');
  });

  it('uses the locale decimal separator for days', () => {
    expect(formatDuration(207360, 'de-DE')).toBe('2,4 d');
  });
});

describe('duration axis', () => {
  it('puts ticks on round hours or days', () => {
    const hours = durationScale(130000);
    expect(hours.ticks).toEqual([0, 36000, 72000, 108000, 144000]);
    expect(hours.ticks.map(hours.tickFormat)).toEqual(['0h', '10h', '20h', '30h', '40h']);
    const days = durationScale(492480); // 5.7 days
    expect(days.ticks.map(days.tickFormat)).toEqual(['0 d', '2 d', '4 d', '6 d']);
    expect(days.domain).toEqual([0, 518400]);
    const minutes = durationScale(600);
    expect(minutes.ticks.map(minutes.tickFormat)).toEqual(['0m', '5m', '10m']);
    const short = durationScale(5400); // 1.5h, shown in minutes
    expect(short.ticks.map(short.tickFormat)).toEqual(['0m', '50m', '100m']);
  });
});

describe('dates in the store time zone', () => {
  it('formats instants in the store time zone, across DST', () => {
    // 2025-03-09 is the US DST switch: 10:30Z is 06:30 EDT (UTC-4).
    expect(formatDateTime('2025-03-09T10:30:00Z', 'America/New_York')).toBe('Mar 9, 2025, 6:30 AM');
    // Berlin is still on CET (UTC+1).
    expect(formatDateTime('2025-03-09T10:30:00Z', 'Europe/Berlin')).toBe('Mar 9, 2025, 11:30 AM');
    // Tokyo (UTC+9) is already on the next day.
    expect(formatDateTime('2025-03-09T20:00:00Z', 'Asia/Tokyo')).toBe('Mar 10, 2025, 5:00 AM');
    expect(formatDateTime(null, 'UTC')).toBe('—');
    expect(formatDateTime('not a date', 'UTC')).toBe('—');
  });

  it('gives the store-local date of an instant', () => {
    // 03:30Z on Mar 10 is 20:30 PDT (UTC-7) on Mar 9 in Los Angeles.
    expect(toZonedDate('2025-03-10T03:30:00Z', 'America/Los_Angeles')).toBe('2025-03-09');
    expect(formatDateInZone('2025-03-10T03:30:00Z', 'America/Los_Angeles')).toBe('Mar 9, 2025');
    expect(toZonedDate('2025-03-10T03:30:00Z', 'Europe/London')).toBe('2025-03-10');
  });

  it("knows today's date in the store", () => {
    const now = new Date('2025-06-30T23:30:00Z');
    expect(todayInZone('Asia/Tokyo', now)).toBe('2025-07-01');
    expect(todayInZone('America/New_York', now)).toBe('2025-06-30');
  });

  it('never shifts calendar dates (already store-local)', () => {
    expect(formatCalendarDate('2025-03-05')).toBe('Mar 5, 2025');
    expect(formatCalendarDate('2025-03-05', 'en-US', 'short')).toBe('Mar 5');
    expect(formatCalendarDate('2025-03-05', 'de-DE')).toBe('05.03.2025');
    expect(formatCalendarDate('bad')).toBe('—');
  });

  it('labels buckets by group', () => {
    expect(formatBucket('2025-03-03', 'day')).toBe('Mar 3');
    expect(formatBucket('2025-03-01', 'month')).toBe('Mar 2025');
    expect(formatBucketLong('2025-03-03', 'week')).toBe('Week of Mar 3, 2025');
    expect(formatBucketLong('2025-03-05', 'day')).toBe('Mar 5, 2025');
  });

  it('humanizes keys', () => {
    expect(humanize('out_for_delivery')).toBe('Out for delivery');
    expect(humanize(null)).toBe('—');
  });
});
