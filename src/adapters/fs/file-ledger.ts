import { publishesOf } from '../ledger-order.js';
import type { PublishLedger } from '../store.js';
import { appendLedgerEntry, readLedgerFile } from './ledger-file.js';
import type { FileStoreContext } from './store-context.js';

/** The PublishLedger of a file store: one JSON Lines file per account (ledger-file.ts). */
export function fileLedger(ctx: FileStoreContext): PublishLedger {
  return {
    async recordPublish(entry) {
      await ctx.ready();
      await appendLedgerEntry(ctx.layout.ledgerFile(entry.account), entry);
    },
    async publishesSince(account, since) {
      return publishesOf(await readLedgerFile(ctx.layout.ledgerFile(account)), account, since);
    },
  };
}
