/*
 * What held a replica's event loop: reads a CPU profile that
 * `replicas --profile` wrote (<replica log>.<n>.cpuprofile) and prints the
 * stretches in which the thread never went idle for at least `--min-ms`,
 * and where their time went, by function (self and within) and by package.
 *
 *   yarn workspace @quanta/bench profile-stretches FILE.cpuprofile [--min-ms 100] [--top 15] [--each 3]
 *
 * A request that arrives during such a stretch waits for its end: their
 * length is what the reads' p95 pays beyond their own work.
 */
import fs from 'node:fs';
import { argument } from './common';

type Frame = { functionName: string; url: string; lineNumber: number };
type ProfileNode = {
  id: number;
  callFrame: Frame;
  children?: number[];
};
type Profile = {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
};

/** Where a frame's code lives: a package, Node itself, or V8's own work. */
function packageOf(frame: Frame): string {
  const { url, functionName } = frame;
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return 'node';
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const rest = url.slice(modules + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  const plugin = url.match(/plugins\/([^/]+)\//);
  if (plugin) return `plugins/${plugin[1]}`;
  return url
    .replace(/^file:\/\//, '')
    .split('/')
    .slice(-3)
    .join('/');
}

const label = (frame: Frame) =>
  `${frame.functionName || '(anonymous)'} ${packageOf(frame)}${
    frame.url ? `:${frame.lineNumber + 1}` : ''
  }`;

function add(map: Map<string, number>, key: string, ms: number) {
  map.set(key, (map.get(key) ?? 0) + ms);
}

function top(map: Map<string, number>, n: number, total: number) {
  return [...map]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(
      ([key, ms]) =>
        `  ${Math.round(ms).toString().padStart(7)} ms ${((ms / total) * 100)
          .toFixed(1)
          .padStart(5)}%  ${key}`,
    )
    .join('\n');
}

function main() {
  const file = process.argv.slice(2).find(a => a.endsWith('.cpuprofile'));
  if (!file) {
    throw new Error(
      'Give the .cpuprofile to read: profile-stretches <file> [--min-ms 100]',
    );
  }
  const minMs = argument('min-ms', 100, { min: 1 });
  const n = argument('top', 15, { min: 1 });
  const profile: Profile = JSON.parse(fs.readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map(node => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) {
    for (const child of node.children ?? []) parent.set(child, node.id);
  }
  const stackOf = (id: number) => {
    const frames: Frame[] = [];
    for (
      let at: number | undefined = id;
      at !== undefined;
      at = parent.get(at)
    ) {
      frames.push(byId.get(at)!.callFrame);
    }
    return frames;
  };

  // A sample's time is the delta to the next one.
  const samples = profile.samples.map((id, i) => ({
    id,
    ms: (profile.timeDeltas[i + 1] ?? 0) / 1000,
  }));
  const idle = (id: number) =>
    byId.get(id)!.callFrame.functionName === '(idle)';
  const stretches: Array<typeof samples> = [];
  let current: typeof samples = [];
  for (const sample of samples) {
    if (idle(sample.id)) {
      if (current.length) stretches.push(current);
      current = [];
    } else {
      current.push(sample);
    }
  }
  if (current.length) stretches.push(current);

  const length = (s: typeof samples) => s.reduce((sum, x) => sum + x.ms, 0);
  const totalMs = (profile.endTime - profile.startTime) / 1000;
  const busyMs = stretches.reduce((sum, s) => sum + length(s), 0);
  const long = stretches.filter(s => length(s) >= minMs);
  const longMs = long.reduce((sum, s) => sum + length(s), 0);
  const lengths = long.map(length).sort((a, b) => b - a);
  console.log(
    `${file}: ${(totalMs / 1000).toFixed(1)} s profiled, busy ${(
      (busyMs / totalMs) *
      100
    ).toFixed(0)}%; ${
      long.length
    } stretches of ${minMs} ms or more without idle, ${Math.round(
      longMs,
    )} ms in all; longest ${lengths
      .slice(0, 5)
      .map(ms => Math.round(ms))
      .join(', ')} ms`,
  );
  if (!long.length) return;

  const self = new Map<string, number>();
  const within = new Map<string, number>();
  const packages = new Map<string, number>();
  for (const stretch of long) {
    for (const { id, ms } of stretch) {
      const stack = stackOf(id);
      add(self, label(stack[0]), ms);
      add(packages, packageOf(stack[0]), ms);
      for (const key of new Set(stack.map(label))) add(within, key, ms);
    }
  }
  // The longest few one by one: what a request arriving then waited for.
  const each = argument('each', 3, { min: 0 });
  for (const stretch of [...long]
    .sort((a, b) => length(b) - length(a))
    .slice(0, each)) {
    const ms = length(stretch);
    const inside = new Map<string, number>();
    for (const { id, ms: sampleMs } of stretch) {
      for (const key of new Set(stackOf(id).map(label))) {
        add(inside, key, sampleMs);
      }
    }
    // Frames every stretch has (the root, the event loop's own) say nothing.
    for (const key of [...inside.keys()]) {
      if (
        /^\((root|program)\)|^(runMicrotasks|processTicksAndRejections|processImmediate|runNextTicks) /.test(
          key,
        )
      ) {
        inside.delete(key);
      }
    }
    console.log(`a stretch of ${Math.round(ms)} ms:\n${top(inside, n, ms)}`);
  }
  console.log(`self time in those stretches:\n${top(self, n, longMs)}`);
  console.log(`by package:\n${top(packages, n, longMs)}`);
  console.log(
    `within (time with the function on the stack):\n${top(
      within,
      n * 2,
      longMs,
    )}`,
  );
}

main();
