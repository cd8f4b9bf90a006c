/*
 * A process given a fixed share of the CPU through a cgroup, as a container
 * with `resources.limits.cpu` has: what a replica on a machine of its own
 * would have, on a machine whose cores are shared with the database and the
 * load generator. Needs root and the cgroup `cpu` controller (version 1 at
 * /sys/fs/cgroup/cpu, or version 2 with `cpu` in cgroup.controllers).
 */
import fs from 'node:fs';
import path from 'node:path';

const PERIOD_US = 100_000;

type Hierarchy = { version: 1 | 2; root: string };

function hierarchy(): Hierarchy {
  if (fs.existsSync('/sys/fs/cgroup/cpu/cpu.cfs_quota_us'))
    return { version: 1, root: '/sys/fs/cgroup/cpu' };
  const controllers = '/sys/fs/cgroup/cgroup.controllers';
  if (
    fs.existsSync(controllers) &&
    fs.readFileSync(controllers, 'utf8').split(/\s+/).includes('cpu')
  )
    return { version: 2, root: '/sys/fs/cgroup' };
  throw new Error(
    '--replica-cpus needs the cgroup cpu controller (/sys/fs/cgroup/cpu, or cgroup v2 with cpu in /sys/fs/cgroup/cgroup.controllers); run without it, or on a machine that has one',
  );
}

export class CpuLimit {
  private readonly dir: string;
  private readonly version: 1 | 2;

  /** A cgroup named `name` limited to `cpus` cores (0.5: half of one). */
  constructor(name: string, readonly cpus: number) {
    const h = hierarchy();
    this.version = h.version;
    this.dir = path.join(h.root, name);
    try {
      fs.mkdirSync(this.dir, { recursive: true });
      const quota = Math.round(cpus * PERIOD_US);
      if (h.version === 1) {
        fs.writeFileSync(
          path.join(this.dir, 'cpu.cfs_period_us'),
          String(PERIOD_US),
        );
        fs.writeFileSync(
          path.join(this.dir, 'cpu.cfs_quota_us'),
          String(quota),
        );
      } else {
        const control = path.join(h.root, 'cgroup.subtree_control');
        if (!fs.readFileSync(control, 'utf8').split(/\s+/).includes('cpu'))
          fs.writeFileSync(control, '+cpu');
        fs.writeFileSync(
          path.join(this.dir, 'cpu.max'),
          `${quota} ${PERIOD_US}`,
        );
      }
    } catch (error: any) {
      throw new Error(
        `--replica-cpus could not set up the cgroup ${this.dir} (${
          error.code ?? error.message
        }); it needs root`,
      );
    }
  }

  /** Moves a process, all its threads, into the cgroup. */
  add(pid: number) {
    fs.writeFileSync(path.join(this.dir, 'cgroup.procs'), String(pid));
  }

  /**
   * CPU seconds used and seconds spent throttled (runnable but out of
   * quota), since the cgroup was made.
   */
  usage(): { cpuSeconds: number; throttledSeconds: number } {
    const stat = Object.fromEntries(
      fs
        .readFileSync(path.join(this.dir, 'cpu.stat'), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map(line => line.split(' '))
        .map(([key, value]) => [key, Number(value)]),
    );
    if (this.version === 2)
      return {
        cpuSeconds: stat.usage_usec / 1e6,
        throttledSeconds: stat.throttled_usec / 1e6,
      };
    // Version 1 keeps the usage in the cpuacct hierarchy; the processes'
    // own counters say the same.
    let ticks = 0;
    for (const pid of fs
      .readFileSync(path.join(this.dir, 'cgroup.procs'), 'utf8')
      .split('\n')
      .filter(Boolean)) {
      try {
        // Fields after the command's closing parenthesis: utime is the
        // 12th, stime the 13th (man 5 proc).
        const fields = fs
          .readFileSync(`/proc/${pid}/stat`, 'utf8')
          .replace(/^.*\) /s, '')
          .split(' ');
        ticks += Number(fields[11]) + Number(fields[12]);
      } catch {
        /* exited */
      }
    }
    return {
      cpuSeconds: ticks / 100,
      throttledSeconds: stat.throttled_time / 1e9,
    };
  }

  /** Removes the cgroup once its processes have exited. */
  close() {
    try {
      fs.rmdirSync(this.dir);
    } catch {
      /* still in use, or gone */
    }
  }
}
