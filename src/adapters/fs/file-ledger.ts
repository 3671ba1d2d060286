import { publishesOf } from '../ledger-order.js';
import type { PublishLedger } from '../store.js';
import { ledgerAppender, readLedgerFile } from './ledger-file.js';
import type { FileStoreContext } from './store-context.js';

/** The PublishLedger of a file store: one JSON Lines file per account (ledger-file.ts). */
export function fileLedger(ctx: FileStoreContext): PublishLedger {
  const appender = ledgerAppender(ctx.durability);
  return {
    async recordPublish(entry) {
      await ctx.ready();
      await appender.append(ctx.layout.ledgerFile(entry.account), entry);
    },
    async publishesSince(account, since) {
      return publishesOf(await readLedgerFile(ctx.layout.ledgerFile(account)), account, since);
    },
  };
}
