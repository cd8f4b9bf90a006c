import { spawn } from 'node:child_process';
import path from 'node:path';
import { parse } from 'yaml';

/**
 * Runs the jobs of a generated GitHub Actions workflow on this machine, the
 * way a runner would for one event: jobs in the order `needs` gives, a job's
 * `if` decided, `${{ vars.* }}` and `${{ secrets.* }}` filled in, every `run`
 * step in bash as GitHub runs it, a job stopping at its first failing step.
 *
 * What a runner brings and this machine cannot, stands in (folder
 * `workflow/`, first on the PATH): actions/checkout (the job runs in the
 * generated repository), actions/setup-python (`python`), pip (the packages
 * are on PYTHONPATH), check-jsonschema and dbt. Anything else the workflow
 * asks for fails the run, so the stand-ins cannot silently fall behind it.
 */

const KNOWN_ACTIONS = new Set([
  'actions/checkout@v4',
  'actions/setup-python@v5',
]);
export const STAND_INS = path.join(__dirname, 'workflow');

export type StepRun = { name: string; code: number | null; output: string };
export type JobRun = { ran: boolean; succeeded: boolean; steps: StepRun[] };

type Step = { name?: string; uses?: string; run?: string; with?: object };
type Job = {
  needs?: string | string[];
  if?: string;
  env?: Record<string, string>;
  steps: Step[];
};

function fillIn(text: string, values: Record<string, string>): string {
  return text.replace(/\$\{\{\s*([^}]*?)\s*\}\}/g, (_, expression) => {
    if (!(expression in values)) {
      throw new Error(
        `The workflow uses \${{ ${expression} }}, which the test gives no value`,
      );
    }
    return values[expression];
  });
}

/** The `if` forms the generated workflow uses. */
function condition(expression: string, event: string): boolean {
  const match = /^github\.event_name\s*(==|!=)\s*'([^']*)'$/.exec(
    expression.trim(),
  );
  if (!match) {
    throw new Error(`The test cannot decide the job condition: ${expression}`);
  }
  return (match[1] === '==') === (event === match[2]);
}

export type ProcessRun = {
  code: number | null;
  stdout: string;
  stderr: string;
};

/** Runs a command without blocking, so a stand-in server in the test can answer it. */
export function runProcess(
  command: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<ProcessRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', chunk => {
      stdout += chunk;
    });
    child.stderr.on('data', chunk => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', code => resolve({ code, stdout, stderr }));
  });
}

async function bash(
  script: string,
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; output: string }> {
  // GitHub's default shell on Linux runners.
  const { code, stdout, stderr } = await runProcess(
    'bash',
    ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script],
    cwd,
    env,
  );
  return { code, output: stdout + stderr };
}

export async function runWorkflow(options: {
  workflow: string;
  cwd: string;
  event: string;
  /** Values of `vars.*` and `secrets.*`, by expression. */
  values: Record<string, string>;
  env: NodeJS.ProcessEnv;
}): Promise<Record<string, JobRun>> {
  const { jobs } = parse(options.workflow) as { jobs: Record<string, Job> };
  const runs: Record<string, JobRun> = {};
  const pending = Object.keys(jobs);
  while (pending.length) {
    const next = pending.findIndex(id =>
      [jobs[id].needs ?? []].flat().every(need => need in runs),
    );
    if (next < 0) throw new Error(`Jobs wait on each other: ${pending}`);
    const [id] = pending.splice(next, 1);
    const job = jobs[id];
    const ready = [job.needs ?? []].flat().every(need => runs[need].succeeded);
    if (!ready || (job.if && !condition(job.if, options.event))) {
      runs[id] = { ran: false, succeeded: false, steps: [] };
      continue;
    }
    const env: NodeJS.ProcessEnv = {
      ...options.env,
      PATH: [STAND_INS, options.env.PATH].join(path.delimiter),
      GITHUB_EVENT_NAME: options.event,
    };
    for (const [key, value] of Object.entries(job.env ?? {})) {
      env[key] = fillIn(String(value), options.values);
    }
    const run: JobRun = { ran: true, succeeded: true, steps: [] };
    runs[id] = run;
    for (const step of job.steps) {
      if (step.uses) {
        if (!KNOWN_ACTIONS.has(step.uses)) {
          throw new Error(
            `The workflow uses ${step.uses}, which has no stand-in`,
          );
        }
        continue;
      }
      const script = fillIn(step.run ?? '', options.values);
      const result = await bash(script, options.cwd, env);
      run.steps.push({ name: step.name ?? script, ...result });
      if (result.code !== 0) {
        run.succeeded = false;
        break;
      }
    }
  }
  return runs;
}
