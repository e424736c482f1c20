import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/endpoints';
import type { LoginRequest, Me } from '../api/types';

export const authKeys = { me: ['auth', 'me'] as const };

export const meQuery = queryOptions({
  queryKey: authKeys.me,
  queryFn: ({ signal }) => api.me(signal),
  staleTime: 5 * 60_000,
});

export function useMe() {
  return useQuery(meQuery);
}

export function useLogin() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: LoginRequest) => api.login(body),
    onSuccess: ({ user, stores }) => {
      // The session is the httpOnly cookie the response set; the token is not kept.
      queryClient.setQueryData<Me>(authKeys.me, { user, stores });
    },
  });
}

export function useLogout() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.logout(),
    onSettled: () => {
      queryClient.clear();
    },
  });
}
