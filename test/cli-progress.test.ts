/**
 * The CLI progress bar off a terminal (logs, batch jobs): a line every 10 % and, between those,
 * at least one a minute while updates come.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { progressBar } from '../src/cli/progress';

function capture(): { stream: NodeJS.WriteStream; lines: string[] } {
  const lines: string[] = [];
  const stream = { isTTY: false, write: (s: string) => lines.push(...s.split('\n').filter((l) => l.length > 0)) } as unknown as NodeJS.WriteStream;
  return { stream, lines };
}

test('off a terminal: a line per 10 %, and a heartbeat line when a minute passes without one', () => {
  const { stream, lines } = capture();
  let t = 0;
  const bar = progressBar('grid', 1000, stream, { now: () => t });
  for (let done = 0; done <= 50; done++) bar.update(done, `unit ${done}`); // 0-5 %: one line (0 %)
  assert.equal(lines.length, 1);
  t = 30_000;
  bar.update(51, 'epoch 10/1500');
  assert.equal(lines.length, 1, 'no line before a minute has passed');
  t = 61_000;
  bar.update(51, 'epoch 700/1500');
  assert.equal(lines.length, 2);
  assert.match(lines[1], /51\/1000 1m01s .*epoch 700\/1500/);
  bar.update(100, 'unit 100'); // 10 %
  assert.equal(lines.length, 3);
  bar.done();
  assert.match(lines.at(-1)!, /1000\/1000/);
});

test('a caller that knows the time left gives it; null means no estimate yet, not one from units that took no time', () => {
  const { stream, lines } = capture();
  let t = 0;
  const bar = progressBar('grid', 100, stream, { now: () => t });
  t = 1000;
  bar.update(90, '90 found in the store', null); // a resumed run: 90 units took no time
  assert.match(lines.at(-1)!, /90\/100 1\.0s  90 found/);
  assert.doesNotMatch(lines.at(-1)!, /eta/);
  t = 70_000;
  bar.update(90, 'training epoch 700', 3600);
  assert.match(lines.at(-1)!, /90\/100 1m10s eta 1h00m  training epoch 700/);
  bar.update(100);
  assert.match(lines.at(-1)!, /100\/100 1m10s$/);
});
