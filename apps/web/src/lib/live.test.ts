import { describe, expect, it } from 'vitest';
import { backoffDelay, isAffected, parseLiveMessage, querySpans } from './live';

describe('querySpans', () => {
  it('uses the range the data was computed for and the one the params mean today', () => {
    // fetched yesterday (range ends 03-06); today is 03-07: both spans count
    const data = { range: { start: '2025-02-28', end: '2025-03-06', previousStart: '2025-02-21', previousEnd: '2025-02-27', timezone: 'UTC' } };
    expect(querySpans('inquiries', { date_range: '7d' }, data, '2025-03-07')).toEqual([
      ['2025-02-28', '2025-03-06'],
      ['2025-03-01', '2025-03-07'],
    ]);
  });

  it('adds the previous period for the overview, computed when nothing is cached', () => {
    expect(querySpans('overview', { date_range: 'custom', start: '2025-03-01', end: '2025-03-10' }, undefined, '2025-04-01')).toEqual([
      ['2025-03-01', '2025-03-10'],
      ['2025-02-19', '2025-02-28'],
    ]);
  });
});

describe('isAffected', () => {
  it('refetches a ranged query of unknown range rather than keep stale numbers', () => {
    expect(isAffected(['wismo', 's1', 'overview', {}], undefined, 's1', ['2025-01-01'], '2025-03-07')).toBe(true);
  });
  it('leaves other keys alone', () => {
    expect(isAffected(['auth', 'me'], undefined, 's1', ['2025-03-07'], '2025-03-07')).toBe(false);
  });
});

describe('parseLiveMessage', () => {
  it('reads the server messages', () => {
    expect(parseLiveMessage('{"type":"live.ready","degraded":true}')).toEqual({ type: 'live.ready', degraded: true });
    expect(parseLiveMessage('{"type":"metrics.updated","storeId":"s1","dates":["2025-03-07",3],"at":"x"}')).toEqual({
      type: 'metrics.updated',
      storeId: 's1',
      dates: ['2025-03-07'],
      at: 'x',
    });
    expect(parseLiveMessage('{"type":"ping"}')).toEqual({ type: 'ping' });
    expect(parseLiveMessage('nope')).toBeNull();
    expect(parseLiveMessage('{"type":"other"}')).toBeNull();
  });
});

describe('backoffDelay', () => {
  it('doubles up to the cap, with ±20 % jitter', () => {
    const mid = () => 0.5;
    expect([1, 2, 3, 4, 5, 6, 7].map((a) => backoffDelay(a, 1000, 30_000, mid))).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000]);
    expect(backoffDelay(1, 1000, 30_000, () => 0)).toBe(800);
    expect(backoffDelay(1, 1000, 30_000, () => 1)).toBe(1200);
  });
});
