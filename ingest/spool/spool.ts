// A local durable spool: every accepted MQTT message is appended here *before* its PUBACK, and a
// drainer moves it into the readings store at its own pace, committing a checkpoint after each
// store write. So the broker can forget a message as soon as it is in the spool, one connection
// is not held to one message per store commit, and an outage of the store only makes the spool
// longer. See ingest/README.md "Durability" for the failure windows.
//
// Layout: <dir>/<segment>.spool files of records, and checkpoint.json with the first position
// not yet committed to the store. Record: u32 length of the rest | f64 receivedAt | u32 sequence
// (bit 31: the broker delivered it as a retained message) | u16 topic bytes | topic | payload.
import {
  closeSync,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  writevSync,
} from 'node:fs';
import { join } from 'node:path';
import { lockDir } from '../../lib/dir-lock.ts';

export interface SpoolPosition {
  segment: number;
  offset: number;
}

export interface SpoolRecord {
  topic: string;
  payload: Buffer;
  receivedAt: number;
  sequence: number;
  /** Delivered as a retained message (the broker's last value, of unknown age). */
  retained: boolean;
  /** Position just after this record: commit it once the record is safely in the store. */
  next: SpoolPosition;
}

export type FsyncPolicy = 'never' | 'always';

export interface SpoolOptions {
  dir: string;
  /** 'never' (default) survives a kill of the process, not of the machine; 'always' survives both, slowly. */
  fsync?: FsyncPolicy;
  segmentBytes?: number;
  /**
   * A segment is closed after this long (default 15 min) even if not full, so that once drained
   * it is deleted: raw messages (an erased household's too) stay on disk only so long after they
   * are stored.
   */
  maxSegmentAgeMs?: number;
}

const HEADER_BYTES = 4 + 8 + 4 + 2;
const RETAINED_BIT = 0x8000_0000;
const SEQUENCE_MASK = 0x7fff_ffff;
const CHECKPOINT = 'checkpoint.json';
/** No record is longer: a broker's largest packet is far smaller (320 KiB here). */
const MAX_RECORD_BYTES = 64 * 1024 * 1024;
/** Records are written into buffers of this size (a bigger record gets its own). */
const CHUNK_BYTES = 256 * 1024;
const segmentName = (segment: number) => `${String(segment).padStart(10, '0')}.spool`;

/** Copies source[start, end) into target at `at` without making a view of the source (as subarray would). */
const copyBytes = (source: Uint8Array, start: number, end: number, target: Buffer, at: number) =>
  Buffer.prototype.copy.call(source, target, at, start, end);

export const comparePositions = (a: SpoolPosition, b: SpoolPosition) => a.segment - b.segment || a.offset - b.offset;

export class Spool {
  readonly dir: string;
  readonly #fsync: FsyncPolicy;
  readonly #segmentBytes: number;
  #fd: number;
  #segment: number;
  #offset = 0;
  #appended = 0;
  #waiters: (() => void)[] = [];
  #checkpoint: SpoolPosition;
  /** Full write buffers not yet flushed, then the one being filled. */
  #pending: Buffer[] = [];
  #chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  #chunkUsed = 0;
  #pendingRecords = 0;
  #oldestSegment: number;
  readonly #maxSegmentAgeMs: number;
  readonly #unlock: () => void;
  #segmentOpenedAt = Date.now();

  constructor(options: SpoolOptions) {
    this.dir = options.dir;
    this.#fsync = options.fsync ?? 'never';
    this.#segmentBytes = options.segmentBytes ?? 64 * 1024 * 1024;
    this.#maxSegmentAgeMs = options.maxSegmentAgeMs ?? 15 * 60_000;
    mkdirSync(this.dir, { recursive: true });
    // Two ingest processes on one spool would share segment names and the checkpoint.
    this.#unlock = lockDir(this.dir, 'the ingest spool', 'spool.lock');
    const segments = this.segments();
    this.#checkpoint = this.#readCheckpoint() ?? { segment: segments[0] ?? 1, offset: 0 };
    // Always a fresh segment on start: a record half-written by a killed process stays at the
    // end of the old one, where the reader knows to stop.
    this.#segment = (segments[segments.length - 1] ?? 0) + 1;
    this.#oldestSegment = segments[0] ?? this.#segment;
    this.#fd = openSync(join(this.dir, segmentName(this.#segment)), 'a');
  }

