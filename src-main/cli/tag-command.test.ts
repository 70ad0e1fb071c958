// `eno tag` as a user runs it: a real child process on real clips and on bad inputs the test makes.
import { chmodSync, copyFileSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cudaProviderMissing } from '../inference/session';
import { runCli, startCli } from '../../test-support/cli';
import { SHARED_AUDIO, sharedClip, sine, tempDir, writeWav } from '../../test-support/fixtures';
import { shareWithOtherUsers, unprivilegedIds } from '../../test-support/other-user';
import type { ErrorRecord, OkRecord, TagRecord } from './records';

const tmp = tempDir();
afterAll(() => {
  chmodSync(join(tmp.dir, 'bad', 'locked-folder'), 0o755);
  tmp.cleanup();
});

function readJsonl(path: string): TagRecord[] {
  return readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as TagRecord);
}

const byName = (records: TagRecord[], name: string): TagRecord | undefined =>
  records.find((r) => r.file.endsWith(`/${name}`));

const NO_STACK = /^\s+at .*:\d+:\d+\)?$/m;

describe('eno tag on real music', () => {
  it('tags every clip of the shared audio, reports a corrupt file as an error, and exits 1', async () => {
    const corrupt = join(tmp.dir, 'corrupt.mp3');
    writeFileSync(corrupt, Buffer.from(Array.from({ length: 20000 }, (_, i) => (i * 7919 + 13) % 256)));
    const out = join(tmp.dir, 'results.jsonl');
    const run = await runCli(['tag', SHARED_AUDIO, corrupt, '--out', out]);
    expect(run.code).toBe(1);
    expect(run.stderr).not.toMatch(NO_STACK);
    const records = readJsonl(out);
    const music = readdirSync(join(SHARED_AUDIO, 'music'));
    const nonmusic = readdirSync(join(SHARED_AUDIO, 'nonmusic'));
    expect(records).toHaveLength(music.length + nonmusic.length + 1);
    for (const name of [...music, ...nonmusic]) {
      const r = byName(records, name) as OkRecord;
      expect(r?.status, name).toBe('ok');
      expect(r.top).toHaveLength(5);
      // The default set: musicnn and mn04, each with its own scores, taggram and embedding.
      expect(Object.keys(r.models)).toEqual(['musicnn-msd', 'efficientat-mn04']);
      const musicnn = r.models['musicnn-msd']!;
      const mn04 = r.models['efficientat-mn04']!;
      expect(musicnn.taggram.length).toBe(musicnn.patches);
      expect(musicnn.embedding).toHaveLength(200);
      expect(Object.keys(musicnn.scores)).toHaveLength(50);
      expect(mn04.taggram.length).toBe(mn04.patches);
      expect(mn04.patch_sec).toBe(10);
      expect(mn04.embedding).toHaveLength(384);
      expect(Object.keys(mn04.scores)).toHaveLength(154);
      // Every tag says which model it came from.
      for (const t of [...r.top, ...Object.values(r.tags).flat()]) expect(Object.keys(r.models)).toContain(t.model);
      expect(r.music?.verdict, name).toBe(music.includes(name) ? 'music' : 'not music');
      expect(r.provider).toBe(cudaProviderMissing() ? 'cpu' : 'cuda');
    }
    expect(byName(records, 'corrupt.mp3')).toEqual({
      file: corrupt,
      status: 'error',
      reason: 'not an audio file ffmpeg can read (damaged, or not audio)',
    });
    // The jazz piano clip is unmistakable, to both models.
    const piano = byName(records, 'bensound-thejazzpiano.mp3') as OkRecord;
    expect(piano.top[0]).toMatchObject({ tag: 'jazz', model: 'musicnn-msd' });
    expect(piano.tags.genre).toContainEqual(expect.objectContaining({ tag: 'jazz', model: 'musicnn-msd' }));
    expect(piano.tags.genre).toContainEqual(expect.objectContaining({ tag: 'Jazz', model: 'efficientat-mn04' }));
    expect(piano.tags.instrument).toContainEqual(expect.objectContaining({ tag: 'Piano', model: 'efficientat-mn04' }));
    expect(run.stderr).toMatch(/tagged, 1 failed/);
  });

  it('writes CSV and a readable table, honouring --top', async () => {
    const csv = join(tmp.dir, 'out.csv');
    const clip = sharedClip('music/bensound-dubstep.mp3');
    const csvRun = await runCli(['tag', clip, '--out', csv, '--top', '3', '--jobs', '1']);
    expect(csvRun.code).toBe(0);
    const [header, row] = readFileSync(csv, 'utf8').trim().split('\n');
    expect(header).toBe('file,status,duration_sec,top_tags,genres,descriptors,other_tags,model,warnings,reason,music');
    expect(row).toMatch(/^.*bensound-dubstep\.mp3,ok,31\.\d+,Dubstep@efficientat-mn04:0\.\d{3};[^;]+;[^;,]+,/);
    expect(row).toMatch(/,musicnn-msd@1\.0\.0;efficientat-mn04@1\.0\.0,.*,music$/);

    const table = await runCli(['tag', clip, '--top', '2']);
    expect(table.code).toBe(0);
    const lines = table.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^STATUS\s+LENGTH\s+TAGS\s+FILE$/);
    expect(lines[1]).toMatch(/^ok\s+0:31\s+Dubstep 0\.\d\d, Electronic music 0\.\d\d\s+.*bensound-dubstep\.mp3$/);
    // Piped stderr gets one plain progress line per track and a summary.
    expect(table.stderr).toMatch(/^\[1\/1\] ok .*bensound-dubstep\.mp3/m);
    expect(table.stderr).toMatch(/1 tagged, 0 failed in [\d.]+ s \([\d.]+ tracks\/s, \d+x real time\)/);
  });
});

