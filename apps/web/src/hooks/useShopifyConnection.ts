import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/endpoints';

export const shopifyKey = (storeId: string) => ['integrations', 'shopify', storeId] as const;

const IMPORT_POLL_MS = 2000;

/** The store's Shopify connection; polled while a history import is under way. */
export function useShopifyConnection(storeId: string) {
  return useQuery({
    queryKey: shopifyKey(storeId),
    queryFn: ({ signal }) => api.shopifyConnection({ storeId, signal }),
    refetchInterval: (query) => {
      const status = query.state.data?.backfill?.status;
      return status === 'pending' || status === 'running' ? IMPORT_POLL_MS : false;
    },
  });
}

/** Starts the install: the answer is Shopify's consent URL, where the browser goes next. */
export function useShopifyInstall(storeId: string, navigate: (url: string) => void = (url) => window.location.assign(url)) {
  return useMutation({
    mutationFn: (shop: string) => api.shopifyInstall(shop, { storeId }),
    onSuccess: (answer) => navigate(answer.authorizeUrl),
  });
}

export function useShopifyBackfill(storeId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (days: number) => api.shopifyBackfill(days, { storeId }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: shopifyKey(storeId) }),
  });
}
