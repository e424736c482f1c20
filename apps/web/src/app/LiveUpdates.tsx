import type { ReactNode } from 'react';
import { LiveContext } from '../hooks/liveContext';
import { useLiveUpdates } from '../hooks/useLiveUpdates';
import { useStore } from './StoreContext';

/** One live connection for the selected store; its status drives polling and the header. */
export function LiveUpdatesProvider({ children }: { children: ReactNode }) {
  const { store } = useStore();
  const status = useLiveUpdates(store.id, store.timezone);
  return <LiveContext.Provider value={status}>{children}</LiveContext.Provider>;
}
