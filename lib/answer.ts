import * as v from 'valibot';

/**
 * Servers' answers are read through a schema (valibot) instead of casts: what does not have the expected shape is
 * `undefined`, and each caller turns that into the problem it has always reported (mostly `bad-response`).
 * Background and extension pages only: the always-on detector never imports this (its size budget).
 */
export function readAnswer<S extends v.GenericSchema>(schema: S, value: unknown): v.InferOutput<S> | undefined {
  const result = v.safeParse(schema, value);
  return result.success ? result.output : undefined;
}

/** The same for an answer body that should be JSON; a body that is not JSON reads as `undefined` too. */
export function readJsonAnswer<S extends v.GenericSchema>(schema: S, body: string): v.InferOutput<S> | undefined {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return undefined;
  }
  return readAnswer(schema, value);
}
