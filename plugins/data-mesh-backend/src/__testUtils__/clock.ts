/**
 * Fakes Date only, at `now`: every timer and clock the backend waits on
 * stays real, so servers and databases work as usual while a test moves the
 * day with `jest.setSystemTime`. Undo with `jest.useRealTimers()`.
 */
export function fakeDateOnly(now: Date | number): void {
  jest.useFakeTimers({
    doNotFake: [
      'hrtime',
      'nextTick',
      'performance',
      'queueMicrotask',
      'requestAnimationFrame',
      'cancelAnimationFrame',
      'requestIdleCallback',
      'cancelIdleCallback',
      'setImmediate',
      'clearImmediate',
      'setInterval',
      'clearInterval',
      'setTimeout',
      'clearTimeout',
    ],
    now,
  });
}
