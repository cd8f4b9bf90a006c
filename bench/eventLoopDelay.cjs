/*
 * Loaded first into each replica by the replicas benchmark (node --require):
 * measures the replica's own event-loop delay with Node's histogram. On
 * SIGUSR2 it appends what it measured since the previous signal to
 * <replica log>.eventloop.jsonl and starts again, so the benchmark gets one
 * histogram per phase.
 */
const fs = require('node:fs');
const { monitorEventLoopDelay } = require('node:perf_hooks');

const file = `${process.env.QUANTA_REPLICA_LOG}.eventloop.jsonl`;
const histogram = monitorEventLoopDelay({ resolution: 10 });
histogram.enable();

// `replicas --profile`: a CPU profile per phase beside the histogram, for
// bench/profileStretches.ts to tell what held the event loop.
let profiler;
let phase = 0;
if (process.env.QUANTA_REPLICA_PROFILE) {
  const inspector = require('node:inspector');
  profiler = new inspector.Session();
  profiler.connect();
  profiler.post('Profiler.enable');
  // 2 ms rather than 1: the profiler costs the replica less.
  profiler.post('Profiler.setSamplingInterval', { interval: 2000 });
  profiler.post('Profiler.start');
}

process.on('SIGUSR2', () => {
  if (profiler) {
    const index = phase++;
    profiler.post('Profiler.stop', (error, result) => {
      if (!error) {
        fs.writeFileSync(
          `${process.env.QUANTA_REPLICA_LOG}.${index}.cpuprofile`,
          JSON.stringify(result.profile),
        );
      }
      profiler.post('Profiler.start');
    });
  }
  const ms = ns => Math.round((ns / 1e6) * 10) / 10;
  fs.appendFileSync(
    file,
    `${JSON.stringify({
      at: Date.now(),
      samples: histogram.count,
      p50: ms(histogram.percentile(50)),
      p95: ms(histogram.percentile(95)),
      p99: ms(histogram.percentile(99)),
      max: ms(histogram.max),
    })}\n`,
  );
  histogram.reset();
});
