/**
 * Guarantee mutants (`npm run mutants`): each breaks one promise igflow
 * makes, in a scratch copy of the repository, and runs the tests that must
 * catch it. A mutant the tests do not kill is a guarantee nobody checks.
 * Prints a table (mutant, tests, killed or survived) and exits 1 when one
 * survives. Each mutation names the exact text it replaces, so a refactor
 * that moves it fails here loudly instead of testing nothing.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

interface Mutant {
  readonly name: string;
  readonly file: string;
  readonly from: string;
  readonly to: string;
  /** Test files (and an optional `-t` name filter) that must fail. */
  readonly tests: readonly string[];
  readonly filter?: string;
  /** The tests run the built CLI (dist/), so the copy is built first. */
  readonly build?: boolean;
}

const mutants: readonly Mutant[] = [
  {
    name: 'blind publish retry after an ambiguous answer',
    file: 'src/machines/post-machine.ts',
    from: "{ guard: 'publishAmbiguous', target: 'verifying', actions: ['recordPublishFailure', 'clearWake'] },",
    to: "{ guard: 'publishAmbiguous', target: 'retryingPublish', actions: ['recordPublishFailure'] },",
    tests: ['test/engine/fault-points.test.ts'],
    filter: 'image',
  },
  {
    name: 'no verification on restore while publishing',
    file: 'src/machines/post-machine.ts',
    from: "on: { RESTORED: { target: 'verifying', actions: 'clearWake' } },",
    to: 'on: {},',
    tests: ['test/engine/fault-points.test.ts'],
    filter: 'image',
  },
  {
    name: 'publish before FINISHED',
    file: 'src/machines/container-machine.ts',
    from: "isFinished: ({ event }) => statusOf(event)?.statusCode === 'FINISHED',",
    to: "isFinished: ({ event }) => statusOf(event)?.statusCode === 'FINISHED' || statusOf(event)?.statusCode === 'IN_PROGRESS',",
    tests: ['test/engine/fault-points.test.ts'],
    filter: 'reel',
  },
  {
    name: 'no checkpoint before media_publish',
    file: 'src/effects/publish-container.ts',
    from: "    { checkpoint: 'publish' },\n  );",
    to: "    { checkpoint: false },\n  );",
    tests: ['test/engine/fault-points.test.ts'],
    filter: 'image',
  },
  {
    name: 'the quota check skipped',
    file: 'src/machines/post-machine.ts',
    from: "quotaAllows: ({ event }) => event.type === 'xstate.done.actor.checkQuota' && event.output.ok,",
    to: 'quotaAllows: () => true,',
    tests: ['test/engine/limits.test.ts'],
    filter: '150 posts',
  },
  {
    name: 'caption sent on carousel children',
    file: 'src/spec/graph-params.ts',
    from: 'const children = spec.items.map(carouselChild);',
    to: 'const children = spec.items.map((item) => ({ ...carouselChild(item), params: { ...carouselChild(item).params, caption: spec.caption } }));',
    tests: ['test/engine/fault-points.test.ts'],
    filter: 'carousel',
  },
  {
    name: 'an expired container reused',
    file: 'src/machines/container-machine.ts',
    from: "{ guard: 'isExpired', target: '#container.expired' },",
    to: "{ guard: 'isExpired', target: '#container.finished' },",
    tests: ['test/engine/fault-points.test.ts'],
    filter: 'image',
  },
  {
    name: 'a generic ERROR treated as fatal at once',
    file: 'src/machines/container-machine.ts',
    from: "if (error.errorClass === 'unknown') return context.genericErrors < context.limits.genericErrors;",
    to: "if (error.errorClass === 'unknown') return false;",
    tests: ['test/engine/guarantees.test.ts'],
  },
  {
    name: "a dead holder's lease waited out",
    file: 'src/engine/lease-owner.ts',
    from: 'return host === hostname() && Number.isInteger(n) && n > 0 && n !== process.pid && !processIsAlive(n);',
    to: 'return false && host === hostname() && Number.isInteger(n) && n > 0 && n !== process.pid && !processIsAlive(n);',
    tests: ['test/engine/fault-points.test.ts'],
    filter: 'image',
  },
  {
    name: '`data[0]` taken as the media id',
    file: 'src/effects/recover-media-id.ts',
    from: '    map((items: readonly MediaItem[]) =>\n      items\n',
    to: '    map((items: readonly MediaItem[]) =>\n      items.slice(0, 1)\n',
    tests: ['test/engine/guarantees.test.ts'],
  },
  {
    name: "the runner's poll unit ignored",
    file: 'src/engine/engine.ts',
    from: 'enginePolling({ ...options, unitMs: options.pollIntervalMs ?? engineDefaults.pollIntervalMs,',
    to: 'enginePolling({ ...options, unitMs: engineDefaults.pollIntervalMs,',
    tests: ['test/engine/guarantees.test.ts'],
  },
  {
    name: "a stale holder's write accepted (lease token unchecked)",
    file: 'src/adapters/lease-rules.ts',
    from: "  if (stored.lease?.token !== claim.lease.token) throw new LeaseLostError(postId, stored.lease ? `it is held by ${stored.lease.owner}` : 'its lease was given up');\n",
    to: '',
    tests: ['test/adapters/memory-store.test.ts', 'test/adapters/file-store.test.ts'],
  },
  {
    name: 'journal: a save acknowledged before its frame is fsynced',
    file: 'src/adapters/fs/journal-writer.ts',
    from: 'await Promise.all([durability.file(fd, true), file.named ? undefined : durability.dir(dir)]);',
    to: 'void Promise.all([durability.file(fd, true), file.named ? undefined : durability.dir(dir)]).catch(() => undefined);',
    tests: ['test/adapters/journal/writer.test.ts'],
    filter: 'resolves only once its frame is fsynced',
  },
  {
    name: 'journal: frame checksums not verified',
    file: 'src/adapters/fs/journal-frame.ts',
    from: "return crc32(payload) === bytes.readUInt32LE(at + 8) ? undefined : 'a frame whose checksum does not match its bytes';",
    to: 'return undefined;',
    tests: ['test/adapters/journal/frames.test.ts', 'test/adapters/file-journal.test.ts'],
  },
  {
    name: 'a new post never checkpointed after its first effect',
    file: 'src/engine/post-runner.ts',
    from: "if (kind.kind === 'work') this.pristine = false;",
    to: 'if (Number.isNaN(0)) this.pristine = false;',
    tests: ['test/engine/fault-points.test.ts'],
    filter: 'image',
  },
  {
    name: 'an interrupted upload sent again from byte 0',
    file: 'src/effects/upload-video.ts',
    from: 'offset: Math.min(await graph.uploadedBytes(input.containerId, { signal }), file.size)',
    to: 'offset: 0 * Math.min(await graph.uploadedBytes(input.containerId, { signal }), file.size)',
    tests: ['test/engine/upload.test.ts'],
    filter: 'midway',
  },
  {
    name: 'a changed video file uploaded anyway',
    file: 'src/effects/upload-video.ts',
    from: '  if (!check.ok) throw new VideoFileError(check.problem);',
    to: '  if (!check.ok && check.problem.includes("never")) throw new VideoFileError(check.problem);',
    tests: ['test/engine/upload.test.ts'],
    filter: 'changed',
  },
  {
    name: 'a resumable container polled without its upload',
    file: 'src/machines/container-machine.ts',
    from: "{ guard: 'needsUpload', target: '#container.uploading', actions: 'recordCreated' },",
    to: "{ guard: 'needsUpload', target: '#container.polling', actions: 'recordCreated' },",
    tests: ['test/engine/upload.test.ts'],
    filter: 'one container, its bytes intact',
  },
  {
    name: 'a media Instagram would refuse stored and sent anyway',
    file: 'src/engine/intake.ts',
    from: 'if (media.issues.length > 0) throw new InvalidMedia(media.issues);',
    to: 'if (media.issues.length < 0) throw new InvalidMedia(media.issues);',
    tests: ['test/engine/media-checks.test.ts'],
    filter: 'PNG feed image',
  },
  {
    name: 'the inspector connection left open by shutdown (the app never exits)',
    file: 'src/engine/engine.ts',
    from: '      inspector?.stop();\n',
    to: '',
    tests: ['test/engine/stately-inspector.test.ts'],
    filter: "README's snippet",
  },
  {
    name: 'a late inspector viewer finds no registration in the replay',
    file: 'src/engine/stately-feed.ts',
    from: 'if (this.live.size > 0 && this.sinceKeyframe >= Math.max(window - this.live.size, Math.floor(window / 2))) this.keyframe();',
    to: 'if (this.live.size < 0) this.keyframe();',
    tests: ['test/engine/stately-inspector.test.ts'],
    filter: 'connects late',
  },
  {
    name: 'an inspector reconnection registers nothing',
    file: 'src/engine/stately-feed.ts',
    from: '  resync(): void {\n    this.keyframe();\n  }',
    to: '  resync(): void {}',
    tests: ['test/engine/stately-inspector.test.ts'],
    filter: 'server restarts',
  },
  {
    name: 'inline guards dropped from the inspector charts',
    file: 'src/engine/sanitize-inspection.ts',
    from: "    if (typeof value === 'function') {\n      const fn",
    to: "    if (typeof value === 'function') {\n      return undefined;\n      const fn",
    tests: ['test/machines/inspection.test.ts'],
    filter: 'equals the machine',
  },
  {
    name: 'watch view open to the network without a token',
    file: 'src/watch/watch-options.ts',
    from: 'if (!isLoopback(parsed.data.host) && parsed.data.token === undefined) {',
    to: 'if (false) {',
    tests: ['test/watch/watch-server.test.ts'],
  },
  {
    name: 'watch data served without the bearer token',
    file: 'src/watch/request-gate.ts',
    from: "return sameSecret(given, token) ? undefined : { status: 401, reason: 'this view needs its watch token' };",
    to: 'return undefined;',
    tests: ['test/watch/watch-server.test.ts'],
  },
  {
    name: 'comment posted again without reading the comments first',
    file: 'src/machines/comment-machine.ts',
    from: "on: { RESTORED: { target: 'checking' } },",
    to: "on: { RESTORED: { target: 'posting', reenter: true } },",
    tests: ['test/engine/fault-points.test.ts'],
    filter: 'first comment',
  },
  {
    name: 'a container that outlived a wait published anyway',
    file: 'src/machines/post-machine.ts',
    from: "{ guard: and(['quotaAllows', 'containerOutlived']), target: 'preparing', actions: ['recordQuota', 'forgetOutlivedContainers'] },",
    to: '',
    tests: ['test/engine/limits.test.ts'],
    filter: 'quota wait outlasts',
  },
  {
    name: 'idle workers look at once for a post parked for later',
    file: 'src/adapters/postgres/store-sql.ts',
    from: "pg_notify($${param}, coalesce(wake_at::text, ''))",
    to: "pg_notify($${param}, '')",
    tests: ['test/engine/pg-idle.test.ts'],
  },
  {
    name: 'brake not shared: a worker ignores the block another worker raised in the store',
    file: 'src/engine/shared-brakes.ts',
    from: '    gateOf(state.key)?.learn(state);',
    to: '    void state;',
    tests: ['test/engine/shared-brake.test.ts'],
  },
  {
    name: 'quota reservation not atomic: takeSlot counts without the account lock',
    file: 'src/adapters/postgres/slot-transaction.ts',
    from: '      `SELECT pg_advisory_xact_lock(hashtext(${pg.escapeLiteral(schema)}), hashtext(${account}))`,',
    to: "      'SELECT 1',",
    tests: ['test/adapters/postgres-store.test.ts'],
    filter: 'slots',
  },
  {
    name: 'quota reservation not atomic, end to end: three PostgreSQL workers whose checks race',
    file: 'src/adapters/postgres/slot-transaction.ts',
    from: '      `SELECT pg_advisory_xact_lock(hashtext(${pg.escapeLiteral(schema)}), hashtext(${account}))`,',
    to: "      'SELECT 1',",
    tests: ['test/engine/shared-quota.test.ts'],
    filter: 'postgres',
  },
  {
    name: "file store slot taken without the account's ledger lock",
    file: 'src/adapters/fs/file-ledger.ts',
    from: 'return ctx.lockedFile(layout.ledgerLockFile(request.account), request.postId',
    to: 'return ctx.lockedFile(layout.ledgerLockFile(request.postId), request.postId',
    tests: ['test/adapters/file-store.test.ts', 'test/engine/shared-quota.test.ts'],
    filter: 'slot|file:',
  },
  {
    name: 'quota reservations of other workers not counted (memory store)',
    file: 'src/adapters/memory-store.ts',
    from: 'reservations.filter((r) => countsAgainst(r, request)).length',
    to: '0',
    tests: ['test/engine/shared-quota.test.ts'],
  },
  {
    name: 'container budget not counted: creates go without a slot',
    file: 'src/effects/create-container.ts',
    from: '      const slot = (await deps.containerSlot?.(input.account, input.postId)) ?? { ok: true };',
    to: '      const slot = { ok: true } as const;',
    tests: ['test/engine/container-budget.test.ts'],
  },
  {
    name: 'cancel not checked at the pre-publish checkpoint',
    file: 'src/effects/publish-container.ts',
    from: "    { checkpoint: 'publish' },\n  );",
    to: "    { checkpoint: false },\n  );",
    tests: ['test/engine/cancel-states.test.ts'],
    filter: 'image',
  },
  {
    name: 'cancel allowed after media_publish sent',
    file: 'src/manage/too-late.ts',
    from: "return post.publishingSince === undefined ? undefined : 'publishing';",
    to: 'return undefined;',
    tests: ['test/engine/cancel-states.test.ts'],
    filter: 'image',
  },
  {
    name: 'the pre-publish checkpoint leaves the post unmarked',
    file: 'src/engine/post-runner.ts',
    from: 'const mark = this.publishing && this.claim.post.publishingSince === undefined ? { publishingSince: this.ctx.clock.now() } : {};',
    to: 'const mark = {};',
    tests: ['test/engine/cancel-states.test.ts'],
    filter: 'image',
  },
  {
    name: 'reschedule keeping expired containers',
    file: 'src/machines/post-machine.ts',
    from: "containerLivesAtNewTime: ({ context, event }) => event.type === 'RESCHEDULE' && context.container !== undefined && containerUsableAt(context.container.createdAt, event.publishAt),",
    to: "containerLivesAtNewTime: ({ context, event }) => event.type === 'RESCHEDULE' && context.container !== undefined,",
    tests: ['test/engine/manage.test.ts'],
  },
  {
    name: 'a reschedule not told to the restored machine',
    file: 'src/engine/post-runner.ts',
    from: "if (!this.done && 'snapshot' in begin && post.publishAt !== undefined) actor.send(",
    to: "if (false && post.publishAt !== undefined) actor.send(",
    tests: ['test/engine/manage.test.ts'],
  },
  {
    name: 'outbox: PostgreSQL finish without its outbox row',
    file: 'src/adapters/postgres/migrations.ts',
    from: "WHEN (OLD.status = 'active' AND NEW.status <> 'active') EXECUTE FUNCTION",
    to: 'WHEN (false) EXECUTE FUNCTION',
    tests: ['test/adapters/postgres-store.test.ts'],
    filter: 'outbox',
  },
  {
    name: 'outbox: file store marker written after the finish commits',
    file: 'src/adapters/fs/file-queue.ts',
    from: 'if (finishes(current, next)) await writeOutboxMarker(ctx, next, assertLocked);\n      if (changes !== undefined) await ctx.journal.append(next, assertLocked);',
    to: 'if (changes !== undefined) await ctx.journal.append(next, assertLocked);\n      if (finishes(current, next)) await writeOutboxMarker(ctx, next, assertLocked);',
    tests: ['test/adapters/file-store.test.ts'],
    filter: 'outbox',
  },
  {
    name: 'outbox: memory store finish without its entry',
    file: 'src/adapters/memory-store.ts',
    from: 'if (finishes(current, next)) outbox.record(next, next.updatedAt);',
    to: '',
    tests: ['test/adapters/memory-store.test.ts'],
    filter: 'outbox',
  },
  {
    name: 'outbox: a delivery leased to two deliverers at once',
    file: 'src/adapters/outbox-rules.ts',
    from: '(state.lease === undefined || state.lease.until <= now)',
    to: 'true',
    tests: ['test/adapters/memory-store.test.ts', 'test/adapters/file-store.test.ts'],
    filter: 'outbox',
  },
  {
    name: 'outbox: PostgreSQL delivery claim ignores live leases',
    file: 'src/adapters/postgres/outbox-sql.ts',
    from: 'AND (lease_until IS NULL OR lease_until <= $1)',
    to: '',
    tests: ['test/adapters/postgres-store.test.ts'],
    filter: 'outbox',
  },
  {
    name: 'outbox: PostgreSQL follower misses an entry that committed late',
    file: 'src/adapters/postgres/pg-outbox-follow.ts',
    from: 'if (seq !== undefined && seq <= cursor && !told.has(seq)) late.add(seq);',
    to: '',
    tests: ['test/adapters/postgres-store.test.ts'],
    filter: 'committed after',
  },
  {
    name: 'outbox: prune removes an undelivered entry (memory and file rule)',
    file: 'src/adapters/outbox-rules.ts',
    from: 'state.deliveredAt !== undefined && at < before',
    to: 'at < before',
    tests: ['test/adapters/memory-store.test.ts', 'test/adapters/file-store.test.ts'],
    filter: 'prune',
  },
  {
    name: 'outbox: file store prune removes an undelivered entry',
    file: 'src/adapters/fs/file-outbox.ts',
    from: 'if (state === undefined || !prunable(state, marker.at, before)) return false;',
    to: 'if (state === undefined) return false;',
    tests: ['test/adapters/file-store.test.ts'],
    filter: 'prune',
  },
  {
    name: 'outbox: PostgreSQL prune removes an undelivered entry',
    file: 'src/adapters/postgres/outbox-sql.ts',
    from: 'WHERE delivered_at IS NOT NULL AND at < $1',
    to: 'WHERE at < $1',
    tests: ['test/adapters/postgres-store.test.ts'],
    filter: 'prune',
  },
  {
    name: 'outbox: PostgreSQL follower waits for the next notification after a failed read',
    file: 'src/adapters/postgres/pg-outbox-follow.ts',
    from: 'if (!stopped) retry = options.clock.schedule(',
    to: 'if (stopped) retry = options.clock.schedule(',
    tests: ['test/adapters/postgres-store.test.ts'],
    filter: 'a follower whose read after a notification',
  },
  {
    name: 'outbox: PostgreSQL follower forgets a late seq when its read fails',
    file: 'src/adapters/postgres/pg-outbox-follow.ts',
    from: '      const also = [...late];\n',
    to: '      const also = [...late];\n      late.clear();\n',
    tests: ['test/adapters/postgres-store.test.ts'],
    filter: 'committed late fails',
  },
  {
    name: 'webhook delivery marked done before a 2xx',
    file: 'src/webhooks/webhook-deliverer.ts',
    from: 'if (result.ok) {',
    to: 'if (result.ok || claim.attempts >= 0) {',
    tests: ['test/outcomes/webhooks.test.ts'],
    filter: 'memory',
  },
  {
    name: 'webhook retried without backoff',
    file: 'src/webhooks/webhook-deliverer.ts',
    from: 'const nextAt = clock.now() + retryDelayMs(settings, failed);',
    to: 'const nextAt = clock.now();',
    tests: ['test/outcomes/webhooks.test.ts'],
    filter: 'memory',
  },
  {
    name: 'webhook signature not over the timestamp',
    file: 'src/webhooks/webhook-signature.ts',
    from: '.update(`${timestamp}.${body}`, \'utf8\')',
    to: '.update(body, \'utf8\')',
    tests: ['test/outcomes/webhooks.test.ts'],
    filter: 'memory',
  },
  {
    name: 'file store brakes: a cached read hides a brake another process raised (brakes.json told apart by size and mtime only)',
    file: 'src/adapters/fs/cached-json.ts',
    from: 'a.ino === b.ino && a.dev === b.dev && a.size === b.size && a.mtimeNs === b.mtimeNs && a.ctimeNs === b.ctimeNs',
    to: 'a.size === b.size && a.mtimeNs === b.mtimeNs',
    tests: ['test/adapters/file-brakes.test.ts'],
  },
  {
    name: 'file store brakes: read once, never again',
    file: 'src/adapters/fs/cached-json.ts',
    from: 'if (held !== undefined && now !== undefined && sameVersion(held.stats, now)) return held.value;',
    to: 'if (held !== undefined) return held.value;',
    tests: ['test/adapters/file-brakes.test.ts'],
  },
  {
    name: 'outbox: file store claims the newest entries first',
    file: 'src/adapters/fs/file-outbox.ts',
    from: 'return found.sort((a, b) => a.at - b.at ||',
    to: 'return found.sort((a, b) => b.at - a.at ||',
    tests: ['test/adapters/file-store.test.ts'],
    filter: 'outbox',
  },
  {
    name: 'outbox: file store claims past the limit',
    file: 'src/adapters/fs/file-outbox.ts',
    from: '        if (claims.length >= request.limit) break;\n',
    to: '',
    tests: ['test/adapters/file-store.test.ts'],
    filter: 'outbox',
  },
  {
    name: 'outbox: file store wakes for a marker whose post is not finished',
    file: 'src/adapters/fs/file-outbox.ts',
    from: 'if ((await entryOfMarker(marker)) !== undefined) return at;',
    to: 'return at;',
    tests: ['test/adapters/file-store.test.ts'],
    filter: 'outbox',
  },
];

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
// node_modules is linked below, not copied (a worktree's own may be a symlink, which .gitignore's `node_modules/` does not match)
const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard'], { cwd: root, encoding: 'utf8' })
  .split('\n')
  .filter((file) => file !== '' && file !== 'node_modules');
