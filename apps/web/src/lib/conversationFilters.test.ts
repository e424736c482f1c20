import { describe, expect, it } from 'vitest';
import { conversationsQuery, parseConversationFilters, writeConversationFilters } from './conversationFilters';

describe('conversation filters in the URL', () => {
  it('reads repeated values in the vocabulary order, once each, and drops unknown ones', () => {
    const f = parseConversationFilters('outcome=resolved&outcome=open&outcome=open&outcome=closed&language=nl&language=en&inquiry_type=x');
    expect(f).toEqual({ outcomes: ['open', 'resolved'], languages: ['en', 'nl'], inquiryTypes: [] });
  });

  it('keeps a valid custom range and drops an invalid one (any time)', () => {
    expect(parseConversationFilters('date_range=custom&start=2026-10-01&end=2026-10-14')).toMatchObject({
      dateRange: 'custom',
      start: '2026-10-01',
      end: '2026-10-14',
    });
    expect(parseConversationFilters('date_range=custom&start=2026-10-14&end=2026-10-01').dateRange).toBeUndefined();
    expect(parseConversationFilters('date_range=custom&start=2026-02-30&end=2026-03-01').dateRange).toBeUndefined();
    expect(parseConversationFilters('date_range=30d&start=2026-10-01').start).toBeUndefined();
  });

  it('writes the API parameters, keeping unrelated ones', () => {
    const filters = { dateRange: '7d' as const, inquiryTypes: ['refund' as const], languages: [], outcomes: ['open' as const, 'escalated' as const] };
    expect(conversationsQuery(filters)).toEqual({ date_range: '7d', inquiry_type: ['refund'], outcome: ['open', 'escalated'] });
    const written = writeConversationFilters(filters, new URLSearchParams('store=s1&outcome=resolved'));
    expect(written.toString()).toBe('store=s1&date_range=7d&inquiry_type=refund&outcome=open&outcome=escalated');
    expect(parseConversationFilters(written)).toEqual(filters);
  });
});
