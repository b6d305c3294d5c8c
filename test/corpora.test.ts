import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EMODB_CLASSES, EMODB_LETTERS, bareName, emodbLabel, emodbLabels, isEmodbName, parseEmodbName } from '../src/data/corpora/emodb';
import {
  IEMOCAP_CODES, iemocapClasses, iemocapLabel, iemocapRowLabels, isIemocapId, parseEmoEvaluation, parseIemocapId, readIemocapLabels,
} from '../src/data/corpora/iemocap';
import { DataError, OptionError } from '../src/util/errors';
import { realData } from './real-data';
import { throwsData } from './assert-data';


// ---- EmoDB --------------------------------------------------------------------------------------

test('EmoDB names: speaker = characters 1-2, emotion = character 6, W L E A F T N -> 0..6', () => {
  const p = parseEmodbName("'/data/emodb/wav/16b10Td.wav'", 'list.txt');
  assert.deepEqual(p, { id: '16b10Td', speaker: '16', text: 'b10', letter: 'T', label: 5, version: 'd' });
  assert.deepEqual(EMODB_LETTERS.map((l) => EMODB_CLASSES[emodbLabel(l, 'x')]), ['anger', 'boredom', 'disgust', 'fear', 'happiness', 'sadness', 'neutral']);
  const { y, groups, ids } = emodbLabels(['03a01Wa.wav', '08b02Lb.wav', '11a05Nd'], 'list.txt');
  assert.deepEqual(Array.from(y), [0, 1, 6]);
  assert.deepEqual(groups, ['03', '08', '11']);
  assert.deepEqual(ids, ['03a01Wa', '08b02Lb', '11a05Nd']);
  assert.equal(bareName('"03a01Wa.wav"'), '03a01Wa');
  assert.ok(isEmodbName('03a01Xa.wav'));
  assert.ok(!isEmodbName('Ses01F_impro01_F000'));
});

test('EmoDB: an unknown emotion letter is a DataError naming the file and the letter', () => {
  throwsData(() => parseEmodbName('03a01Xa.wav', 'features.csv'), 'features.csv', /'03a01Xa\.wav' has unknown EmoDB emotion letter 'X'/);
  throwsData(() => emodbLabels(['03a01Wa.wav', '09b03Qc.wav'], 'list.csv'), 'list.csv', /letter 'Q'/);
  throwsData(() => emodbLabel('Z', 'index.csv'), 'index.csv', /unknown EmoDB emotion letter 'Z'/);
  throwsData(() => parseEmodbName('hello.wav', 'f.csv'), 'f.csv', /not an EmoDB file name/);
});

const wav = realData('emodb-wav');

test('EmoDB conventions on the 535 real file names: counts per class and speaker', { skip: wav.skip }, () => {
  const names = fs.readdirSync(wav.path).filter((n) => n.endsWith('.wav'));
  const { y, groups } = emodbLabels(names, wav.path);
  const counts = new Array(7).fill(0);
  for (const k of y) counts[k]++;
  assert.deepEqual(counts, [127, 81, 46, 69, 71, 62, 79]);
  const speakers = new Map<string, number>();
  for (const g of groups) speakers.set(g, (speakers.get(g) ?? 0) + 1);
  assert.deepEqual([...speakers].sort(), [['03', 49], ['08', 58], ['09', 43], ['10', 38], ['11', 55], ['12', 35], ['13', 61], ['14', 69], ['15', 56], ['16', 71]]);
});

// ---- IEMOCAP ------------------------------------------------------------------------------------

test('IEMOCAP ids: session, speaker from the turn letter, improvised vs scripted', () => {
  assert.deepEqual(parseIemocapId('Ses01F_impro01_F000'), {
    id: 'Ses01F_impro01_F000', session: 1, sessionName: 'Ses01', speaker: 'Ses01F', gender: 'F', dialog: 'impro01', improvised: true,
  });
  const s = parseIemocapId("'Ses03M_script01_1_F012.wav'", 'x.csv');
  assert.equal(s.id, 'Ses03M_script01_1_F012');
  assert.equal(s.speaker, 'Ses03F'); // the female actor speaks, in the dialogue where the male wore markers
  assert.equal(s.dialog, 'script01_1');
  assert.equal(s.improvised, false);
  assert.equal(parseIemocapId('Ses05M_impro05b_M021').dialog, 'impro05b');
  assert.ok(isIemocapId('Ses02F_script02_2_M040'));
  assert.ok(!isIemocapId('03a01Fa.wav'));
  throwsData(() => parseIemocapId('Ses1F_impro01_F000', 'feat.csv'), 'feat.csv', /not an IEMOCAP utterance id/);
});