const scratch = mkdtempSync(join(tmpdir(), 'igflow-mutants-'));
for (const file of files) {
  mkdirSync(dirname(join(scratch, file)), { recursive: true });
  cpSync(join(root, file), join(scratch, file));
}
symlinkSync(join(root, 'node_modules'), join(scratch, 'node_modules'));

const only = process.argv.slice(2).join(' ');
type Verdict = 'killed' | 'survived' | 'broke the build';
const rows: Array<{ name: string; tests: string; verdict: Verdict; seconds: number }> = [];

/** Killed only when tests ran and failed: a mutant that does not even load kills nothing. */
function verdictOf(status: number | null, output: string): Verdict {
  if (status === 0) return 'survived';
  const plain = output.replaceAll(String.fromCharCode(27), '').replace(/\[[0-9;]*m/g, '');
  return /Tests\s+.*\d+ failed/.test(plain) ? 'killed' : 'broke the build';
}
try {
  for (const mutant of mutants.filter((m) => only === '' || m.name.includes(only))) {
    const path = join(scratch, mutant.file);
    const original = readFileSync(path, 'utf8');
    const count = original.split(mutant.from).length - 1;
    if (count !== 1) throw new Error(`mutant "${mutant.name}": expected the text once in ${mutant.file}, found it ${count} times`);
    writeFileSync(path, original.replace(mutant.from, mutant.to));
    const started = Date.now();
    try {
      if (mutant.build) execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: scratch, stdio: 'ignore' });
      const args = ['vitest', 'run', ...mutant.tests, ...(mutant.filter ? ['-t', mutant.filter] : [])];
      const run = spawnSync('npx', args, { cwd: scratch, encoding: 'utf8', timeout: 600_000 });
      const verdict = verdictOf(run.status, `${run.stdout}${run.stderr}`);
      rows.push({ name: mutant.name, tests: `${mutant.tests.join(', ')}${mutant.filter ? ` (-t ${mutant.filter})` : ''}`, verdict, seconds: Math.round((Date.now() - started) / 1000) });
    } finally {
      writeFileSync(path, original);
    }
    const last = rows.at(-1)!;
    process.stdout.write(`${last.verdict === 'killed' ? 'killed' : last.verdict.toUpperCase()}: ${last.name} (${last.seconds} s)\n`);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

const width = Math.max(...rows.map((r) => r.name.length), 6);
const testsWidth = Math.max(...rows.map((r) => r.tests.length), 9);
process.stdout.write(`\n${'mutant'.padEnd(width)}  ${'tests run'.padEnd(testsWidth)}  verdict\n${'-'.repeat(width)}  ${'-'.repeat(testsWidth)}  --------\n`);
for (const row of rows) process.stdout.write(`${row.name.padEnd(width)}  ${row.tests.padEnd(testsWidth)}  ${row.verdict}\n`);
const survived = rows.filter((r) => r.verdict !== 'killed').length;
process.stdout.write(`\n${rows.length - survived} of ${rows.length} mutants killed${survived > 0 ? `; ${survived} not killed` : ''}.\n`);
process.exit(survived > 0 ? 1 : 0);
