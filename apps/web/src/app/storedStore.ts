/** Which store the dashboard shows: the URL's `store` parameter, else the last one used here. */
export const STORE_PARAM = 'store';
export const STORE_STORAGE_KEY = 'wismo.storeId';

export function readStoredStoreId(): string | null {
  try {
    return window.localStorage.getItem(STORE_STORAGE_KEY);
  } catch {
    return null;
  }
}

export function writeStoredStoreId(storeId: string) {
  try {
    window.localStorage.setItem(STORE_STORAGE_KEY, storeId);
  } catch {
    /* storage may be unavailable (private mode) */
  }
}
