/**
 * A worker process of a `jobs > 1` run (parallel.ts forks this file): it receives the spec and
 * settings once, runs the ordinary runner on the shared store (claiming unit groups), and sends
 * every event and warning to its parent. Asked to stop (SIGTERM, SIGINT), or left alone by its
 * parent, it exits at once: every finished unit is stored, a fit in progress resumes from its
 * last checkpoint, and the claims of a dead process are taken over by the next run.
 */
import { runExperiment, ExperimentAborted } from './runner';
import type { RunEvents } from './run-progress';
import type { WorkerMessage, WorkerRequest } from './parallel';

function send(m: WorkerMessage): void {
  // the callback takes a closed channel's EPIPE (the parent went away) instead of crashing
  if (process.connected) process.send!(m, undefined, {}, (err) => err && stop());
}

function stop(): void {
  process.exit(130);
}

for (const sig of ['SIGTERM', 'SIGINT'] as const) process.on(sig, stop);
process.on('disconnect', stop);

const forward = (name: keyof RunEvents) => (...args: unknown[]): void => send({ type: 'event', name, args });
const events: RunEvents = {
  fitEpoch: forward('fitEpoch'),
  fitRestart: forward('fitRestart'),
  fitDone: forward('fitDone'),
  unitDone: forward('unitDone'),
  groupDone: forward('groupDone'),
};

process.once('message', (request: WorkerRequest) => {
  runExperiment(request.spec, { ...request.options, events, onWarning: (message) => send({ type: 'warning', message }) })
    .then((run) => {
      send({ type: 'backend', summary: run.backend });
      process.exitCode = 0;
    })
    .catch((err: Error) => {
      send({ type: 'error', message: err.message, aborted: err instanceof ExperimentAborted });
      process.exitCode = err instanceof ExperimentAborted ? 130 : 1;
    })
    .finally(() => {
      process.removeListener('disconnect', stop);
      process.disconnect?.();
    });
});
