// Test data for the ClearML tests: corrections, a ledger on an in-memory database, a client for a
// test server, and a reader for the zips we write.
import Database from 'better-sqlite3';
import { inflateRawSync } from 'node:zlib';
import { ClearmlClient } from '../../src-main/clearml/client';
import type { CorrectionForUpload } from '../../src-main/clearml/dataset-files';
import type { PendingCorrections } from '../../src-main/clearml/datasets';
import { UploadLedger } from '../../src-main/clearml/ledger';
import { migrate } from '../../src-main/library/schema';
import type { TestServer } from './server';

/** A correction with a deterministic 200-value embedding. */
export function correction(n: number, overrides: Partial<CorrectionForUpload> = {}): CorrectionForUpload {
  const embedding = new Float32Array(200);
  for (let i = 0; i < embedding.length; i++) embedding[i] = Math.sin(n * 31 + i) / 2;
  return {
    key: `correction-${String(n).padStart(4, '0')}`,
    trackHash: `track${String(n).padStart(60, '0')}`,
    artist: `Artist ${n}`,
    album: n % 2 ? `Album ${n}` : null,
    title: `Title ${n}`,
    durationSec: 180 + n,
    finalTags: ['shoegaze', 'atmospheric'],
    tagsAdded: ['shoegaze'],
    tagsRemoved: ['pop'],
    predictedScores: { pop: 0.61, shoegaze: 0.12, atmospheric: 0.4 },
    modelId: 'musicnn-msd',
    modelVersion: '1.0.0',
    reviewedAt: `2026-01-0${(n % 9) + 1}T10:00:00.000Z`,
    embedding,
    audioPath: null,
    ...overrides,
  };
}

/** A ledger on a fresh in-memory library database (the store's schema, migrations and all). */
export function memoryLedger(): { ledger: UploadLedger; db: Database.Database } {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db);
  return { ledger: new UploadLedger(db), db };
}

/** The corrections of `list` no finalized version holds yet, as the library's pending query answers for its tracks. */
export function pendingOf(ledger: UploadLedger, list: readonly CorrectionForUpload[]): PendingCorrections {
  return () => list.filter((c) => ledger.versionOf(c.key) === undefined);
}

/** A client for the test server with quick retries. */
export function testClient(server: TestServer, extra: Partial<ConstructorParameters<typeof ClearmlClient>[0]> = {}): ClearmlClient {
  return new ClearmlClient({
    apiServer: server.apiUrl,
    filesServer: server.filesUrl,
    accessKey: server.credentials.accessKey,
    secretKey: server.credentials.secretKey,
    backoffMs: 20,
    maxBackoffMs: 100,
    timeoutMs: 10_000,
    ...extra,
  });
}

/** Reads the members of a zip archive (stored or deflated), as a check of what we wrote. */
export function readZip(zip: Buffer): Map<string, Buffer> {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) throw new Error('not a zip: no end of central directory');
  const count = zip.readUInt16LE(end + 10);
  let p = zip.readUInt32LE(end + 16);
  const out = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(p) !== 0x02014b50) throw new Error('bad central directory entry');
    const method = zip.readUInt16LE(p + 10);
    const compressed = zip.readUInt32LE(p + 20);
    const nameLength = zip.readUInt16LE(p + 28);
    const extraLength = zip.readUInt16LE(p + 30);
    const commentLength = zip.readUInt16LE(p + 32);
    const local = zip.readUInt32LE(p + 42);
    const name = zip.subarray(p + 46, p + 46 + nameLength).toString('utf8');
    const dataStart = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = zip.subarray(dataStart, dataStart + compressed);
    out.set(name, method === 8 ? inflateRawSync(data) : Buffer.from(data));
    p += 46 + nameLength + extraLength + commentLength;
  }
  return out;
}
