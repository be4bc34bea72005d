/** What a step's handler receives. */
export interface StepContext<Data = Record<string, unknown>, Input = Record<string, unknown>> {
  workflow: { id: string; name: string; input: Input };
  step: {
    name: string;
    /** 1 for the first attempt; operator retries continue the count. */
    attempt: number;
    data: Data;
    queue: string;
    jobId: string;
  };
  /** The stored results of the steps this one depends on, by step name. */
  results: Record<string, unknown>;
  /** Aborted when pg-boss gives up on the attempt (its expiry passed, or the worker stops). Stop work when it fires. */
  signal: AbortSignal;
}

/**
 * Runs one attempt of a step. The returned value becomes the step's result (JSON, at most the
 * runtime's `maximumResultBytes`); a throw fails the attempt under pg-boss's retry policy.
 */
export type StepHandler<Data = Record<string, unknown>, Input = Record<string, unknown>, Result = unknown> = (context: StepContext<Data, Input>) => Promise<Result> | Result;

export type AttemptOutcome = { kind: 'returned'; value: unknown } | { kind: 'threw'; error: unknown } | { kind: 'aborted'; reason: unknown };

/**
 * Runs the handler until it settles or `signal` aborts. A handler that ignores the signal keeps
 * running in the background, but its outcome no longer counts: pg-boss has already failed the
 * attempt.
 */
export async function invokeStepHandler(handler: StepHandler<any, any>, context: StepContext<any, any>): Promise<AttemptOutcome> {
  const { signal } = context;
  if (signal.aborted) return { kind: 'aborted', reason: signal.reason };

  let onAbort: (() => void) | undefined;
  const aborted = new Promise<AttemptOutcome>((resolve) => {
    onAbort = () => resolve({ kind: 'aborted', reason: signal.reason });
    signal.addEventListener('abort', onAbort, { once: true });
  });
  const settled = Promise.resolve()
    .then(() => handler(context))
    .then(
      (value): AttemptOutcome => ({ kind: 'returned', value }),
      (error: unknown): AttemptOutcome => ({ kind: 'threw', error }),
    );

  try {
    return await Promise.race([settled, aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort!);
  }
}