describe('eno tag on bad input', () => {
  const bad = join(tmp.dir, 'bad');
  mkdirSync(join(bad, 'loop', 'inner'), { recursive: true });
  mkdirSync(join(bad, 'locked-folder'), { recursive: true });
  const bytes = readFileSync(sharedClip('music/bensound-cute.mp3'));
  writeFileSync(join(bad, 'truncated.mp3'), bytes.subarray(0, Math.floor(bytes.length / 4)));
  writeFileSync(join(bad, 'header-only.mp3'), bytes.subarray(0, 300));
  writeFileSync(join(bad, 'empty.flac'), '');
  writeFileSync(join(bad, 'shopping list.mp3'), 'eggs\nmilk\nbread\n'.repeat(40));
  writeWav(join(bad, 'silence.wav'), new Float32Array(16000 * 10), 16000);
  writeWav(join(bad, 'short.wav'), sine(2, 22050, 440, 0.3), 22050);
  copyFileSync(sharedClip('music/bensound-cute.mp3'), join(bad, `it's "quoted" – 日本語 ünï.mp3`));
  writeFileSync(join(bad, 'locked.mp3'), bytes);
  chmodSync(join(bad, 'locked.mp3'), 0o000);
  copyFileSync(sharedClip('music/sorohanro_-_solo-trumpet-06.ogg'), join(bad, 'locked-folder', 'inside.ogg'));
  chmodSync(join(bad, 'locked-folder'), 0o000);
  symlinkSync(join(bad, 'loop'), join(bad, 'loop', 'inner', 'back-up'));

  it('gives each bad file a one-line reason, tags the valid ones, and goes on (run as an unprivileged user)', async () => {
    shareWithOtherUsers(tmp.dir);
    chmodSync(bad, 0o777);
    const out = join(bad, 'out.jsonl');
    const run = await runCli(['tag', bad, '--out', out], { ...unprivilegedIds(), env: { HOME: '/tmp' } });
    expect(run.stderr).not.toMatch(NO_STACK);
    expect(run.code).toBe(1);
    const records = readJsonl(out);
    const reason = (name: string): string => (byName(records, name) as ErrorRecord | undefined)?.reason ?? 'missing';
    const ok = (name: string): OkRecord => {
      const r = byName(records, name);
      expect(r?.status, name).toBe('ok');
      return r as OkRecord;
    };
    expect(reason('empty.flac')).toBe('empty file (0 bytes)');
    expect(reason('shopping list.mp3')).toBe('not an audio file ffmpeg can read (damaged, or not audio)');
    expect(reason('header-only.mp3')).toMatch(/not an audio file|no audio could be decoded/);
    expect(reason('locked.mp3')).toBe('permission denied: the file cannot be read');
    expect(reason('locked-folder')).toBe('cannot read folder: permission denied: the file cannot be read');
    expect(ok('truncated.mp3').duration_sec).toBeGreaterThan(5);
    expect(ok('silence.wav').warnings).toContain('the audio is silent or nearly silent; its tags are not meaningful');
    expect(ok('silence.wav').music?.verdict).toBe('not music');
    expect(ok('short.wav').warnings[0]).toMatch(/shorter than the model's 3\.0 s window/);
    expect(ok('short.wav').models['musicnn-msd']!.patches).toBe(1);
    expect(ok('short.wav').models['efficientat-mn04']!.patches).toBe(1);
    expect(ok(`it's "quoted" – 日本語 ünï.mp3`).top[0]!.score).toBeGreaterThan(0);
    // The symlink loop neither hangs nor duplicates anything.
    expect(records.filter((r) => r.file.includes('/loop/'))).toEqual([]);
    for (const r of records.filter((x): x is ErrorRecord => x.status === 'error')) {
      expect(r.reason).not.toMatch(/\n/);
    }
  });
});

describe('eno tag command line', () => {
  it.each([
    [[], /give at least one file or folder/],
    [['x.mp3', '--ep', 'gpu'], /--ep must be auto, cpu or cuda/],
    [['x.mp3', '--jobs', '0'], /--jobs must be a whole number of at least 1/],
    [['x.mp3', '--top', 'many'], /--top must be a whole number/],
    [['x.mp3', '--out', 'r.txt'], /use a \.jsonl or \.csv file name/],
    [['x.mp3', '--frobnicate'], /Unknown option '--frobnicate'/],
  ])('exits 2 with usage for %j', async (args, message) => {
    const run = await runCli(['tag', ...args]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toMatch(/usage: eno tag/);
  });

  it('exits 2 for an unknown command and 0 for --help', async () => {
    expect((await runCli(['frob'])).code).toBe(2);
    const help = await runCli(['tag', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--ep EP/);
  });

  it('--model takes a list of bundled ids or folders; --precision exact runs the full-precision models', async () => {
    const out = join(tmp.dir, 'one-model.jsonl');
    const run = await runCli(['tag', sharedClip('music/bensound-cute.mp3'), '--model', 'musicnn-msd', '--precision', 'exact', '--out', out]);
    expect(run.code).toBe(0);
    const r = readJsonl(out)[0] as OkRecord;
    expect(Object.keys(r.models)).toEqual(['musicnn-msd']);
    expect(r.models['musicnn-msd']!.precision).toBe('exact');
    // Without a model that can tell, nothing is said about music or not.
    expect(r.music).toBeNull();
    const twice = await runCli(['tag', sharedClip('music/bensound-cute.mp3'), '--model', 'musicnn-msd,musicnn-msd']);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toMatch(/model musicnn-msd is in the set twice/);
    const badPrecision = await runCli(['tag', 'x.mp3', '--precision', 'fast']);
    expect(badPrecision.code).toBe(2);
    expect(badPrecision.stderr).toMatch(/--precision must be default or exact/);
  });

  it('reports a folder that is not a model bundle as a usage error', async () => {
    const run = await runCli(['tag', sharedClip('music/bensound-cute.mp3'), '--model', tmp.dir]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/eno-model\.json: cannot read the model manifest/);
  });

  it('--ep cuda uses the GPU or fails loudly with the reason, never silently on the CPU', async () => {
    const out = join(tmp.dir, 'cuda.jsonl');
    const run = await runCli(['tag', sharedClip('music/bensound-cute.mp3'), '--ep', 'cuda', '--out', out]);
    if (cudaProviderMissing()) {
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/CUDA execution provider unavailable: the CUDA provider of onnxruntime-node is not installed/);
    } else {
      expect(run.code).toBe(0);
      expect((readJsonl(out)[0] as OkRecord).provider).toBe('cuda');
    }
  });

  it('--ep auto says why it fell back to the CPU', async () => {
    const run = await runCli(['tag', sharedClip('music/sorohanro_-_solo-trumpet-06.ogg')]);
    expect(run.code).toBe(0);
    const reason = cudaProviderMissing();
    if (reason) expect(run.stderr).toContain(`execution provider cpu (CUDA execution provider unavailable: ${reason})`);
    else expect(run.stderr).toMatch(/execution provider cuda/);
  });
});

describe('eno tag interrupted', () => {
  it('stops after the tracks in flight on Ctrl-C, keeping complete records, and exits 130', async () => {
    const many = join(tmp.dir, 'many');
    mkdirSync(many);
    const clips = readdirSync(join(SHARED_AUDIO, 'music'));
    for (let copy = 0; copy < 3; copy++) {
      for (const c of clips) copyFileSync(join(SHARED_AUDIO, 'music', c), join(many, `${copy}-${c}`));
    }
    const total = clips.length * 3;
    const out = join(tmp.dir, 'interrupted.jsonl');
    let sent = false;
    const { child, done } = startCli(['tag', many, '--out', out], {
      onStderr: (text) => {
        if (!sent && /^\[2\//m.test(text)) {
          sent = true;
          child.kill('SIGINT');
        }
      },
    });
    const run = await done;
    expect(sent).toBe(true);
    expect(run.code).toBe(130);
    expect(run.stderr).toMatch(/stopping after the tracks in flight/);
    expect(run.stderr).toMatch(/not done \(interrupted\)/);
    const records = readJsonl(out);
    expect(records.length).toBeGreaterThanOrEqual(2);
    expect(records.length).toBeLessThan(total);
    expect(records.every((r) => r.status === 'ok')).toBe(true);
  });
});
