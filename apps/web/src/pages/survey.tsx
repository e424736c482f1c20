import { useMutation } from '@tanstack/react-query';
import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { useLocation, useParams } from 'react-router';
import { errorMessage, isApiError } from '../api/client';
import { api } from '../api/endpoints';
import type { SurveyAnswer } from '../api/types';
import { usePageTitle } from '../hooks/usePageTitle';

export const FEEDBACK_MAX = 2000;

const RATINGS = [
  { value: 1, label: 'Very dissatisfied' },
  { value: 2, label: 'Dissatisfied' },
  { value: 3, label: 'Neutral' },
  { value: 4, label: 'Satisfied' },
  { value: 5, label: 'Very satisfied' },
] as const;

const EFFORTS = [1, 2, 3, 4, 5, 6, 7] as const;

/** The survey token travels in the URL fragment (`#token=...`), never sent to a server by the page load. */
export function tokenFromHash(hash: string): string | null {
  const params = new URLSearchParams(hash.startsWith('#') ? hash.slice(1) : hash);
  const token = params.get('token');
  return token && token.trim() ? token.trim() : null;
}

type Outcome = 'answered' | 'already' | 'expired' | 'not-found';

function outcomeOf(error: unknown): Outcome | null {
  if (!isApiError(error)) return null;
  if (error.status === 409) return 'already';
  if (error.status === 401) return 'expired';
  if (error.status === 404) return 'not-found';
  return null;
}

function Shell({ children }: { children: ReactNode }) {
  return (
    <main className="flex min-h-screen items-start justify-center bg-slate-50 px-4 py-10 sm:items-center">
      <div className="w-full max-w-lg rounded-2xl border border-slate-200 bg-white p-6 shadow-sm sm:p-8">{children}</div>
    </main>
  );
}

function Final({ title, children, tone = 'slate' }: { title: string; children: ReactNode; tone?: 'emerald' | 'slate' | 'amber' }) {
  const icon = { emerald: 'text-emerald-600', slate: 'text-slate-400', amber: 'text-amber-600' }[tone];
  return (
    <div className="text-center" data-testid="survey-final">
      <svg aria-hidden="true" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.6" className={`mx-auto mb-3 h-10 w-10 ${icon}`}>
        {tone === 'emerald' ? (
          <path strokeLinecap="round" strokeLinejoin="round" d="M9 12.75 11.25 15 15 9.75M21 12a9 9 0 1 1-18 0 9 9 0 0 1 18 0Z" />
        ) : (
          <path strokeLinecap="round" strokeLinejoin="round" d="M12 9v3.75m9-.75a9 9 0 1 1-18 0 9 9 0 0 1 18 0Zm-9 3.75h.008v.008H12v-.008Z" />
        )}
      </svg>
      <h1 className="text-xl font-semibold text-slate-900">{title}</h1>
      <p className="mt-2 text-sm text-slate-600">{children}</p>
    </div>
  );
}

