import { publishesOf } from '../ledger-order.js';
import type { PublishLedger } from '../store.js';
import { ledgerAppender, readLedgerFile } from './ledger-file.js';
import type { FileStoreContext } from './store-context.js';

/** The PublishLedger of a file store: one JSON Lines file per account (ledger-file.ts), and how to close the files it keeps open. */
export function fileLedger(ctx: FileStoreContext): { readonly ledger: PublishLedger; close(): Promise<void> } {
  const appender = ledgerAppender(ctx.durability);
  return {
    ledger: {
      async recordPublish(entry) {
        await ctx.ready();
        await appender.append(ctx.layout.ledgerFile(entry.account), entry);
      },
      async publishesSince(account, since) {
        return publishesOf(await readLedgerFile(ctx.layout.ledgerFile(account)), account, since);
      },
    },
    close: () => appender.close(),
  };
}
