import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CLASSIFIER_NAMES, Dnn, dnn, LinearSvm, linearSvm, makeClassifier } from '../src/classify';

test('makeClassifier builds each named classifier with its options', () => {
  const svm = makeClassifier('svm', { C: 0.5 });
  assert.ok(svm instanceof LinearSvm);
  assert.equal(svm.options.C, 0.5);
  assert.equal(svm.name, 'svm');
  const net = makeClassifier('dnn', { epochs: 7 });
  assert.ok(net instanceof Dnn);
  assert.equal(net.options.epochs, 7);
  for (const name of CLASSIFIER_NAMES) assert.equal(makeClassifier(name).name, name);
  assert.ok(linearSvm() instanceof LinearSvm);
  assert.ok(dnn() instanceof Dnn);
});

test('an unknown classifier or option is named in the error', () => {
  assert.throws(() => makeClassifier('rf'), /option classifier: got "rf", expected one of svm, dnn/);
  assert.throws(() => makeClassifier('svm', { epochs: 3 } as never), /linearSvm\.epochs/);
});
