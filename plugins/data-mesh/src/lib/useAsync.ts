import {
  DependencyList,
  useCallback,
  useEffect,
  useRef,
  useState,
} from 'react';

export type AsyncState<T> = {
  loading: boolean;
  value?: T;
  error?: Error;
  /** Runs the load again, keeping the current value until it resolves. */
  retry: () => void;
};

/**
 * Runs `load` when the dependencies change and tracks its outcome. Results of
 * loads that were superseded are dropped. New dependencies clear the value; a
 * retry keeps it on screen until the new one arrives.
 */
export function useAsync<T>(
  load: () => Promise<T>,
  deps: DependencyList,
): AsyncState<T> {
  const [attempt, setAttempt] = useState(0);
  const [state, setState] = useState<Omit<AsyncState<T>, 'retry'>>({
    loading: true,
  });

  const lastAttempt = useRef(attempt);

  useEffect(() => {
    let current = true;
    const isRetry = lastAttempt.current !== attempt;
    lastAttempt.current = attempt;
    setState(previous => ({
      loading: true,
      value: isRetry ? previous.value : undefined,
    }));
    load().then(
      value => {
        if (current) setState({ loading: false, value });
      },
      error => {
        if (current) {
          setState({
            loading: false,
            error: error instanceof Error ? error : new Error(String(error)),
          });
        }
      },
    );
    return () => {
      current = false;
    };
    // The caller's deps decide when to load again.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, attempt]);

  const retry = useCallback(() => setAttempt(n => n + 1), []);
  return { ...state, retry };
}
