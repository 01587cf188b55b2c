import { createReadStream } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { crc32 } from 'node:zlib';
import { HttpError } from '../http/errors';
import { userContentHeaders } from './serve';
import type { UserTree } from './tree';

// Streams a folder as an uncompressed ZIP (what ownCloud's folder download gives), without buffering files: local
// headers use a data descriptor (flag bit 3) so the CRC is written after the data. No ZIP64, so folders are limited
// to 4 GiB and 65,535 entries (refused up front with 413).

const MAX_ENTRIES = 65_535;
const MAX_BYTES = 0xffff_ffff;
const FLAG_UTF8 = 0x0800;
const FLAG_DESCRIPTOR = 0x0008;

interface ZipItem {
  name: string; // path inside the archive, "/" separated, folders end in "/"
  segments: string[];
  isDir: boolean;
  size: number;
  mtime: Date;
}

async function collect(
  tree: UserTree,
  base: string[],
  prefix: string,
  out: ZipItem[],
  total: { bytes: number },
): Promise<void> {
  for (const entry of await tree.list(base)) {
    const segments = [...base, entry.name];
    const name = `${prefix}${entry.name}${entry.isDir ? '/' : ''}`;
    out.push({ name, segments, isDir: entry.isDir, size: entry.size, mtime: entry.mtime });
    total.bytes += entry.size;
    if (out.length > MAX_ENTRIES || total.bytes > MAX_BYTES)
      throw new HttpError(413, 'Folder too large to download as one archive');
    if (entry.isDir) await collect(tree, segments, name, out, total);
  }
}

function dosDateTime(date: Date): { time: number; day: number } {
  const year = Math.max(1980, date.getFullYear());
  return {
    time: (date.getHours() << 11) | (date.getMinutes() << 5) | Math.floor(date.getSeconds() / 2),
    day: ((year - 1980) << 9) | ((date.getMonth() + 1) << 5) | date.getDate(),
  };
}

function write(res: ServerResponse, chunk: Buffer): Promise<void> {
  if (res.write(chunk)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onDrain = () => {
      res.off('close', onClose);
      resolve();
    };
    const onClose = () => {
      res.off('drain', onDrain);
      reject(new Error('client closed the connection'));
    };
    res.once('drain', onDrain);
    res.once('close', onClose);
  });
}

export async function sendFolderZip(
  tree: UserTree,
  folder: string[],
  archiveName: string,
  res: ServerResponse,
): Promise<void> {
  const items: ZipItem[] = [];
  await collect(tree, folder, `${archiveName}/`, items, { bytes: 0 });
  res.writeHead(200, userContentHeaders(`${archiveName}.zip`, 'application/zip'));
  const central: Buffer[] = [];
  let offset = 0;
  try {
    for (const item of items) {
      const name = Buffer.from(item.name, 'utf8');
      const { time, day } = dosDateTime(item.mtime);
      const flags = FLAG_UTF8 | (item.isDir ? 0 : FLAG_DESCRIPTOR);
      const local = Buffer.alloc(30);
      local.writeUInt32LE(0x04034b50, 0);
      local.writeUInt16LE(20, 4);
      local.writeUInt16LE(flags, 6);
      local.writeUInt16LE(0, 8); // stored
      local.writeUInt16LE(time, 10);
      local.writeUInt16LE(day, 12);
      local.writeUInt16LE(name.length, 26);
      await write(res, Buffer.concat([local, name]));
      let crc = 0;
      let size = 0;
      if (!item.isDir) {
        for await (const chunk of createReadStream(await tree.locate(item.segments), { highWaterMark: 1024 * 1024 })) {
          const data = chunk as Buffer;
          crc = crc32(data, crc);
          size += data.length;
          await write(res, data);
        }
        const descriptor = Buffer.alloc(16);
        descriptor.writeUInt32LE(0x08074b50, 0);
        descriptor.writeUInt32LE(crc >>> 0, 4);
        descriptor.writeUInt32LE(size, 8);
        descriptor.writeUInt32LE(size, 12);
        await write(res, descriptor);
      }
      const header = Buffer.alloc(46);
      header.writeUInt32LE(0x02014b50, 0);
      header.writeUInt16LE(20, 4);
      header.writeUInt16LE(20, 6);
      header.writeUInt16LE(flags, 8);
      header.writeUInt16LE(time, 12);
      header.writeUInt16LE(day, 14);
      header.writeUInt32LE(crc >>> 0, 16);
      header.writeUInt32LE(size, 20);
      header.writeUInt32LE(size, 24);
      header.writeUInt16LE(name.length, 28);
      header.writeUInt32LE(item.isDir ? 0x10 : 0, 38);
      header.writeUInt32LE(offset, 42);
      central.push(header, name);
      offset += 30 + name.length + (item.isDir ? 0 : size + 16);
    }
    const directory = Buffer.concat(central);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(items.length, 8);
    end.writeUInt16LE(items.length, 10);
    end.writeUInt32LE(directory.length, 12);
    end.writeUInt32LE(offset, 16);
    await write(res, Buffer.concat([directory, end]));
    res.end();
  } catch {
    res.destroy(); // the client went away or a file vanished mid-stream: the archive cannot be completed
  }
}
