/**
 * The documented job array meets a real SLURM: a one-node cluster (slurmctld, slurmd, munge)
 * started in a temporary folder runs docs/slurm-example.sbatch as a 2-task array over a quick
 * grid; `results merge` of the two shard stores must equal one unsharded run, unit by unit.
 * It starts daemons as root, so it runs only when asked (ADAN_SLURM=1, as .ci/run does) and
 * skips with the reason otherwise.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { projectRoot } from '../src/data/locate';
import { ResultStore } from '../src/experiment/store';

function whyNot(): string | false {
  if (process.env.ADAN_SLURM !== '1') return 'set ADAN_SLURM=1 to let this test start a one-node SLURM (root, Debian slurm-wlm and munge; everything lives in a temporary folder)';
  if (process.getuid?.() !== 0) return 'SLURM daemons need root here';
  for (const bin of ['slurmctld', 'slurmd', 'sbatch', 'squeue', 'munged']) {
    if (spawnSync('sh', ['-c', `command -v ${bin}`]).status !== 0) return `${bin} is not installed (apt-get install slurm-wlm munge)`;
  }
  return false;
}

const skip = whyNot();

test('docs/slurm-example.sbatch as a 2-task SLURM job array: the merged shards equal an unsharded run', { skip, timeout: 20 * 60_000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adan-slurm-'));
  const host = os.hostname();
  const conf = path.join(dir, 'slurm.conf');
  fs.mkdirSync(path.join(dir, 'state'));
  fs.mkdirSync(path.join(dir, 'spool'));
  fs.writeFileSync(conf, [
    'ClusterName=adanlab', `SlurmctldHost=${host}`, 'SlurmUser=root', 'SlurmdUser=root', 'AuthType=auth/munge',
    'ProctrackType=proctrack/linuxproc', 'TaskPlugin=task/none', 'SelectType=select/cons_tres', 'SelectTypeParameters=CR_Core',
    `StateSaveLocation=${dir}/state`, `SlurmdSpoolDir=${dir}/spool`, `SlurmctldPidFile=${dir}/slurmctld.pid`, `SlurmdPidFile=${dir}/slurmd.pid`,
    `SlurmctldLogFile=${dir}/slurmctld.log`, `SlurmdLogFile=${dir}/slurmd.log`, 'MpiDefault=none', 'JobAcctGatherType=jobacct_gather/none',
    'AccountingStorageType=accounting_storage/none', 'ReturnToService=2',
    `NodeName=${host} CPUs=${os.cpus().length} RealMemory=${Math.floor(os.totalmem() / 2 ** 20 * 0.8)} State=UNKNOWN`, 'PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP', '',
  ].join('\n'));
  const env = { ...process.env, SLURM_CONF: conf };
  const mungeUp = (): boolean => spawnSync('sh', ['-c', 'munge -n | unmunge']).status === 0;
  const startedMunge = !mungeUp();
  if (startedMunge) {
    fs.mkdirSync('/run/munge', { recursive: true });
    execFileSync('chown', ['munge:munge', '/run/munge']);
    execFileSync('runuser', ['-u', 'munge', '--', 'munged', '--force']); // --force: past a stale socket of a killed munged
    for (let i = 0; i < 20 && !mungeUp(); i++) await sleep(250);
    assert.ok(mungeUp(), 'munged did not come up');
  }
  try {
    execFileSync('slurmctld', [], { env });
    execFileSync('slurmd', [], { env });
    // wait for the node to come up
    for (let i = 0; i < 60 && !/idle/.test(spawnSync('sinfo', ['-h', '-o', '%t'], { env, encoding: 'utf8' }).stdout); i++) await sleep(500);
    const args = '--quick --data synthetic --epochs 3';
    const prefix = path.join(dir, 'shard');
    const submitted = execFileSync('sbatch', ['--parsable', '--array=1-2', '--mem=2G', `--output=${dir}/log-%A_%a.out`, `--export=ALL,ADAN_REPRODUCE_ARGS=${args},ADAN_STORE_PREFIX=${prefix}`, 'docs/slurm-example.sbatch'], { env, cwd: projectRoot, encoding: 'utf8' }).trim();
    const job = submitted.split(';')[0];
    for (let i = 0; i < 1200; i++) {
      if (spawnSync('squeue', ['-h', '-j', job], { env, encoding: 'utf8' }).stdout.trim() === '') break;
      await sleep(500);
    }
    const logs = fs.readdirSync(dir).filter((f) => f.startsWith(`log-${job}_`));
    assert.equal(logs.length, 2, `two task logs (${logs.join(', ')})`);
    for (const l of logs) assert.match(fs.readFileSync(path.join(dir, l), 'utf8'), /shard [12]\/2: \d+ units in/, l);
    const bin = path.join(projectRoot, 'bin', 'adan-lab.js');
    const merged = path.join(dir, 'merged');
    execFileSync(process.execPath, [bin, 'results', 'merge', '--out', merged, `${prefix}-1`, `${prefix}-2`], { encoding: 'utf8' });
    // the same grid in one process, with the one BLAS thread the array tasks had
    const single = path.join(dir, 'single');
    execFileSync(process.execPath, [bin, 'reproduce', 'emodb', ...args.split(' '), '--store', single], { env: { ...process.env, ADAN_THREADS: '1' }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const a = new ResultStore(merged).all();
    const b = new ResultStore(single).all();
    assert.equal(a.length, 27);
    assert.deepEqual(a.map((r) => r.key), b.map((r) => r.key));
    assert.deepEqual(a.map((r) => r.outcome.yPred), b.map((r) => r.outcome.yPred));
    const s1 = new ResultStore(`${prefix}-1`).all().length;
    const s2 = new ResultStore(`${prefix}-2`).all().length;
    assert.ok(s1 > 0 && s2 > 0 && s1 + s2 === 27, `shards hold ${s1} + ${s2} units`);
  } finally {
    for (const daemon of ['slurmd', 'slurmctld']) {
      const pidFile = path.join(dir, `${daemon}.pid`);
      if (fs.existsSync(pidFile)) spawnSync('kill', [fs.readFileSync(pidFile, 'utf8').trim()]);
    }
    if (startedMunge) spawnSync('pkill', ['-x', 'munged']);
  }
});

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
