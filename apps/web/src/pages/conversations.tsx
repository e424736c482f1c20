import { useCallback, useEffect, useId, useMemo, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { Link, useLocation, useParams, useSearchParams } from 'react-router';
import { isApiError } from '../api/client';
import type {
  ConversationDetail,
  ConversationInquiry,
  ConversationMessage,
  ConversationOutcome,
  ConversationRow,
  DateRangeKey,
} from '../api/types';
import { useStore, useStoreSearch } from '../app/StoreContext';
import { QueryView } from '../components/ui/QueryView';
import { LoadMore } from '../components/ui/LoadMore';
import { LoadingBlock } from '../components/ui/Skeleton';
import { EmptyState, ErrorState } from '../components/ui/States';
import { useConversation, useConversations } from '../hooks/useConversations';
import { usePageTitle } from '../hooks/usePageTitle';
import {
  hasConversationFilters,
  LANGUAGE_LABELS,
  LANGUAGES,
  OUTCOME_LABELS,
  OUTCOMES,
  parseConversationFilters,
  writeConversationFilters,
  type ConversationFilters,
} from '../lib/conversationFilters';
import { customRangeDays, INQUIRY_TYPES, MAX_CUSTOM_DAYS } from '../lib/filters';
import { humanize, todayInZone } from '../lib/format';
import { useFormat, type Formatters } from '../lib/formatContext';

const controlClass =
  'rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm text-slate-800 shadow-sm focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-indigo-600';

const OUTCOME_TONES: Record<ConversationOutcome, string> = {
  open: 'bg-amber-50 text-amber-800 ring-amber-200',
  escalated: 'bg-rose-50 text-rose-800 ring-rose-200',
  resolved: 'bg-emerald-50 text-emerald-800 ring-emerald-200',
};

const SENDER_LABELS: Record<ConversationMessage['sender'], string> = {
  customer: 'Customer',
  assistant: 'Assistant',
  agent: 'Agent',
};

/** The filters in the URL, and a setter that keeps the selected conversation and the store. */
function useConversationFilters(): [ConversationFilters, (patch: Partial<ConversationFilters>) => void] {
  const [searchParams, setSearchParams] = useSearchParams();
  const search = searchParams.toString();
  const filters = useMemo(() => parseConversationFilters(search), [search]);
  const update = useCallback(
    (patch: Partial<ConversationFilters>) =>
      setSearchParams((prev) => {
        const next = { ...parseConversationFilters(prev), ...patch };
        if (next.dateRange !== 'custom') {
          delete next.start;
          delete next.end;
        }
        return writeConversationFilters(next, prev);
      }),
    [setSearchParams],
  );
  return [filters, update];
}

function OutcomeBadge({ outcome }: { outcome: ConversationOutcome }) {
  return (
    <span className={`inline-block rounded px-1.5 py-0.5 text-xs font-medium ring-1 ring-inset ${OUTCOME_TONES[outcome]}`}>
      {OUTCOME_LABELS[outcome]}
    </span>
  );
}

function customerLabel(customer: ConversationRow['customer']): string {
  return customer?.name ?? customer?.email ?? 'Unknown customer';
}

/* ---------- filters ---------- */

function Toggles<T extends string>({
  legend,
  values,
  selected,
  label,
  onChange,
}: {
  legend: string;
  values: readonly T[];
  selected: T[];
  label: (value: T) => string;
  onChange: (next: T[]) => void;
}) {
  const toggle = (value: T, on: boolean) => onChange(values.filter((v) => (v === value ? on : selected.includes(v))));
  return (
    <fieldset className="min-w-0">
      <legend className="mb-1 text-xs font-medium text-slate-500">{legend}</legend>
      <div className="flex flex-wrap gap-1.5">
        {values.map((value) => {
          const on = selected.includes(value);
          return (
            <label
              key={value}
              className={`cursor-pointer rounded-full px-2.5 py-1 text-sm ring-1 ring-inset has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-indigo-600 ${on ? 'bg-indigo-50 text-indigo-700 ring-indigo-300' : 'bg-white text-slate-700 ring-slate-300 hover:bg-slate-50'}`}
            >
              <input type="checkbox" className="sr-only" checked={on} onChange={(e) => toggle(value, e.target.checked)} />
              {label(value)}
            </label>
          );
        })}
      </div>
    </fieldset>
  );
}

const RANGE_LABELS: Record<DateRangeKey, string> = {
  '7d': 'Last 7 days',
  '30d': 'Last 30 days',
  '90d': 'Last 90 days',
  custom: 'Custom…',
};

function RangePicker({ filters, onChange }: { filters: ConversationFilters; onChange: (patch: Partial<ConversationFilters>) => void }) {
  const fmt = useFormat();
  const id = useId();
  const today = todayInZone(fmt.timeZone);
  const [customOpen, setCustomOpen] = useState(false);
  const [start, setStart] = useState(filters.start ?? today);
  const [end, setEnd] = useState(filters.end ?? today);
  const showCustom = customOpen || filters.dateRange === 'custom';
  const days = customRangeDays(start, end);

  const apply = (event: FormEvent) => {
    event.preventDefault();
    if (days !== null) onChange({ dateRange: 'custom', start, end });
  };

  return (
    <div className="flex flex-wrap items-end gap-3">
      <label className="flex flex-col text-xs font-medium text-slate-500" htmlFor={`${id}-range`}>
        Started
        <select
          id={`${id}-range`}
          className={`${controlClass} mt-1`}
          value={showCustom ? 'custom' : (filters.dateRange ?? '')}
          onChange={(e) => {
            const value = e.target.value as DateRangeKey | '';
            if (value === 'custom') {
              setCustomOpen(true);
              return;
            }
            setCustomOpen(false);
            onChange({ dateRange: value || undefined });
          }}
        >
          <option value="">Any time</option>
          {(Object.keys(RANGE_LABELS) as DateRangeKey[]).map((key) => (
            <option key={key} value={key}>
              {RANGE_LABELS[key]}
            </option>
          ))}
        </select>
      </label>
      {showCustom && (
        <form onSubmit={apply} className="flex flex-wrap items-end gap-2" aria-label="Custom date range">
          <label className="flex flex-col text-xs font-medium text-slate-500" htmlFor={`${id}-start`}>
            From
            <input id={`${id}-start`} type="date" className={`${controlClass} mt-1`} value={start} max={today} required onChange={(e) => setStart(e.target.value)} />
          </label>
          <label className="flex flex-col text-xs font-medium text-slate-500" htmlFor={`${id}-end`}>
            To
            <input id={`${id}-end`} type="date" className={`${controlClass} mt-1`} value={end} max={today} required onChange={(e) => setEnd(e.target.value)} />
          </label>
          <button
            type="submit"
            disabled={days === null}
            className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white shadow-sm hover:bg-indigo-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:cursor-not-allowed disabled:opacity-50"
          >
            Apply
          </button>
          {days === null && (
            <p className="text-xs text-rose-600" aria-live="polite">
              Choose a start on or before the end, at most {MAX_CUSTOM_DAYS} days.
            </p>
          )}
        </form>
      )}
    </div>
  );
}

function FilterBar({ filters, onChange }: { filters: ConversationFilters; onChange: (patch: Partial<ConversationFilters>) => void }) {
  return (
    <section aria-label="Filters" className="flex flex-col gap-3 rounded-xl border border-slate-200 bg-white p-3 shadow-sm">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <RangePicker filters={filters} onChange={onChange} />
        {hasConversationFilters(filters) && (
          <button
            type="button"
            onClick={() => onChange({ dateRange: undefined, inquiryTypes: [], languages: [], outcomes: [] })}
            className="rounded-md px-2 py-1.5 text-sm font-medium text-indigo-600 hover:bg-indigo-50 focus-visible:outline-2 focus-visible:outline-indigo-600"
          >
            Clear filters
          </button>
        )}
      </div>
      <div className="grid gap-3 md:grid-cols-3">
        <Toggles legend="Inquiry type" values={INQUIRY_TYPES} selected={filters.inquiryTypes} label={humanize} onChange={(inquiryTypes) => onChange({ inquiryTypes })} />
        <Toggles legend="Language" values={LANGUAGES} selected={filters.languages} label={(l) => LANGUAGE_LABELS[l]} onChange={(languages) => onChange({ languages })} />
        <Toggles legend="Outcome" values={OUTCOMES} selected={filters.outcomes} label={(o) => OUTCOME_LABELS[o]} onChange={(outcomes) => onChange({ outcomes })} />
      </div>
    </section>
  );
}

/* ---------- the list ---------- */

function RowSummary({ row, fmt }: { row: ConversationRow; fmt: Formatters }) {
  return (
    <>
      <div className="flex items-start justify-between gap-2">
        <span className="min-w-0 truncate font-medium text-slate-900">{customerLabel(row.customer)}</span>
        <OutcomeBadge outcome={row.outcome} />
      </div>
      {row.customer?.name && row.customer.email && <div className="truncate text-xs text-slate-600">{row.customer.email}</div>}
      <div className="mt-1 flex flex-wrap gap-x-3 gap-y-0.5 text-xs text-slate-600">
        <span>{fmt.dateTime(row.startedAt)}</span>
        <span>{LANGUAGE_LABELS[row.language]}</span>
        <span>
          {row.messageCount} {row.messageCount === 1 ? 'message' : 'messages'}
        </span>
        {row.rating !== null && <span>Rated {fmt.score(row.rating)} / 5</span>}
      </div>
      {(row.inquiryTypes.length > 0 || row.orderNumbers.length > 0) && (
        <div className="mt-1.5 flex flex-wrap gap-1 text-xs">
          {row.inquiryTypes.map((t) => (
            <span key={t} className="rounded bg-slate-100 px-1.5 py-0.5 font-medium text-slate-700">
              {humanize(t)}
            </span>
          ))}
          {row.orderNumbers.map((n) => (
            <span key={n} className="rounded bg-white px-1.5 py-0.5 text-slate-600 ring-1 ring-inset ring-slate-200">
              #{n}
            </span>
          ))}
        </div>
      )}
    </>
  );
}

function ConversationList({ filters, selectedId, onClear }: { filters: ConversationFilters; selectedId?: string; onClear: () => void }) {
  const { store } = useStore();
  const location = useLocation();
  const fmt = useFormat();
  const query = useConversations(store.id, filters);
  const rows = query.data?.pages.flatMap((p) => p.items) ?? [];
  const masked = query.data?.pages[0]?.piiMasked ?? false;

  if (query.isError && !query.data) {
    return <ErrorState error={query.error} onRetry={() => void query.refetch()} title="Couldn’t load the conversations" />;
  }
  if (query.isPending) return <LoadingBlock className="h-96" label="Loading conversations…" />;
  if (rows.length === 0) {
    return hasConversationFilters(filters) ? (
      <EmptyState title="No conversations match these filters">
        <button type="button" onClick={onClear} className="font-medium text-indigo-600 hover:underline focus-visible:outline-2 focus-visible:outline-indigo-600">
          Clear the filters
        </button>{' '}
        to see every conversation.
      </EmptyState>
    ) : (
      <EmptyState title="No conversations yet">
        Chats with the order-status assistant appear here as soon as customers start them, from the chat widget or the chat API.
      </EmptyState>
    );
  }
  return (
    <div className="space-y-3" aria-busy={query.isFetching && !query.isFetchingNextPage}>
      {masked && (
        <p className="rounded-md bg-slate-50 px-3 py-2 text-xs text-slate-600" data-testid="pii-note">
          Customer emails and names are masked for your role.
        </p>
      )}
      <ul className="divide-y divide-slate-100 overflow-hidden rounded-lg border border-slate-200" aria-label="Conversations, newest first">
        {rows.map((row) => {
          const selected = row.id === selectedId;
          return (
            <li key={row.id} data-testid="conversation-row">
              <Link
                to={{ pathname: `/conversations/${row.id}`, search: location.search }}
                aria-current={selected ? 'page' : undefined}
                className={`block px-3 py-2.5 text-sm focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-indigo-600 ${selected ? 'bg-indigo-50' : 'hover:bg-slate-50'}`}
              >
                <RowSummary row={row} fmt={fmt} />
              </Link>
            </li>
          );
        })}
      </ul>
      <LoadMore query={query} shown={`${rows.length} ${rows.length === 1 ? 'conversation' : 'conversations'}`} />
    </div>
  );
}

/* ---------- the transcript ---------- */

function Fact({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div>
      <dt className="text-xs text-slate-500">{term}</dt>
      <dd className="text-sm text-slate-800">{children}</dd>
    </div>
  );
}

function InquiryItem({ inquiry, fmt }: { inquiry: ConversationInquiry; fmt: Formatters }) {
  const storeSearch = useStoreSearch();
  const state = inquiry.escalated ? 'Escalated' : inquiry.resolved ? 'Resolved' : 'Open';
  return (
    <li className="flex flex-wrap items-center gap-x-3 gap-y-1 px-3 py-2 text-sm">
      {inquiry.orderNumber ? (
        <Link
          to={`/orders/${encodeURIComponent(inquiry.orderNumber)}/timeline${storeSearch}`}
          className="font-medium text-indigo-600 hover:underline focus-visible:outline-2 focus-visible:outline-indigo-600"
        >
          Order {inquiry.orderNumber}
        </Link>
      ) : (
        <span className="font-medium text-slate-700">No order</span>
      )}
      <span className="text-slate-700">{humanize(inquiry.inquiryType)}</span>
      {inquiry.orderStatus && <span className="text-slate-500">{humanize(inquiry.orderStatus)} when asked</span>}
      <span className="text-slate-500">{state}</span>
      {inquiry.rating !== null && <span className="text-slate-500">Rated {inquiry.rating} / 5</span>}
      <span className="text-xs text-slate-500">{fmt.dateTime(inquiry.createdAt)}</span>
    </li>
  );
}

function MessageItem({ message, fmt }: { message: ConversationMessage; fmt: Formatters }) {
  const fromCustomer = message.sender === 'customer';
  return (
    <li className={`flex ${fromCustomer ? 'justify-start' : 'justify-end'}`} data-testid="transcript-message">
      <div className={`max-w-[85%] rounded-lg px-3 py-2 ${fromCustomer ? 'bg-slate-100 text-slate-900' : message.sender === 'agent' ? 'bg-violet-50 text-slate-900 ring-1 ring-inset ring-violet-200' : 'bg-indigo-50 text-slate-900'}`}>
        <p className="text-xs font-medium text-slate-600">
          {SENDER_LABELS[message.sender]} · <time dateTime={message.createdAt}>{fmt.dateTime(message.createdAt)}</time>
        </p>
        {message.text === null ? (
          <p className="mt-0.5 text-sm italic text-slate-600">Message removed (customer data erased or past retention)</p>
        ) : (
          <p className="mt-0.5 whitespace-pre-wrap break-words text-sm">{message.text}</p>
        )}
      </div>
    </li>
  );
}

function Transcript({ detail, fmt }: { detail: ConversationDetail; fmt: Formatters }) {
  return (
    <div className="space-y-4">
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-3">
        <Fact term="Customer">
          {detail.customer ? (
            <>
              {detail.customer.name ?? '—'}
              <span className="block truncate text-xs text-slate-500">{detail.customer.email ?? '—'}</span>
            </>
          ) : (
            'Unknown'
          )}
        </Fact>
        <Fact term="Started">{fmt.dateTime(detail.startedAt)}</Fact>
        <Fact term="Outcome">
          <OutcomeBadge outcome={detail.outcome} />
        </Fact>
        <Fact term="Language">{LANGUAGE_LABELS[detail.language]}</Fact>
        <Fact term="Channel">{humanize(detail.channel)}</Fact>
        <Fact term="Rating">{detail.rating === null ? 'Not rated' : `${fmt.score(detail.rating)} / 5`}</Fact>
      </dl>
      {detail.piiMasked && <p className="text-xs text-slate-500">Email addresses are masked for your role.</p>}
      <section aria-labelledby="inquiries-heading">
        <h3 id="inquiries-heading" className="mb-1.5 text-sm font-semibold text-slate-900">
          Inquiries
        </h3>
        {detail.inquiries.length === 0 ? (
          <p className="text-sm text-slate-500">No order was verified in this conversation.</p>
        ) : (
          <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200">
            {detail.inquiries.map((inquiry) => (
              <InquiryItem key={inquiry.id} inquiry={inquiry} fmt={fmt} />
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="messages-heading">
        <h3 id="messages-heading" className="mb-1.5 text-sm font-semibold text-slate-900">
          Messages
        </h3>
        {detail.messages.length === 0 ? (
          <p className="text-sm text-slate-500">No messages yet.</p>
        ) : (
          <ol className="space-y-2" aria-labelledby="messages-heading">
            {detail.messages.map((m) => (
              <MessageItem key={m.id} message={m} fmt={fmt} />
            ))}
          </ol>
        )}
      </section>
    </div>
  );
}

function TranscriptPanel({ conversationId }: { conversationId?: string }) {
  const { store } = useStore();
  const fmt = useFormat();
  const location = useLocation();
  const query = useConversation(store.id, conversationId);
  const headingRef = useRef<HTMLHeadingElement>(null);

  // Selecting a conversation moves focus to its transcript (on a phone it is below the list).
  useEffect(() => {
    if (conversationId) headingRef.current?.focus();
  }, [conversationId]);

  const title = query.data ? `Conversation with ${customerLabel(query.data.customer)}` : 'Transcript';
  const back = (
    <Link
      to={{ pathname: '/conversations', search: location.search }}
      className="text-sm font-medium text-indigo-600 hover:underline focus-visible:outline-2 focus-visible:outline-indigo-600"
    >
      Close
    </Link>
  );
  return (
    <section
      aria-labelledby="transcript-heading"
      className="min-w-0 rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:p-5 lg:sticky lg:top-20"
    >
      <header className="mb-3 flex items-start justify-between gap-2">
        <h2 ref={headingRef} tabIndex={-1} className="text-base font-semibold text-slate-900 outline-none" id="transcript-heading">
          {conversationId ? title : 'Transcript'}
        </h2>
        {conversationId && back}
      </header>
      {!conversationId ? (
        <EmptyState title="No conversation selected" compact>
          Choose a conversation to read its transcript.
        </EmptyState>
      ) : (
        <QueryView
          query={query}
          errorTitle={isApiError(query.error) && query.error.status === 404 ? 'Conversation not found' : 'Couldn’t load the transcript'}
          loading={<LoadingBlock className="h-72" label="Loading the transcript…" />}
        >
          {(detail) => <Transcript detail={detail} fmt={fmt} />}
        </QueryView>
      )}
    </section>
  );
}

/** /conversations and /conversations/:conversationId — what customers asked the assistant. */
export function ConversationsPage() {
  usePageTitle('Conversations');
  const { conversationId } = useParams();
  const [filters, setFilters] = useConversationFilters();
  const clear = () => setFilters({ dateRange: undefined, inquiryTypes: [], languages: [], outcomes: [] });
  return (
    <div className="space-y-5">
      <div>
        <h1 className="text-xl font-semibold tracking-tight text-slate-900 sm:text-2xl">Conversations</h1>
        <p className="mt-0.5 text-sm text-slate-500">Read what customers asked the assistant, and how each conversation ended.</p>
      </div>
      <FilterBar filters={filters} onChange={setFilters} />
      <div className="grid items-start gap-5 lg:grid-cols-[minmax(0,2fr)_minmax(0,3fr)]">
        <section aria-label="Conversation list" className="min-w-0">
          <ConversationList filters={filters} selectedId={conversationId} onClear={clear} />
        </section>
        <TranscriptPanel conversationId={conversationId} />
      </div>
    </div>
  );
}

export default ConversationsPage;
