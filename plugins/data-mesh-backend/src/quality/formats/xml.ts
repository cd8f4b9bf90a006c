import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { Worker } from 'node:worker_threads';
import { type Detour, pause } from '../../shared/slices';

/** Elements read as lists, however many there are. */
const REPEATED = [
  'testsuite',
  'testcase',
  'property',
  'failure',
  'error',
  'skipped',
];

/** How JUnit XML is parsed, here and in the worker alike. */
const OPTIONS = {
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  textNodeName: '#text',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
  htmlEntities: false,
};

/**
 * Bodies up to this size are parsed on the event loop, in about 10 ms: less
 * than the trip to a worker and back costs.
 */
const ASIDE_BYTES = 128 * 1024;

/** A parsed document, where it is not well-formed, or why the parser gave up. */
export type XmlRead =
  | { doc: Record<string, any> }
  | { invalid: { line: number; col: number; msg: string } }
  | { failed: string };

const parser = new XMLParser({
  ...OPTIONS,
  isArray: name => REPEATED.includes(name),
});

/** Validates and parses XML on this thread. */
export function readXml(body: string): XmlRead {
  const valid = XMLValidator.validate(body);
  if (valid !== true) {
    const { line, col, msg } = valid.err;
    return { invalid: { line, col, msg } };
  }
  try {
    return { doc: parser.parse(body) };
  } catch (error) {
    return { failed: (error as Error).message };
  }
}

// readXml, in plain JavaScript for the worker. The document goes back as
// JSON: a string crosses threads at once, and is parsed when the event loop
// has a turn for it, rather than as the message arrives, perhaps together
// with another worker's.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { XMLParser, XMLValidator } = require(workerData.parser);
const { options, repeated } = workerData;
const parser = new XMLParser({ ...options, isArray: name => repeated.includes(name) });
function read(body) {
  const valid = XMLValidator.validate(body);
  if (valid !== true) {
    const { line, col, msg } = valid.err;
    return { invalid: { line, col, msg } };
  }
  let doc;
  try {
    doc = parser.parse(body);
  } catch (error) {
    return { failed: error.message };
  }
  return { json: JSON.stringify(doc) };
}
parentPort.on('message', body => parentPort.postMessage(read(body)));
`;

/** How long a worker waits for the next large document before it ends. */
const IDLE_MS = 60_000;

/**
 * A worker kept for the next large document: one started for each would
 * parse with code not yet compiled, which takes half as long again.
 */
let idle: { worker: Worker; timer: NodeJS.Timeout } | undefined;

function takeWorker(): Worker {
  if (idle) {
    const { worker, timer } = idle;
    idle = undefined;
    clearTimeout(timer);
    worker.ref();
    return worker;
  }
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    // The parent's flags (a development --require hook, say) would only
    // slow the worker's start.
    execArgv: [],
    workerData: {
      parser: require.resolve('fast-xml-parser'),
      options: OPTIONS,
      repeated: REPEATED,
    },
  });
  // Always listened to: an idle worker that fails must not take the
  // process with it.
  const forget = () => {
    if (idle?.worker !== worker) return;
    clearTimeout(idle.timer);
    idle = undefined;
  };
  worker.on('error', forget);
  worker.on('exit', forget);
  return worker;
}

/** Keeps a worker that finished for the next document, or ends it when one is kept already. */
function giveBack(worker: Worker) {
  if (idle) {
    void worker.terminate();
    return;
  }
  // An idle worker keeps neither the process nor its timer alive.
  worker.unref();
  const timer = setTimeout(() => {
    if (idle?.worker !== worker) return;
    idle = undefined;
    void worker.terminate();
  }, IDLE_MS).unref();
  idle = { worker, timer };
}

/**
 * readXml on a worker thread: parsing 5 MB takes about half a second, which
 * the event loop spends answering other requests instead. Should the worker
 * fail to start or to finish, the body is parsed here, so that the outcome
 * is always readXml's.
 */
async function readXmlAside(body: string): Promise<XmlRead> {
  let worker: Worker;
  try {
    worker = takeWorker();
  } catch {
    return readXml(body);
  }
  type Answer = XmlRead | { json: string } | undefined;
  let answer: (outcome: Answer) => void = () => {};
  const answered = new Promise<Answer>(resolve => {
    answer = resolve;
  });
  const onMessage = (message: Answer) => answer(message);
  const onFailure = () => answer(undefined);
  worker.once('message', onMessage);
  worker.once('error', onFailure);
  worker.once('exit', onFailure);
  worker.postMessage(body);
  const outcome = await answered;
  worker.off('message', onMessage);
  worker.off('error', onFailure);
  worker.off('exit', onFailure);
  if (!outcome) {
    void worker.terminate();
    return readXml(body);
  }
  giveBack(worker);
  if (!('json' in outcome)) return outcome;
  await pause();
  return { doc: JSON.parse(outcome.json) };
}

/** XML read here when small, on a worker thread when `runInSlices` drives a large one. */
export function xmlDetour(body: string): Detour<XmlRead> {
  return {
    now: () => readXml(body),
    aside: async () =>
      body.length <= ASIDE_BYTES ? readXml(body) : readXmlAside(body),
  };
}
