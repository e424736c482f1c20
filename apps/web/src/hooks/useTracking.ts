import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/endpoints';

export const trackingKeys = {
  all: (storeId: string) => ['tracking', storeId] as const,
};

/** AfterShip and EasyPost: webhook URLs, whether the secret is set, the last 24 hours (admins). */
export function useTrackingSettings(storeId: string) {
  return useQuery({
    queryKey: trackingKeys.all(storeId),
    queryFn: ({ signal }) => api.trackingSettings({ storeId, signal }),
  });
}

/** Sets or rotates the secret both tracking providers sign with (never returned). */
export function useSetTrackingSecret(storeId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (secret: string) => api.setTrackingSecret(secret, { storeId }),
    onSuccess: (settings) => queryClient.setQueryData(trackingKeys.all(storeId), settings),
  });
}
