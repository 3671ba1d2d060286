import { z } from 'zod';
import { publishesOf } from '../ledger-order.js';
import { countsAgainst, decideSlot } from '../slot-rules.js';
import type { PublishLedger } from '../store.js';
import { writeFileVisible } from './atomic-file.js';
import { ledgerAppender, readLedgerFile } from './ledger-file.js';
import { readJson } from './small-file.js';
import type { FileStoreContext } from './store-context.js';

const Reservations = z.array(z.object({ account: z.string(), postId: z.string(), until: z.number() }));
type Reservations = z.infer<typeof Reservations>;

/**
 * The PublishLedger of a file store: one JSON Lines file per account for
 * its publishes (ledger-file.ts) and one for its container creations, and
 * a small JSON file of its publishes under way. Taking a slot and
 * recording a publish run under the account's ledger lock
 * (`ledger/<account>.lock`, held across processes), so the count, the
 * decision and the write are one operation for every worker on the machine.
 */
export function fileLedger(ctx: FileStoreContext): PublishLedger {
  const appender = ledgerAppender(ctx.durability);
  const { layout } = ctx;
  // a damaged file of reservations only forgets publishes under way for a few minutes at most: the ledger and Instagram still count
  const readReservations = async (account: string): Promise<Reservations> => (await readJson(layout.reservationsFile(account), Reservations)) ?? [];
  /** Not fsynced: a reservation lives minutes, and a power loss ends the publishes it stands for. */
  const writeReservations = (account: string, kept: Reservations, assertLocked?: () => void) => writeFileVisible(layout.reservationsFile(account), JSON.stringify(kept), assertLocked);
  return {
    recordPublish(entry) {
      return ctx.lockedFile(layout.ledgerLockFile(entry.account), entry.postId, async () => {
        await appender.append(layout.ledgerFile(entry.account), entry);
        const reservations = await readReservations(entry.account);
        const kept = reservations.filter((r) => r.postId !== entry.postId);
        if (kept.length !== reservations.length) writeReservations(entry.account, kept);
      });
    },
    async publishesSince(account, since) {
      return publishesOf(await readLedgerFile(layout.ledgerFile(account)), account, since);
    },
    takeSlot(request) {
      return ctx.lockedFile(layout.ledgerLockFile(request.account), request.postId, async (assertLocked) => {
        const file = request.kind === 'publish' ? layout.ledgerFile(request.account) : layout.creationsFile(request.account);
        const entries = publishesOf(await readLedgerFile(file), request.account, request.now - request.windowMs);
        const reservations = request.kind === 'publish' ? await readReservations(request.account) : [];
        const answer = decideSlot(request, entries.map((e) => e.at), reservations.filter((r) => countsAgainst(r, request)).length);
        if (!answer.ok) return answer;
        assertLocked();
        if (request.kind === 'container') {
          await appender.append(file, { account: request.account, postId: request.postId, at: request.now });
        } else {
          const kept = reservations.filter((r) => r.until > request.now && r.postId !== request.postId);
          writeReservations(request.account, [...kept, { account: request.account, postId: request.postId, until: request.until }], assertLocked);
        }
        return answer;
      });
    },
  };
}
