import * as z from 'zod/mini';
import type { ConversationsQuery } from '../api/endpoints';
import type { ConversationOutcome, DateRangeKey, InquiryType, Language } from '../api/types';
import { customRangeDays, DATE_RANGES, INQUIRY_TYPES, parseIsoDate } from './filters';

/**
 * The conversations page's filters live in the URL under the API's own parameter names:
 * `inquiry_type`, `language` and `outcome` repeat (any of the values matches), and the
 * date range is the analytics pages' (`date_range`, `start`, `end`), here optional: without
 * it, every conversation. Invalid values are dropped instead of failing.
 */

export const LANGUAGES = ['en', 'es', 'fr', 'de', 'it', 'pt', 'nl'] as const satisfies readonly Language[];
export const OUTCOMES = ['open', 'escalated', 'resolved'] as const satisfies readonly ConversationOutcome[];

export const LANGUAGE_LABELS: Record<Language, string> = {
  en: 'English',
  es: 'Spanish',
  fr: 'French',
  de: 'German',
  it: 'Italian',
  pt: 'Portuguese',
  nl: 'Dutch',
};

export const OUTCOME_LABELS: Record<ConversationOutcome, string> = {
  open: 'Open',
  escalated: 'Escalated',
  resolved: 'Resolved',
};

export interface ConversationFilters {
  /** Undefined: all time. */
  dateRange?: DateRangeKey;
  start?: string;
  end?: string;
  inquiryTypes: InquiryType[];
  languages: Language[];
  outcomes: ConversationOutcome[];
}

const isoDate = z.string().check(
  z.regex(/^\d{4}-\d{2}-\d{2}$/),
  z.refine((value) => parseIsoDate(value) !== null, 'not a calendar date'),
);

/** The valid, distinct values of a repeated parameter, in the vocabulary's order. */
function listOf<T extends string>(vocabulary: readonly T[]) {
  return z.pipe(
    z.array(z.string()),
    z.transform((values: string[]) => vocabulary.filter((v) => values.includes(v))),
  );
}

const searchSchema = z.object({
  date_range: z.catch(z.optional(z.enum(DATE_RANGES)), undefined),
  start: z.catch(z.optional(isoDate), undefined),
  end: z.catch(z.optional(isoDate), undefined),
  inquiry_type: listOf(INQUIRY_TYPES),
  language: listOf(LANGUAGES),
  outcome: listOf(OUTCOMES),
});

const PARAMS = ['date_range', 'start', 'end', 'inquiry_type', 'language', 'outcome'] as const;

export function parseConversationFilters(search: URLSearchParams | string): ConversationFilters {
  const params = typeof search === 'string' ? new URLSearchParams(search) : search;
  const parsed = searchSchema.parse({
    date_range: params.get('date_range') ?? undefined,
    start: params.get('start') ?? undefined,
    end: params.get('end') ?? undefined,
    inquiry_type: params.getAll('inquiry_type'),
    language: params.getAll('language'),
    outcome: params.getAll('outcome'),
  });
  const filters: ConversationFilters = {
    inquiryTypes: parsed.inquiry_type,
    languages: parsed.language,
    outcomes: parsed.outcome,
  };
  if (parsed.date_range === 'custom') {
    if (customRangeDays(parsed.start, parsed.end) !== null) {
      filters.dateRange = 'custom';
      filters.start = parsed.start;
      filters.end = parsed.end;
    }
  } else if (parsed.date_range) {
    filters.dateRange = parsed.date_range;
  }
  return filters;
}

/** The filters as the list endpoint's query parameters. */
export function conversationsQuery(filters: ConversationFilters): ConversationsQuery {
  const query: ConversationsQuery = {};
  if (filters.dateRange) {
    query.date_range = filters.dateRange;
    if (filters.dateRange === 'custom') {
      query.start = filters.start;
      query.end = filters.end;
    }
  }
  if (filters.inquiryTypes.length) query.inquiry_type = filters.inquiryTypes;
  if (filters.languages.length) query.language = filters.languages;
  if (filters.outcomes.length) query.outcome = filters.outcomes;
  return query;
}

/** Writes the filters into a copy of `base`, keeping unrelated params (such as `store`). */
export function writeConversationFilters(filters: ConversationFilters, base?: URLSearchParams): URLSearchParams {
  const params = new URLSearchParams(base);
  for (const key of PARAMS) params.delete(key);
  for (const [key, value] of Object.entries(conversationsQuery(filters))) {
    if (Array.isArray(value)) for (const item of value) params.append(key, String(item));
    else if (value !== undefined && value !== null) params.set(key, String(value));
  }
  return params;
}

export function hasConversationFilters(filters: ConversationFilters): boolean {
  return Boolean(filters.dateRange || filters.inquiryTypes.length || filters.languages.length || filters.outcomes.length);
}