  segments(): number[] {
    return readdirSync(this.dir)
      .filter((name) => name.endsWith('.spool'))
      .map((name) => Number.parseInt(name, 10))
      .sort((a, b) => a - b);
  }

  get checkpoint(): SpoolPosition {
    return this.#checkpoint;
  }

  /** Messages appended by this process so far. */
  get appended(): number {
    return this.#appended;
  }

  get head(): SpoolPosition {
    return { segment: this.#segment, offset: this.#offset };
  }

  /** The head's parts, read once per record by readers (without making a position object). */
  get headSegment(): number {
    return this.#segment;
  }

  get headOffset(): number {
    return this.#offset;
  }

  /** Appends synchronously: when this returns the record is in the kernel (and on disk with fsync 'always'). */
  append(topic: string, payload: Uint8Array, receivedAt: number, sequence: number, retained = false): void {
    this.appendBuffered(topic, payload, receivedAt, sequence, retained);
    this.flush();
  }

  /**
   * Queues a record in memory; `flush` writes all queued records with one system call. Whoever
   * acknowledges a message must flush before the acknowledgement leaves the process.
   */
  appendBuffered(topic: string, payload: Uint8Array, receivedAt: number, sequence: number, retained = false): void {
    const topicBytes = Buffer.from(topic, 'utf8');
    this.appendFrom(topicBytes, 0, topicBytes.length, payload, 0, payload.byteLength, receivedAt, sequence, retained);
  }

  /**
   * As appendBuffered, with topic and payload given as byte ranges of buffers the caller reuses
   * (MQTT's read buffer): the bytes are copied into the spool's own write buffer, so a message
   * costs no allocation here.
   */
  appendFrom(
    topicSource: Uint8Array,
    topicStart: number,
    topicEnd: number,
    payloadSource: Uint8Array,
    payloadStart: number,
    payloadEnd: number,
    receivedAt: number,
    sequence: number,
    retained = false,
  ): void {
    const topicLength = topicEnd - topicStart;
    const length = HEADER_BYTES + topicLength + (payloadEnd - payloadStart);
    if (this.#chunkUsed + length > this.#chunk.length) {
      if (this.#chunkUsed > 0) this.#pending.push(this.#chunk.subarray(0, this.#chunkUsed));
      this.#chunk = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, length));
      this.#chunkUsed = 0;
    }
    const chunk = this.#chunk;
    const at = this.#chunkUsed;
    chunk.writeUInt32LE(length - 4, at);
    chunk.writeDoubleLE(receivedAt, at + 4);
    chunk.writeUInt32LE(((sequence & SEQUENCE_MASK) | (retained ? RETAINED_BIT : 0)) >>> 0, at + 12);
    chunk.writeUInt16LE(topicLength, at + 16);
    copyBytes(topicSource, topicStart, topicEnd, chunk, at + HEADER_BYTES);
    copyBytes(payloadSource, payloadStart, payloadEnd, chunk, at + HEADER_BYTES + topicLength);
    this.#chunkUsed = at + length;
    this.#pendingRecords++;
  }

  flush(): void {
    if (this.#pendingRecords === 0) return;
    let buffers = this.#pending;
    if (this.#chunkUsed > 0) buffers.push(this.#chunk.subarray(0, this.#chunkUsed));
    let bytes = 0;
    for (const buffer of buffers) bytes += buffer.length;
    const records = this.#pendingRecords;
    this.#pending = [];
    this.#pendingRecords = 0;
    // The write below is synchronous, so the chunk can take the next records at once.
    this.#chunkUsed = 0;
    try {
      let left = bytes;
      while (left > 0) {
        let written = writevSync(this.#fd, buffers);
        left -= written;
        if (left === 0) break;
        // A short write: drop what went out and go on with the rest.
        const rest: Buffer[] = [];
        for (const buffer of buffers) {
          if (written >= buffer.length) written -= buffer.length;
          else {
            rest.push(written > 0 ? buffer.subarray(written) : buffer);
            written = 0;
          }
        }
        buffers = rest;
      }
    } catch (error) {
      // Disk full (or worse) part way: none of these records is acknowledged, and the bytes that
      // did reach the file must not stay, or the next records would land behind half a record.
      this.#cutBack();
      throw error;
    }
    if (this.#fsync === 'always') fsyncSync(this.#fd);
    this.#offset += bytes;
    this.#appended += records;
    if (this.#offset >= this.#segmentBytes) this.#rotate();
    for (const wake of this.#waiters.splice(0)) wake();
  }

  /** Cuts the segment back to the last whole record; if that fails too, starts a new segment (the reader skips an old segment's cut-short tail). */
  #cutBack(): void {
    try {
      ftruncateSync(this.#fd, this.#offset);
    } catch {
      try {
        this.#rotate();
      } catch {
        // Nothing more to do here: the next flush fails too, and nothing is acknowledged.
      }
    }
  }

  #rotate(): void {
    if (this.#fsync === 'always') fsyncSync(this.#fd);
    closeSync(this.#fd);
    this.#segment++;
    this.#offset = 0;
    this.#segmentOpenedAt = Date.now();
    this.#fd = openSync(join(this.dir, segmentName(this.#segment)), 'a');
  }

  /** Closes the current segment if it holds records and is older than `maxSegmentAgeMs` (see SpoolOptions). */
  rotateIfOld(now = Date.now()): void {
    if (this.#offset + this.#pendingRecords === 0 || now - this.#segmentOpenedAt < this.#maxSegmentAgeMs) return;
    this.flush();
    if (this.#offset > 0) this.#rotate();
  }

  /** Resolves at the next append, or after `timeoutMs`. */
  waitForAppend(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#waiters.splice(this.#waiters.indexOf(wake), 1);
        resolve();
      }, timeoutMs);
      const wake = () => {
        clearTimeout(timer);
        resolve();
      };
      this.#waiters.push(wake);
    });
  }

  /** Records everything before `position` as safely stored; deletes segments wholly before it. */
  commit(position: SpoolPosition): void {
    const temporary = join(this.dir, `${CHECKPOINT}.tmp`);
    writeFileSync(temporary, JSON.stringify(position));
    if (this.#fsync === 'always') {
      const fd = openSync(temporary, 'r');
      fsyncSync(fd);
      closeSync(fd);
    }
    renameSync(temporary, join(this.dir, CHECKPOINT));
    this.#checkpoint = position;
    if (position.segment > this.#oldestSegment) {
      for (const segment of this.segments()) {
        if (segment >= position.segment || segment === this.#segment) break;
        rmSync(join(this.dir, segmentName(segment)), { force: true });
      }
      this.#oldestSegment = Math.min(position.segment, this.#segment);
    }
  }

  /** Bytes between the checkpoint and the head: what the store has not yet got. */
  backlogBytes(): number {
    let bytes = 0;
    for (const segment of this.segments()) {
      if (segment < this.#checkpoint.segment) continue;
      const size = segment === this.#segment ? this.#offset : statSync(join(this.dir, segmentName(segment))).size;
      bytes += segment === this.#checkpoint.segment ? Math.max(0, size - this.#checkpoint.offset) : size;
    }
    return bytes;
  }

  #readCheckpoint(): SpoolPosition | undefined {
    try {
      const value = JSON.parse(readFileSync(join(this.dir, CHECKPOINT), 'utf8')) as SpoolPosition;
      return Number.isInteger(value.segment) && Number.isInteger(value.offset) ? value : undefined;
    } catch {
      return undefined;
    }
  }

  reader(from: SpoolPosition = this.#checkpoint): SpoolReader {
    return new SpoolReader(this, from);
  }

  close(): void {
    this.flush();
    if (this.#fsync === 'always') fsyncSync(this.#fd);
    closeSync(this.#fd);
    this.#unlock();
  }
}

/** Reads records in order from a position, following the writer; big reads, served from the page cache. */
export class SpoolReader {
  readonly #spool: Spool;
  #position: SpoolPosition;
  #buffer = Buffer.allocUnsafe(1024 * 1024);
  #bufferLength = 0;
  /** File offset of #buffer[0]. */
  #bufferStart = 0;
  #fd: number | undefined;
  #fdSegment = -1;

  constructor(spool: Spool, from: SpoolPosition) {
    this.#spool = spool;
    this.#position = { ...from };
  }

  get position(): SpoolPosition {
    return this.#position;
  }

  /** Up to `maxRecords` records (fewer, maybe none, when caught up). */
  read(maxRecords: number, maxBytes = 16 * 1024 * 1024): SpoolRecord[] {
    const records: SpoolRecord[] = [];
    let bytes = 0;
    while (records.length < maxRecords && bytes < maxBytes) {
      const record = this.#next();
      if (!record) break;
      bytes += record.payload.length;
      records.push(record);
    }
    return records;
  }

  #next(): SpoolRecord | undefined {
    for (;;) {
      const { segment, offset } = this.#position;
      const headSegment = this.#spool.headSegment;
      if (segment > headSegment || (segment === headSegment && offset >= this.#spool.headOffset)) return undefined;
      const header = this.#at(HEADER_BYTES);
      const length = header < 0 ? 0 : (this.#buffer.readUInt32LE(header) as number) + 4;
      // A length no record can have is a damaged tail: treated as the segment's end.
      const start = length >= HEADER_BYTES && length <= MAX_RECORD_BYTES ? this.#at(length) : -1;
      if (start < 0) {
        // End of this segment. In an older segment that means the rest is a record cut short
        // by a killed process (or the segment is gone): skip to the next segment.
        if (segment < headSegment) {
          this.#moveTo({ segment: segment + 1, offset: 0 });
          continue;
        }
        return undefined;
      }
      // Read straight from the reader's buffer: no views made per record, one copy of the payload.
      const buffer = this.#buffer;
      const topicEnd = start + HEADER_BYTES + buffer.readUInt16LE(start + 16);
      const flags = buffer.readUInt32LE(start + 12);
      const payload = Buffer.allocUnsafe(start + length - topicEnd);
      buffer.copy(payload, 0, topicEnd, start + length);
      const next = { segment, offset: offset + length };
      const record: SpoolRecord = {
        receivedAt: buffer.readDoubleLE(start + 4),
        sequence: flags & SEQUENCE_MASK,
        retained: flags >= RETAINED_BIT,
        topic: buffer.toString('utf8', start + HEADER_BYTES, topicEnd),
        payload,
        next,
      };
      this.#position = next;
      return record;
    }
  }

  #moveTo(position: SpoolPosition): void {
    this.#position = position;
    this.#bufferLength = 0;
    this.#bufferStart = position.offset;
  }

  /**
   * Where in the reader's buffer the `count` bytes at the current position start, or -1 if the
   * file does not hold them yet. The buffer is reused on the next refill: copy what must outlive it. (A fresh
   * 1 MiB buffer per refill, when the reader follows the writer closely, piled up hundreds of MB
   * of external memory between garbage collections.)
   */
  #at(count: number): number {
    const { segment, offset } = this.#position;
    if (this.#fdSegment !== segment) {
      if (this.#fd !== undefined) closeSync(this.#fd);
      this.#fd = undefined;
      this.#fdSegment = -1;
      try {
        this.#fd = openSync(join(this.#spool.dir, segmentName(segment)), 'r');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return -1;
        throw error;
      }
      this.#fdSegment = segment;
      this.#bufferLength = 0;
      this.#bufferStart = offset;
    }
    let skip = offset - this.#bufferStart;
    if (skip < 0 || skip > this.#bufferLength) {
      this.#bufferLength = 0;
      this.#bufferStart = offset;
      skip = 0;
    }
    if (skip + count <= this.#bufferLength) return skip;
    // Refill: keep what is left from `offset` at the front, read more behind it.
    if (this.#buffer.length < count) {
      const bigger = Buffer.allocUnsafe(Math.max(count, this.#buffer.length * 2));
      this.#buffer.copy(bigger, 0, skip, this.#bufferLength);
      this.#buffer = bigger;
    } else {
      this.#buffer.copyWithin(0, skip, this.#bufferLength);
    }
    this.#bufferLength -= skip;
    this.#bufferStart = offset;
    for (;;) {
      const got = readSync(
        this.#fd as number,
        this.#buffer,
        this.#bufferLength,
        this.#buffer.length - this.#bufferLength,
        offset + this.#bufferLength,
      );
      if (got === 0) break;
      this.#bufferLength += got;
      if (this.#bufferLength === this.#buffer.length) break;
    }
    return count <= this.#bufferLength ? 0 : -1;
  }

  close(): void {
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = undefined;
    this.#fdSegment = -1;
  }
}
