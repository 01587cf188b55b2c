import { expect } from 'vitest';
import { InstanceError } from '@/lib/instance/errors';

/** Awaits a promise that must reject with an InstanceError, and answers that error for further checks. */
export async function failure(promise: Promise<unknown>): Promise<InstanceError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InstanceError);
  return error as InstanceError;
}
