import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/endpoints';
import type { SetupChecklist as Checklist, SetupStep } from '../../api/types';
import { Card } from '../ui/Card';
import { CopyField } from '../ui/CopyButton';

/** While a step is open the checklist asks again this often, so steps tick as data arrives. */
export const SETUP_POLL_MS = 10_000;

export const setupKey = (storeId: string) => ['wismo', storeId, 'setup'] as const;

export function useSetupChecklist(storeId: string, enabled = true) {
  return useQuery({
    queryKey: setupKey(storeId),
    queryFn: ({ signal }) => api.setup({ storeId, signal }),
    enabled,
    refetchInterval: (query) => (query.state.data?.complete ? false : SETUP_POLL_MS),
  });
}

function StepItem({ step, index }: { step: SetupStep; index: number }) {
  return (
    <li className="py-3">
      <div className="flex items-center gap-2">
        <span
          aria-hidden="true"
          className={`flex h-6 w-6 shrink-0 items-center justify-center rounded-full text-xs font-semibold ${step.done ? 'bg-emerald-600 text-white' : 'border border-slate-300 text-slate-600'}`}
        >
          {step.done ? '✓' : index + 1}
        </span>
        <h3 className={`text-sm font-medium ${step.done ? 'text-slate-500 line-through' : 'text-slate-900'}`}>{step.title}</h3>
        <span className="sr-only">{step.done ? '(done)' : '(to do)'}</span>
      </div>
      {!step.done && (
        <ul className="mt-2 space-y-3 pl-8">
          {step.instructions.map((instruction) => (
            <li key={instruction.label}>
              <p className="mb-1 text-sm text-slate-700">{instruction.label}</p>
              <CopyField value={instruction.value} what={instruction.label} multiline={instruction.kind === 'snippet'} />
              {instruction.note && <p className="mt-1 text-xs text-amber-800">{instruction.note}</p>}
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}

export function SetupChecklistView({ checklist }: { checklist: Checklist }) {
  const doneCount = checklist.steps.filter((s) => s.done).length;
  return (
    <Card
      title="Set up your store"
      headingId="setup-checklist"
      description={`${doneCount} of ${checklist.steps.length} done. Each step ticks itself when its first record arrives.`}
    >
      <ol className="divide-y divide-slate-100">
        {checklist.steps.map((step, index) => (
          <StepItem key={step.key} step={step} index={index} />
        ))}
      </ol>
    </Card>
  );
}
