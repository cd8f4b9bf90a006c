/**
 * Fakes Date only, at `now`: every timer and clock the code under test waits
 * on stays real, so servers, databases and a rendered page work as usual
 * while a test moves the day with `jest.setSystemTime`. With
 * `advanceTimers`, the faked Date also moves on with real time. Undo with
 * `jest.useRealTimers()`.
 */
export function fakeDateOnly(
  now: Date | number,
  options: { advanceTimers?: boolean } = {},
): void {
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
    advanceTimers: options.advanceTimers,
  });
}
