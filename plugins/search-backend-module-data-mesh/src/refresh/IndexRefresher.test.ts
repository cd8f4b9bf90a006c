import type { SchedulerServiceTaskInvocationDefinition } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { ConflictError, NotFoundError } from '@backstage/errors';
import { IndexRefresher } from './IndexRefresher';

const GAP = 30_000;

/** A refresher over a mock scheduler, the index task registered as `search_index_data_product`. */
async function setup(
  options: { register?: boolean; fn?: () => Promise<void> } = {},
) {
  const scheduler = mockServices.scheduler.mock();
  const logger = mockServices.logger.mock();
  const refresher = new IndexRefresher({
    scheduler,
    logger,
    minimumGapMs: GAP,
  });
  const runner = {
    run: jest.fn<Promise<void>, [SchedulerServiceTaskInvocationDefinition]>(
      async () => {},
    ),
  };
  const wrapped = refresher.runnerFor(runner);
  const register = () =>
    wrapped.run({
      id: 'search_index_data_product',
      fn: options.fn ?? (async () => {}),
    });
  if (options.register !== false) await register();
  /** Runs the task as the scheduler would, through the function handed to it. */
  const runTask = () =>
    runner.run.mock.calls[0][0].fn(new AbortController().signal);
  return { scheduler, logger, refresher, runner, register, runTask };
}

/** Lets timers due by `ms` from now fire, and the triggers they start settle. */
const pass = (ms: number) => jest.advanceTimersByTimeAsync(ms);

describe('IndexRefresher', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('hands the task to the search plugin and starts it as soon as products change', async () => {
    const { scheduler, runner, refresher, logger } = await setup();
    expect(runner.run).toHaveBeenCalledWith(
      expect.objectContaining({ id: 'search_index_data_product' }),
    );
    expect(scheduler.triggerTask).not.toHaveBeenCalled();

    refresher.changed(3);
    await pass(0);
    expect(scheduler.triggerTask).toHaveBeenCalledTimes(1);
    expect(scheduler.triggerTask).toHaveBeenCalledWith(
      'search_index_data_product',
    );
    expect(logger.info).toHaveBeenCalledWith(
      'Indexing data products again: 3 changed in the catalog or in governance',
    );
  });

  it('starts the task at most once per gap, with every change in between', async () => {
    const { scheduler, refresher, logger } = await setup();
    refresher.changed(1);
    await pass(0);
    refresher.changed(2);
    await pass(10_000);
    refresher.changed(500);
    await pass(GAP - 10_000 - 1);
    expect(scheduler.triggerTask).toHaveBeenCalledTimes(1);
    await pass(1);
    expect(scheduler.triggerTask).toHaveBeenCalledTimes(2);
    expect(logger.info).toHaveBeenLastCalledWith(
      'Indexing data products again: 502 changed in the catalog or in governance',
    );
    // Nothing changed since: nothing more.
    await pass(10 * GAP);
    expect(scheduler.triggerTask).toHaveBeenCalledTimes(2);
    // A change long after the last run starts one at once.
    refresher.changed(1);
    await pass(0);
    expect(scheduler.triggerTask).toHaveBeenCalledTimes(3);
  });

  it('after a long run, waits twice its time before the next, so a large mesh is not indexed without pause', async () => {
    const RUN = 60_000;
    const { scheduler, refresher, runTask } = await setup({
      fn: () => new Promise(resolve => setTimeout(resolve, RUN)),
    });
    // A scheduled run that takes a minute.
    const run = runTask();
    await pass(RUN);
    await run;

    refresher.changed(1);
    await pass(2 * RUN - 1);
    expect(scheduler.triggerTask).not.toHaveBeenCalled();
    await pass(1);
    expect(scheduler.triggerTask).toHaveBeenCalledTimes(1);

    // Products changed while the run it started was under way: the next
    // run waits for twice its time after its end, not for the 30 s gap.
    const second = runTask();
    refresher.changed(2);
    await pass(GAP);
    expect(scheduler.triggerTask).toHaveBeenCalledTimes(1);
    await pass(RUN - GAP);
    await second;
    await pass(2 * RUN - 1);
    expect(scheduler.triggerTask).toHaveBeenCalledTimes(1);
    await pass(1);
    expect(scheduler.triggerTask).toHaveBeenCalledTimes(2);
  });

  it('waits for the task to exist before starting it', async () => {
    const { scheduler, refresher, register } = await setup({
      register: false,
    });
    refresher.changed(4);
    await pass(GAP);
    expect(scheduler.triggerTask).not.toHaveBeenCalled();
    await register();
    await pass(0);
    expect(scheduler.triggerTask).toHaveBeenCalledTimes(1);
  });

  it('runs once more after a run that was under way when products changed', async () => {
    const { scheduler, refresher, logger } = await setup();
    scheduler.triggerTask.mockRejectedValueOnce(
      new ConflictError('Task search_index_data_product is currently running'),
    );
    refresher.changed(1);
    await pass(0);
    expect(scheduler.triggerTask).toHaveBeenCalledTimes(1);
    expect(logger.info).not.toHaveBeenCalled();
    await pass(GAP);
    expect(scheduler.triggerTask).toHaveBeenCalledTimes(2);
    expect(logger.info).toHaveBeenCalledWith(
      'Indexing data products again: 1 changed in the catalog or in governance',
    );
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it('leaves products to the schedule when the task cannot be started, and says so', async () => {
    const { scheduler, refresher, logger } = await setup();
    scheduler.triggerTask.mockRejectedValueOnce(
      new NotFoundError('Task search_index_data_product does not exist'),
    );
    refresher.changed(2);
    await pass(0);
    expect(logger.warn).toHaveBeenCalledWith(
      'Could not start indexing data products after 2 changed, so they are indexed on the schedule: NotFoundError: Task search_index_data_product does not exist',
    );
    await pass(10 * GAP);
    expect(scheduler.triggerTask).toHaveBeenCalledTimes(1);
  });

  it('starts nothing once stopped', async () => {
    const { scheduler, refresher } = await setup();
    refresher.changed(1);
    await pass(0);
    refresher.changed(1);
    refresher.stop();
    await pass(10 * GAP);
    refresher.changed(1);
    await pass(10 * GAP);
    expect(scheduler.triggerTask).toHaveBeenCalledTimes(1);
  });
});
