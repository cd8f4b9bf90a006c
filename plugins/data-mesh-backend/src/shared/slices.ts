import { performance } from 'node:perf_hooks';

/*
 * Large work without holding the event loop: a quality post may be 5 MB
 * (tens of thousands of checks to validate, convert and write), and an
 * evaluation scores 10,000 products. Done in one go, either takes the
 * backend's only thread for up to seconds, and no other request is answered
 * meanwhile. So the work is done in slices, and between slices the event
 * loop gets to answer others.
 */

/** Items between two pauses of a parser: a slice costs well under a millisecond. */
export const SLICE = 200;

/** Longest the event loop is held before work pauses for other requests. */
const BUDGET_MS = 10;

/**
 * Work that `runNow` and `runInSlices` drive. It yields `undefined` at the
 * end of a slice, or a detour: something that may be done on another
 * thread, whose result `yield` returns.
 */
export type Work<T> = Generator<Detour<unknown> | undefined, T, unknown>;

/** The same result two ways: here and now, or elsewhere (a worker thread). */
export type Detour<R> = { now: () => R; aside: () => Promise<R> };

/** Runs work to its end in one go, as tests and small documents may. */
export function runNow<T>(work: Work<T>): T {
  let step = work.next();
  while (!step.done) step = work.next(step.value?.now());
  return step.value;
}

/**
 * When the work now holding the event loop took it, and whether a work took
 * this turn of the event loop. One for the whole process: posts read at the
 * same time would otherwise each take a budget in the same turn, one after
 * the other (SQLite even answers them without a turn in between).
 */
let heldSince = performance.now();
let taken = false;
const release = () => {
  taken = false;
};

/**
 * Lets other requests in once work has held the event loop for
 * `BUDGET_MS`; returns at once before that. Call it between slices. Of
 * several works waiting, one takes the next turn of the event loop and the
 * others wait for a later one, after the event loop has looked for I/O.
 */
export async function pause(): Promise<void> {
  while (performance.now() - heldSince >= BUDGET_MS) {
    await new Promise<void>(resolve => setImmediate(resolve));
    if (!taken) {
      taken = true;
      heldSince = performance.now();
      // Runs in the next turn: immediates queued now wait for it.
      setImmediate(release);
    }
  }
}

/**
 * Runs work, letting the event loop answer other requests whenever it has
 * been held for `BUDGET_MS`, and taking detours aside. Results and errors
 * are those of `runNow`.
 */
export async function runInSlices<T>(work: Work<T>): Promise<T> {
  // The first slice (parsing the JSON, say) waits for a turn of its own.
  await pause();
  let step = work.next();
  while (!step.done) {
    let answer: unknown;
    if (step.value) {
      answer = await step.value.aside();
    } else {
      await pause();
    }
    step = work.next(answer);
  }
  return step.value;
}
