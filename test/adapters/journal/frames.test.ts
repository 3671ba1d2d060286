import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { crc32, crc32ByTable } from '../../../src/adapters/fs/crc32.js';
import { decodeFrames, encodeFrame, FRAME_HEADER_BYTES } from '../../../src/adapters/fs/journal-frame.js';
import { JOURNAL_FORMAT, headerPayload, parseHeader, parseRecords, recordsPayload } from '../../../src/adapters/fs/journal-records.js';
import { DamagedPostError, StoreError } from '../../../src/adapters/store-errors.js';

const frames = (...payloads: string[]): Buffer => Buffer.concat(payloads.map((p) => encodeFrame(Buffer.from(p))));
const texts = (bytes: Buffer, start = 0): string[] => decodeFrames(bytes, start).payloads.map((p) => p.toString());

describe('journal frames', () => {
  it('the table crc32 gives the native values (and the standard check value)', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    expect(crc32ByTable(Buffer.from('123456789'))).toBe(0xcbf43926);
    for (let i = 0; i < 50; i++) {
      const bytes = randomBytes(i * 37);
      expect(crc32ByTable(bytes)).toBe(crc32(bytes));
    }
  });

  it('decodes what it encodes, from any frame boundary', () => {
    const bytes = frames('first', 'second', '', 'fourth');
    expect(texts(bytes)).toEqual(['first', 'second', '', 'fourth']);
    const decoded = decodeFrames(bytes);
    expect(decoded).toMatchObject({ end: bytes.length, damage: undefined });
    expect(texts(bytes, FRAME_HEADER_BYTES + 5)).toEqual(['second', '', 'fourth']);
  });

  it('drops a torn tail: a partial header, a partial payload, zeros, or a last frame whose checksum fails', () => {
    const sound = frames('one', 'two');
    const last = encodeFrame(Buffer.from('three, never acknowledged'));
    const badSum = Buffer.from(last);
    badSum.writeUInt8(badSum.readUInt8(badSum.length - 1) ^ 0xff, badSum.length - 1);
    for (const tail of [last.subarray(0, 7), last.subarray(0, FRAME_HEADER_BYTES + 4), Buffer.alloc(300), badSum, Buffer.concat([last.subarray(0, 20), Buffer.alloc(40)])]) {
      const decoded = decodeFrames(Buffer.concat([sound, tail]));
      expect(decoded.payloads.map(String)).toEqual(['one', 'two']);
      expect(decoded.end).toBe(sound.length);
      expect(decoded.damage).toBeUndefined();
    }
  });

  it('an incomplete frame decodes once the rest of it arrives (a write in flight)', () => {
    const whole = frames('one', 'two', 'three');
    const cut = whole.length - 3;
    const early = decodeFrames(whole.subarray(0, cut));
    expect(early.payloads.map(String)).toEqual(['one', 'two']);
    expect(texts(whole, early.end)).toEqual(['three']);
  });

  it('reports damage in the middle (a bad frame with a sound one after it) and returns nothing past it', () => {
    const bytes = frames('one', 'two', 'three');
    const second = FRAME_HEADER_BYTES + 3;
    for (const flip of [second + FRAME_HEADER_BYTES + 1, second + 1, second + 5]) {
      const damaged = Buffer.from(bytes);
      damaged.writeUInt8(damaged.readUInt8(flip) ^ 0x01, flip);
      const decoded = decodeFrames(damaged);
      expect(decoded.payloads.map(String)).toEqual(['one']);
      expect(decoded.end).toBe(second);
      expect(decoded.damage?.offset).toBe(second);
    }
  });

  it('never finds a frame magic inside JSON (its first byte is not UTF-8)', () => {
    const payload = recordsPayload([{ postId: 'p', json: JSON.stringify({ text: '\u00f9IGJ \uffff ÿ' }) }]);
    expect(payload.includes(encodeFrame(Buffer.alloc(0)).subarray(0, 4))).toBe(false);
  });
});

describe('journal records', () => {
  const envelope = { v: 2, postId: 'p1', account: 'a', machine: 'post', status: 'active', state: 'polling', version: 3, createdAt: 1, updatedAt: 2 };

  it('reads a header back, and refuses a journal of another format or without a header', () => {
    expect(parseHeader('j', headerPayload())).toEqual({ pid: process.pid, host: expect.any(String) as string });
    expect(() => parseHeader('j', Buffer.from(JSON.stringify({ journal: JOURNAL_FORMAT + 1, pid: 1, host: 'h' })))).toThrow(/unknown journal format/);
    expect(() => parseHeader('j', Buffer.from(recordsPayload([{ postId: 'p1', json: JSON.stringify(envelope) }])))).toThrow(StoreError);
  });

  it('parses records, a damaged envelope as a DamagedPostError for its post alone', () => {
    const payload = recordsPayload([
      { postId: 'p1', json: JSON.stringify(envelope) },
      { postId: 'p2', json: JSON.stringify({ ...envelope, postId: 'p2', v: 99 }) },
      { postId: 'p3', json: JSON.stringify({ ...envelope, postId: 'p4' }) },
    ]);
    const [one, two, three] = parseRecords('j', payload);
    expect(one).toMatchObject({ postId: 'p1', post: { version: 3, state: 'polling' } });
    expect(two).toMatchObject({ postId: 'p2', damage: { kind: 'unknown-version' } });
    expect(three && 'damage' in three && three.damage).toBeInstanceOf(DamagedPostError);
  });

  it('a line that names no post makes the journal unreadable (which posts it was about cannot be told)', () => {
    expect(() => parseRecords('j', Buffer.from('{"e":{}}'))).toThrow(/damaged/);
    expect(() => parseRecords('j', Buffer.from('not json'))).toThrow(/damaged/);
  });
});
