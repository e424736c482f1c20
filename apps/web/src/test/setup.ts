import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@testing-library/react';
import { afterEach } from 'vitest';

// CI machines are shared and noisy: waiting for an element is bounded by these, not timed.
configure({ asyncUtilTimeout: 5_000 });

afterEach(() => {
  cleanup();
});