test('IEMOCAP label sets: 4 classes with or without excited, and all 11 codes', () => {
  assert.deepEqual(iemocapClasses(), ['angry', 'happy', 'neutral', 'sad']);
  assert.equal(iemocapClasses({ classes: '11' }).length, 11);
  assert.deepEqual(IEMOCAP_CODES, ['neu', 'hap', 'sad', 'ang', 'sur', 'fea', 'dis', 'fru', 'exc', 'oth', 'xxx']);
  const four = ['ang', 'hap', 'exc', 'neu', 'sad', 'fru', 'xxx'].map((c) => iemocapLabel(c, 'f'));
  assert.deepEqual(four, [0, 1, 1, 2, 3, -1, -1]);
  assert.equal(iemocapLabel('exc', 'f', { mergeExcited: false }), -1);
  assert.equal(iemocapLabel('exc', 'f', { classes: '11' }), 8);
  assert.equal(iemocapLabel('xxx', 'f', { classes: '11' }), 10);
  throwsData(() => iemocapLabel('joy', 'labels.txt'), 'labels.txt', /unknown IEMOCAP emotion code 'joy'/);
  assert.throws(() => iemocapLabel('ang', 'f', { classes: '7' as '4' }), OptionError);
});

// Laid out as Session1/dialog/EmoEvaluation/Ses01F_impro01.txt is in IEMOCAP_full_release.
const EVAL = [
  '% [START_TIME - END_TIME] TURN_NAME EMOTION [V, A, D]',
  '',
  '[6.2901 - 8.2357]\tSes01F_impro01_F000\tneu\t[2.5000, 2.5000, 2.5000]',
  'C-E2:\tNeutral;\t()',
  'C-E3:\tNeutral;\t()',
  'A-E3:\tval 3; act 2; dom  2;\t()',
  '',
  '[10.0100 - 11.3925]\tSes01F_impro01_F001\texc\t[3.5000, 3.5000, 3.0000]',
  'C-E2:\tExcited;\t()',
  '',
  '[14.8872 - 18.0175]\tSes01F_impro01_M001\tfru\t[2.0000, 3.5000, 3.5000]',
  '',
].join('\n');

test('EmoEvaluation files: turn lines give id -> code, evaluator lines are skipped', () => {
  const turns = parseEmoEvaluation(EVAL, 'Ses01F_impro01.txt');
  assert.deepEqual(turns.map((t) => [t.id, t.code]), [['Ses01F_impro01_F000', 'neu'], ['Ses01F_impro01_F001', 'exc'], ['Ses01F_impro01_M001', 'fru']]);
  assert.deepEqual(turns[0].vad, [2.5, 2.5, 2.5]);
  assert.equal(turns[2].start, 14.8872);
  assert.equal(turns[2].end, 18.0175);
  throwsData(() => parseEmoEvaluation(EVAL.replace('\tfru\t', '\tjoy\t'), 'bad.txt'), 'bad.txt', /line 11: unknown emotion code 'joy'/);
  throwsData(() => parseEmoEvaluation('[1.0 - 2.0] Ses01F_impro01_F000\n', 'cut.txt'), 'cut.txt', /line 1 is not a turn summary/);
});

test('a corpus root: Session*/dialog/EmoEvaluation/*.txt read into labels for rows', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'adan-iemocap-'));
  const dir1 = path.join(root, 'Session1', 'dialog', 'EmoEvaluation');
  const dir2 = path.join(root, 'Session2', 'dialog', 'EmoEvaluation');
  fs.mkdirSync(dir1, { recursive: true });
  fs.mkdirSync(dir2, { recursive: true });
  fs.writeFileSync(path.join(dir1, 'Ses01F_impro01.txt'), EVAL);
  fs.writeFileSync(path.join(dir2, 'Ses02M_script01_1.txt'), '[1.0 - 2.0]\tSes02M_script01_1_F000\tang\t[1.0, 4.0, 4.0]\n');
  fs.mkdirSync(path.join(dir1, 'Categorical')); // the real corpus has sub-folders here; they are not label files
  const labels = readIemocapLabels(root);
  assert.equal(labels.size, 4);
  assert.equal(labels.get('Ses02M_script01_1_F000'), 'ang');
  const ids = ['Ses01F_impro01_F000', 'Ses01F_impro01_F001', 'Ses01F_impro01_M001', 'Ses02M_script01_1_F000'];
  const four = iemocapRowLabels(ids, labels, 'feat.csv');
  assert.deepEqual(Array.from(four.y), [2, 1, 0, 0]);
  assert.deepEqual(four.keep, [true, true, false, true]);
  assert.deepEqual(four.groups, ['Ses01', 'Ses01', 'Ses01', 'Ses02']);
  assert.deepEqual(four.speakers, ['Ses01F', 'Ses01F', 'Ses01M', 'Ses02F']);
  const all = iemocapRowLabels(ids, labels, 'feat.csv', { classes: '11' });
  assert.deepEqual(Array.from(all.y), [0, 8, 7, 3]);
  throwsData(() => iemocapRowLabels(['Ses03F_impro01_F000'], labels, 'feat.csv'), 'feat.csv', /Ses03F_impro01_F000\) has no label/);
  throwsData(() => readIemocapLabels(os.tmpdir()), os.tmpdir(), /no Session\*\/dialog\/EmoEvaluation/);
});
