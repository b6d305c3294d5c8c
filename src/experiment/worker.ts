/**
 * A worker process of a `jobs > 1` run (parallel.ts forks this file): it receives the spec and
 * settings once, runs the ordinary runner on the shared store (claiming unit groups), and sends
 * every event and warning to its parent. It stops between units when the parent asks (SIGTERM,
 * SIGINT) or goes away, leaving finished units stored and its claims released.
 */
import { runExperiment, ExperimentAborted } from './runner';
import type { RunEvents } from './run-progress';
import type { WorkerMessage, WorkerRequest } from './parallel';

function send(m: WorkerMessage): void {
  if (process.connected) process.send!(m);
}

const controller = new AbortController();
for (const sig of ['SIGTERM', 'SIGINT'] as const) process.on(sig, () => controller.abort());
process.on('disconnect', () => controller.abort());

const forward = (name: keyof RunEvents) => (...args: unknown[]): void => send({ type: 'event', name, args });
const events: RunEvents = {
  fitEpoch: forward('fitEpoch'),
  fitRestart: forward('fitRestart'),
  fitDone: forward('fitDone'),
  unitDone: forward('unitDone'),
  groupDone: forward('groupDone'),
};

process.once('message', (request: WorkerRequest) => {
  runExperiment(request.spec, { ...request.options, events, signal: controller.signal, onWarning: (message) => send({ type: 'warning', message }) })
    .then((run) => {
      send({ type: 'backend', summary: run.backend });
      process.exitCode = 0;
    })
    .catch((err: Error) => {
      send({ type: 'error', message: err.message, aborted: err instanceof ExperimentAborted });
      process.exitCode = err instanceof ExperimentAborted ? 130 : 1;
    })
    .finally(() => process.disconnect?.());
});
