import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/endpoints';
import { authKeys, meQuery } from '../api/queries';
import type { LoginRequest, Me } from '../api/types';

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
