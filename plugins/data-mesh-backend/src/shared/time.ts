/**
 * How far ahead of the backend's clock a run or an event may be dated and
 * still be stored: beyond it, a wrong clock would make old data look fresh
 * for as long as the date lies ahead.
 */
export const FUTURE_LIMIT_MS = 86_400_000;
