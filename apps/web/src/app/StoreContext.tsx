import { createContext, useCallback, useContext, useEffect, useMemo, type ReactNode } from 'react';
import { useSearchParams } from 'react-router';
import type { StoreMembership } from '../api/types';
import { browserLocale, FormatProvider } from '../lib/formatContext';
import { readStoredStoreId, STORE_PARAM, writeStoredStoreId } from './storedStore';

interface StoreContextValue {
  store: StoreMembership;
  stores: StoreMembership[];
  selectStore: (storeId: string) => void;
}

const StoreContext = createContext<StoreContextValue | null>(null);

/**
 * The selected store: the `store` search param, else the last one used (localStorage),
 * else the user's first store. Only stores the user is a member of can be selected.
 */
export function pickStore(stores: StoreMembership[], fromUrl: string | null, fromStorage: string | null) {
  return (
    stores.find((s) => s.id === fromUrl) ?? stores.find((s) => s.id === fromStorage) ?? stores[0] ?? null
  );
}

export function StoreProvider({ stores, children }: { stores: StoreMembership[]; children: ReactNode }) {
  const [searchParams, setSearchParams] = useSearchParams();
  const fromUrl = searchParams.get(STORE_PARAM);
  const store = pickStore(stores, fromUrl, readStoredStoreId());

  useEffect(() => {
    if (store) writeStoredStoreId(store.id);
  }, [store]);

  const selectStore = useCallback(
    (storeId: string) => {
      writeStoredStoreId(storeId);
      setSearchParams((prev) => {
        const next = new URLSearchParams(prev);
        next.set(STORE_PARAM, storeId);
        return next;
      });
    },
    [setSearchParams],
  );

  const format = useMemo(
    () => ({ locale: browserLocale(), timeZone: store?.timezone || 'UTC', currency: store?.currency || 'USD' }),
    [store?.timezone, store?.currency],
  );

  const value = useMemo(() => (store ? { store, stores, selectStore } : null), [store, stores, selectStore]);
  if (!value) return <>{children}</>;
  return (
    <StoreContext.Provider value={value}>
      <FormatProvider value={format}>{children}</FormatProvider>
    </StoreContext.Provider>
  );
}

export function useStore(): StoreContextValue {
  const value = useContext(StoreContext);
  if (!value) throw new Error('useStore() needs a selected store (StoreProvider with at least one store)');
  return value;
}

/** Keeps the `store` param when linking elsewhere in the app. */
export function useStoreSearch(): string {
  const [searchParams] = useSearchParams();
  const storeId = searchParams.get(STORE_PARAM);
  return storeId ? `?${STORE_PARAM}=${encodeURIComponent(storeId)}` : '';
}
