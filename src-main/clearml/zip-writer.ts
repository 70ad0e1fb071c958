// A small zip writer (deflate, UTF-8 names, no zip64) for dataset chunks: ClearML's dataset reader
// extracts `data*.zip` artifacts with Python's zipfile, which reads exactly this layout. Entries are
// compressed one at a time and written straight to disk, so memory holds one entry, not the archive.
import { promises as fs } from 'node:fs';
import { crc32, deflateRawSync } from 'node:zlib';

export interface ZipEntry {
  /** POSIX relative path inside the archive. */
  readonly name: string;
  readonly data: Buffer;
}

export interface WrittenZip {
  readonly sizeBytes: number;
  readonly entries: ReadonlyArray<{ readonly name: string; readonly sizeBytes: number; readonly compressedBytes: number }>;
}

const MAX_32 = 0xffffffff;

function dosDateTime(date: Date): { time: number; date: number } {
  const year = Math.max(1980, date.getFullYear());
  return {
    time: (date.getHours() << 11) | (date.getMinutes() << 5) | Math.floor(date.getSeconds() / 2),
    date: ((year - 1980) << 9) | ((date.getMonth() + 1) << 5) | date.getDate(),
  };
}

/** Writes `entries` as a deflated zip at `path` (replacing it). */
export async function writeZip(path: string, entries: Iterable<ZipEntry> | AsyncIterable<ZipEntry>, modified = new Date()): Promise<WrittenZip> {
  const stamp = dosDateTime(modified);
  const handle = await fs.open(path, 'w');
  const central: Buffer[] = [];
  const written: Array<{ name: string; sizeBytes: number; compressedBytes: number }> = [];
  let offset = 0;
  try {
    for await (const entry of entries) {
      const name = Buffer.from(entry.name, 'utf8');
      const deflated = deflateRawSync(entry.data);
      // Store incompressible data as is, as zip tools do.
      const stored = deflated.length >= entry.data.length;
      const body = stored ? entry.data : deflated;
      if (offset + body.length > MAX_32 || entry.data.length > MAX_32) throw new Error(`${entry.name}: a zip chunk may not exceed 4 GiB`);
      const crc = crc32(entry.data);
      const local = Buffer.alloc(30);
      local.writeUInt32LE(0x04034b50, 0);
      local.writeUInt16LE(20, 4); // version needed: 2.0
      local.writeUInt16LE(0x0800, 6); // UTF-8 names
      local.writeUInt16LE(stored ? 0 : 8, 8);
      local.writeUInt16LE(stamp.time, 10);
      local.writeUInt16LE(stamp.date, 12);
      local.writeUInt32LE(crc, 14);
      local.writeUInt32LE(body.length, 18);
      local.writeUInt32LE(entry.data.length, 22);
      local.writeUInt16LE(name.length, 26);
      local.writeUInt16LE(0, 28);
      await handle.write(Buffer.concat([local, name, body]));

      const dir = Buffer.alloc(46);
      dir.writeUInt32LE(0x02014b50, 0);
      dir.writeUInt16LE((3 << 8) | 20, 4); // made by: Unix, 2.0
      dir.writeUInt16LE(20, 6);
      dir.writeUInt16LE(0x0800, 8);
      dir.writeUInt16LE(stored ? 0 : 8, 10);
      dir.writeUInt16LE(stamp.time, 12);
      dir.writeUInt16LE(stamp.date, 14);
      dir.writeUInt32LE(crc, 16);
      dir.writeUInt32LE(body.length, 20);
      dir.writeUInt32LE(entry.data.length, 24);
      dir.writeUInt16LE(name.length, 28);
      dir.writeUInt32LE((0o100644 << 16) >>> 0, 38); // -rw-r--r--
      dir.writeUInt32LE(offset, 42);
      central.push(dir, name);
      offset += local.length + name.length + body.length;
      written.push({ name: entry.name, sizeBytes: entry.data.length, compressedBytes: body.length });
    }
    const directory = Buffer.concat(central);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(written.length, 8);
    end.writeUInt16LE(written.length, 10);
    end.writeUInt32LE(directory.length, 12);
    end.writeUInt32LE(offset, 16);
    await handle.write(Buffer.concat([directory, end]));
    await handle.sync();
    return { sizeBytes: offset + directory.length + end.length, entries: written };
  } finally {
    await handle.close();
  }
}
