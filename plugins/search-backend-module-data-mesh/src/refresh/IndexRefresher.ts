import type {
  LoggerService,
  SchedulerService,
  SchedulerServiceTaskRunner,
} from '@backstage/backend-plugin-api';

/**
 * Starts the data product index task when products change, at most once per
 * `minimumGapMs`, rather than waiting for its next scheduled run.
 *
 * A run reads every product, which in a large mesh takes a while (about half
 * a minute for 10,000 products): after a run this process saw take `d`, the
 * next one started by changes waits until `2d` after its end, so that
 * indexing on changes takes at most a third of the time however often
 * products change.
 *
 * It learns the task's id from the runner it hands to the search plugin (see
 * {@link IndexRefresher.runnerFor}), so it uses whatever id the search plugin
 * gives the task, and it triggers only once the task exists. The task runs
 * on the search plugin's scheduler, which this module shares: a global task
 * is started through the database by whichever backend instance polls
 * first, a local one in this process.
 */
export class IndexRefresher {
  readonly #scheduler: SchedulerService;
  readonly #logger: LoggerService;
  readonly #minimumGapMs: number;
  #taskId: string | undefined;
  /** Products announced as changed since the last trigger. */
  #pending = 0;
  #lastTriggerAt: number | undefined;
  /** A run of the task is under way in this process. */
  #running = false;
  /** The last run of the task in this process, whatever started it. */
  #lastRun: { endedAt: number; durationMs: number } | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #triggering = false;
  #stopped = false;

  constructor(options: {
    scheduler: SchedulerService;
    logger: LoggerService;
    minimumGapMs: number;
  }) {
    this.#scheduler = options.scheduler;
    this.#logger = options.logger;
    this.#minimumGapMs = options.minimumGapMs;
  }

  /**
   * The collator's runner, noting the id of the task the search plugin runs
   * with it and how long its runs take.
   */
  runnerFor(runner: SchedulerServiceTaskRunner): SchedulerServiceTaskRunner {
    return {
      run: async task => {
        await runner.run({
          ...task,
          fn: async signal => {
            const startedAt = Date.now();
            this.#running = true;
            try {
              await task.fn(signal);
            } finally {
              const endedAt = Date.now();
              this.#running = false;
              this.#lastRun = { endedAt, durationMs: endedAt - startedAt };
              // Changes announced during the run, which may have read the
              // products before them.
              this.#plan();
            }
          },
        });
        this.#taskId = task.id;
        // Changes announced while the search plugin was starting.
        this.#plan();
      },
    };
  }

  /** `count` products changed: index them now, or once the gap since the last trigger has passed. */
  changed(count: number): void {
    this.#pending += Math.max(count, 1);
    this.#plan();
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #plan() {
    if (
      this.#stopped ||
      this.#pending === 0 ||
      this.#timer ||
      this.#triggering ||
      this.#running ||
      !this.#taskId
    ) {
      return;
    }
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      // A run that started or ended meanwhile may have pushed the next one
      // further.
      if (this.#running || this.#wait() > 0) this.#plan();
      else void this.#trigger(this.#taskId!);
    }, this.#wait());
    // A pending refresh never keeps the process alive.
    this.#timer.unref?.();
  }

  /** How long until a run may be started: the gap since the last trigger, and twice the last run's time since its end. */
  #wait(): number {
    const now = Date.now();
    let earliest = now;
    if (this.#lastTriggerAt !== undefined) {
      earliest = Math.max(earliest, this.#lastTriggerAt + this.#minimumGapMs);
    }
    if (this.#lastRun) {
      earliest = Math.max(
        earliest,
        this.#lastRun.endedAt + 2 * this.#lastRun.durationMs,
      );
    }
    return earliest - now;
  }

  async #trigger(taskId: string) {
    const changed = this.#pending;
    this.#pending = 0;
    this.#lastTriggerAt = Date.now();
    this.#triggering = true;
    try {
      await this.#scheduler.triggerTask(taskId);
      this.#logger.info(
        `Indexing data products again: ${changed} changed in the catalog or in governance`,
      );
    } catch (error) {
      if ((error as Error)?.name === 'ConflictError') {
        // A run is under way, and it may have read the catalog before the
        // change: run once more when it is over.
        this.#pending += changed;
        this.#logger.debug(
          `Data product indexing is running; ${changed} changed products are indexed by the next run`,
        );
      } else {
        this.#logger.warn(
          `Could not start indexing data products after ${changed} changed, so they are indexed on the schedule: ${error}`,
        );
      }
    } finally {
      this.#triggering = false;
    }
    this.#plan();
  }
}
