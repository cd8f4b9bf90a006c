/**
 * `findByText` arguments for the heading of the error panel shown for a
 * failed request: the error's message. (Arguments, not a query, so this file
 * needs no test library outside the tests.)
 */
export function errorHeading(message: string) {
  return [`Error: ${message}`, { selector: 'h6' }] as const;
}
