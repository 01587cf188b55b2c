import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { errorText } from './error-text';

/**
 * One slow action at a time per part of the view: while it runs the part shows its progress, when it fails
 * the error (in words, with what to do next) until the next try.
 */
export function useTask() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const run = useCallback(async <T,>(work: () => Promise<T>): Promise<T | undefined> => {
    setBusy(true);
    setError(undefined);
    try {
      return await work();
    } catch (e) {
      setError(e);
      return undefined;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, run, clear: () => setError(undefined) };
}

export function Progress({ label }: { label: string }) {
  return (
    <p class="progress" role="status" aria-busy="true">
      <span class="spinner" aria-hidden="true" /> {label}
    </p>
  );
}

export function ErrorNotice({ error }: { error: unknown }) {
  if (error === undefined) return null;
  return (
    <p class="notice error" role="alert">
      {errorText(error)}
    </p>
  );
}

/**
 * Moves keyboard focus to the returned element (a heading with tabIndex -1) whenever `key` changes: the control
 * that was used has just disappeared, and focus must not fall back to the top of the page.
 */
export function useFocusOn<T extends HTMLElement>(key: unknown) {
  const ref = useRef<T>(null);
  useEffect(() => ref.current?.focus(), [key]);
  return ref;
}
