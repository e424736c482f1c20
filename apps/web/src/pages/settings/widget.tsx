import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api } from '../../api/endpoints';
import type { WidgetSettings } from '../../api/types';
import { useStore } from '../../app/StoreContext';
import { Card } from '../../components/ui/Card';
import { CopyField } from '../../components/ui/CopyButton';
import { LoadingBlock } from '../../components/ui/Skeleton';
import { ErrorState } from '../../components/ui/States';
import { FIELD, hasRole, SaveFooter, SettingsPage } from './SettingsNav';

/** One origin a line; blank lines dropped (the server normalises and checks each). */
export function parseOrigins(text: string): string[] {
  return text
    .split(/[\n,]/)
    .map((line) => line.trim())
    .filter(Boolean);
}

function OriginsForm({ saved, storeId }: { saved: WidgetSettings; storeId: string }) {
  const queryClient = useQueryClient();
  const [text, setText] = useState(saved.allowedOrigins.join('\n'));
  const save = useMutation({
    mutationFn: () => api.updateWidget(parseOrigins(text), { storeId }),
    onSuccess: (widget) => {
      queryClient.setQueryData(['settings', 'widget', storeId], widget);
      setText(widget.allowedOrigins.join('\n'));
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <form onSubmit={submit} className="space-y-3">
      <label className="block text-sm font-medium text-slate-700">
        Allowed origins
        <textarea
          rows={4}
          value={text}
          onChange={(e) => {
            save.reset();
            setText(e.target.value);
          }}
          placeholder="https://shop.example.com"
          aria-describedby="origins-help"
          className={`${FIELD} font-mono`}
        />
        <span id="origins-help" className="mt-1 block text-xs font-normal text-slate-500">
          One per line, as scheme://host[:port]. Pages elsewhere cannot open the chat. At most 20.
        </span>
      </label>
      <SaveFooter save={save} label="Save origins" />
    </form>
  );
}

export function WidgetSettingsPage() {
  const { store } = useStore();
  const query = useQuery({
    queryKey: ['settings', 'widget', store.id],
    queryFn: ({ signal }) => api.widget({ storeId: store.id, signal }),
    enabled: hasRole(store.role, 'admin'),
  });
  return (
    <SettingsPage title="Chat widget" role="admin">
      {() =>
        query.isPending ? (
          <LoadingBlock className="h-64" />
        ) : query.isError ? (
          <ErrorState error={query.error} onRetry={() => void query.refetch()} />
        ) : (
          <>
            <Card title="Embed the chat" description="Paste this tag into every page of your store where customers should find the chat button.">
              <CopyField value={query.data.embedSnippet} what="the embed snippet" multiline />
              <p className="mt-3 text-sm font-medium text-slate-700">Widget key</p>
              <p className="mb-1 text-xs text-slate-500">Public: it identifies the store, it grants no access to your data.</p>
              <CopyField value={query.data.widgetKey ?? ''} what="the widget key" />
            </Card>
            <Card title="Where the widget may run">
              <OriginsForm key={store.id} saved={query.data} storeId={store.id} />
            </Card>
          </>
        )
      }
    </SettingsPage>
  );
}

export default WidgetSettingsPage;
