import 'fake-indexeddb/auto';
import { cleanup } from '@testing-library/preact';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { afterEach, beforeEach } from 'vitest';
import { installEnglishMessages } from './support/i18n';

// The fake browser has no i18n: give it the real English catalogue so components render real text.
beforeEach(() => {
  fakeBrowser.reset();
  installEnglishMessages();
});

// Without vitest globals, Testing Library cannot register its own cleanup.
afterEach(() => cleanup());