/** /survey/:inquiryId#token=... — the customer rates the help they got. No login. */
export function SurveyPage() {
  usePageTitle('How did we do?');
  const { inquiryId = '' } = useParams();
  const location = useLocation();
  // Read once: the fragment is cleared from the address bar after a final answer.
  const [token] = useState(() => tokenFromHash(location.hash));
  const [rating, setRating] = useState<number | null>(null);
  const [effort, setEffort] = useState<number | null>(null);
  const [feedback, setFeedback] = useState('');
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const ids = { rating: useId(), effort: useId(), feedback: useId(), count: useId() };

  const submit = useMutation({
    mutationFn: (body: SurveyAnswer) => api.answerSurvey(inquiryId, body),
    onSuccess: () => finish('answered'),
    onError: (error) => {
      const final = outcomeOf(error);
      if (final) finish(final);
    },
  });

  function finish(result: Outcome) {
    setOutcome(result);
    // The token is spent (or useless): keep it out of the history and of screenshots.
    window.history.replaceState(window.history.state, '', window.location.pathname);
  }

  if (!token) {
    return (
      <Shell>
        <Final title="This survey link is incomplete">
          Please open the link exactly as you received it, or ask us for a new one.
        </Final>
      </Shell>
    );
  }
  if (outcome === 'answered') {
    return (
      <Shell>
        <Final title="Thank you for your feedback!" tone="emerald">
          Your answer helps us make our order updates clearer and faster.
        </Final>
      </Shell>
    );
  }
  if (outcome === 'already') {
    return (
      <Shell>
        <Final title="You’ve already answered this survey">
          {isApiError(submit.error) && submit.error.detail?.includes('not resolved')
            ? 'This question isn’t resolved yet; we’ll ask for your rating once it is.'
            : 'Thanks — we only need one answer per question, and we have yours.'}
        </Final>
      </Shell>
    );
  }
  if (outcome === 'expired') {
    return (
      <Shell>
        <Final title="This survey link has expired" tone="amber">
          Survey links work for a limited time. Thanks for wanting to tell us how we did.
        </Final>
      </Shell>
    );
  }
  if (outcome === 'not-found') {
    return (
      <Shell>
        <Final title="We couldn’t find this survey" tone="amber">
          The link may be incomplete. Please open it exactly as you received it.
        </Final>
      </Shell>
    );
  }

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (rating === null || submit.isPending) return;
    const text = feedback.trim();
    submit.mutate({ token, rating, effortScore: effort, feedback: text ? text : null });
  };

  const retryLater = isApiError(submit.error) && submit.error.status === 429;

  return (
    <Shell>
      <form onSubmit={onSubmit} className="space-y-6" aria-labelledby="survey-title" noValidate>
        <div>
          <h1 id="survey-title" className="text-xl font-semibold text-slate-900">
            How did we do?
          </h1>
          <p className="mt-1 text-sm text-slate-600">Two quick questions about the help you got with your order.</p>
        </div>

        <fieldset>
          <legend id={ids.rating} className="text-sm font-medium text-slate-900">
            How satisfied are you with the answer? <span className="text-rose-600">*</span>
            <span className="sr-only"> (required)</span>
          </legend>
          <div className="mt-2 grid grid-cols-5 gap-2" data-testid="rating-options">
            {RATINGS.map((r) => (
              <label
                key={r.value}
                className={`flex cursor-pointer flex-col items-center rounded-lg border px-1 py-2 text-center transition has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-offset-2 has-[:focus-visible]:outline-indigo-600 ${rating === r.value ? 'border-indigo-600 bg-indigo-50 text-indigo-800' : 'border-slate-300 text-slate-700 hover:bg-slate-50'}`}
              >
                <input
                  type="radio"
                  name="rating"
                  value={r.value}
                  checked={rating === r.value}
                  onChange={() => setRating(r.value)}
                  className="sr-only"
                  aria-label={`${r.value} of 5, ${r.label}`}
                />
                <span aria-hidden="true" className="text-lg font-semibold tabular-nums">
                  {r.value}
                </span>
                <span aria-hidden="true" className="text-[10px] leading-tight text-slate-500 sm:text-xs">
                  {r.label}
                </span>
              </label>
            ))}
          </div>
        </fieldset>

        <fieldset>
          <legend id={ids.effort} className="text-sm font-medium text-slate-900">
            How easy was it to get your answer? <span className="font-normal text-slate-500">(optional)</span>
          </legend>
          <div className="mt-2 grid grid-cols-7 gap-1.5" data-testid="effort-options">
            {EFFORTS.map((value) => (
              <label
                key={value}
                className={`flex cursor-pointer items-center justify-center rounded-lg border py-2 text-sm font-semibold tabular-nums transition has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-offset-2 has-[:focus-visible]:outline-indigo-600 ${effort === value ? 'border-indigo-600 bg-indigo-50 text-indigo-800' : 'border-slate-300 text-slate-700 hover:bg-slate-50'}`}
              >
                <input
                  type="radio"
                  name="effort"
                  value={value}
                  checked={effort === value}
                  onChange={() => setEffort(value)}
                  className="sr-only"
                  aria-label={`${value} of 7${value === 1 ? ', very easy' : value === 7 ? ', very hard' : ''}`}
                />
                <span aria-hidden="true">{value}</span>
              </label>
            ))}
          </div>
          <div className="mt-1 flex justify-between text-xs text-slate-500" aria-hidden="true">
            <span>Very easy</span>
            <span>Very hard</span>
          </div>
          {effort !== null && (
            <button type="button" onClick={() => setEffort(null)} className="mt-1 text-xs font-medium text-indigo-600 hover:underline">
              Clear
            </button>
          )}
        </fieldset>

        <div>
          <label htmlFor={ids.feedback} className="text-sm font-medium text-slate-900">
            Anything we could do better? <span className="font-normal text-slate-500">(optional)</span>
          </label>
          <textarea
            id={ids.feedback}
            value={feedback}
            onChange={(e) => setFeedback(e.target.value.slice(0, FEEDBACK_MAX))}
            maxLength={FEEDBACK_MAX}
            rows={4}
            aria-describedby={ids.count}
            className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 text-sm shadow-sm focus-visible:outline-2 focus-visible:-outline-offset-1 focus-visible:outline-indigo-600"
          />
          <p id={ids.count} className="mt-1 text-right text-xs text-slate-500">
            {feedback.length} / {FEEDBACK_MAX}
          </p>
        </div>

        {submit.isError && !outcomeOf(submit.error) && (
          <p role="alert" className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-700">
            {retryLater ? 'Too many answers from your connection right now. Please try again in a minute.' : `Couldn’t send your answer: ${errorMessage(submit.error)}`}
          </p>
        )}

        <button
          type="submit"
          disabled={rating === null || submit.isPending}
          className="w-full rounded-md bg-indigo-600 px-3 py-2.5 text-sm font-semibold text-white shadow-sm hover:bg-indigo-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:cursor-not-allowed disabled:opacity-50"
        >
          {submit.isPending ? 'Sending…' : rating === null ? 'Choose a rating to send' : 'Send feedback'}
        </button>
      </form>
    </Shell>
  );
}

export default SurveyPage;
