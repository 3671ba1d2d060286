import { rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fileStore } from '../../src/adapters/file-store.js';
import { storeLayout } from '../../src/adapters/fs/store-layout.js';
import type { BrakeState, Store } from '../../src/adapters/store.js';
import { tempDir } from './fixtures/temp-store.js';

const brake = (extra: Partial<BrakeState> = {}): BrakeState => ({ key: 'account:1', blockedUntil: 0, strikes: 0, peakPercent: 0, usageAt: 0, ...extra });

/**
 * The file store's brakes are read before every Graph call, from a parse
 * kept while `brakes.json` is unchanged (fs/cached-json.ts): what another
 * process raised must still show at the very next read.
 */
describe('file store brakes, read through a cache of brakes.json', () => {
  const stores: Store[] = [];
  const dirs: string[] = [];
  const twoStores = async (): Promise<{ readonly dir: string; readonly reader: Store; readonly raiser: Store }> => {
    const dir = await tempDir();
    dirs.push(dir);
    const [reader, raiser] = [fileStore(dir), fileStore(dir)];
    stores.push(reader, raiser);
    return { dir, reader, raiser };
  };
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.close()));
    await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  });

  it('a brake raised on another store object shows at the next read, each of many raises in a row (same size, within one clock tick)', async () => {
    const { reader, raiser } = await twoStores();
    expect(await reader.brakes.read()).toEqual([]);
    await raiser.brakes.raise(brake({ blockedUntil: 1_000_000 }));
    expect(await reader.brakes.read()).toEqual([brake({ blockedUntil: 1_000_000 })]);
    // each raise writes a file of the same size as the last, faster than mtimes tick: only the file's identity tells them apart
    for (let blockedUntil = 1_000_001; blockedUntil <= 1_000_040; blockedUntil++) {
      await raiser.brakes.raise(brake({ blockedUntil }));
      expect(await reader.brakes.read()).toEqual([brake({ blockedUntil })]);
    }
  });

  it('a brake raised on another store object after many unchanged reads shows at once', async () => {
    const { reader, raiser } = await twoStores();
    await raiser.brakes.raise(brake({ key: 'app', blockedUntil: 5_000 }));
    for (let i = 0; i < 20; i++) expect(await reader.brakes.read()).toEqual([brake({ key: 'app', blockedUntil: 5_000 })]);
    await raiser.brakes.raise(brake({ blockedUntil: 9_000, strikes: 1 }));
    expect(await reader.brakes.read()).toEqual([brake({ key: 'app', blockedUntil: 5_000 }), brake({ blockedUntil: 9_000, strikes: 1 })]);
  });

  it('a damaged brakes.json reads as no brakes, also on a store object that read it whole before; a raise then writes it afresh', async () => {
    const { dir, reader, raiser } = await twoStores();
    await raiser.brakes.raise(brake({ blockedUntil: 5_000 }));
    expect(await reader.brakes.read()).toEqual([brake({ blockedUntil: 5_000 })]);
    const file = storeLayout(dir).brakesFile;
    await writeFile(`${file}.torn`, '[{"key":"account:1","blockedUn');
    await rename(`${file}.torn`, file);
    expect(await reader.brakes.read()).toEqual([]);
    const fresh = fileStore(dir);
    stores.push(fresh);
    expect(await fresh.brakes.read()).toEqual([]);
    await writeFile(file, '[{"key":"account:1","blockedUntil":"soon"}]'); // in place, and of the wrong shape
    expect(await reader.brakes.read()).toEqual([]);
    await raiser.brakes.raise(brake({ blockedUntil: 7_000 }));
    expect(await reader.brakes.read()).toEqual([brake({ blockedUntil: 7_000 })]);
  });

  it('a brakes.json removed reads as no brakes', async () => {
    const { dir, reader, raiser } = await twoStores();
    await raiser.brakes.raise(brake({ blockedUntil: 5_000 }));
    expect(await reader.brakes.read()).toEqual([brake({ blockedUntil: 5_000 })]);
    await rm(join(dir, 'brakes.json'));
    expect(await reader.brakes.read()).toEqual([]);
  });
});
