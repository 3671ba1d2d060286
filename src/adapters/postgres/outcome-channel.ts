import { createHash } from 'node:crypto';

/** The longest channel name PostgreSQL keeps. */
const MAX_NAME_BYTES = 63;

/**
 * The LISTEN/NOTIFY channel on which the outbox trigger of `schema`
 * announces every new entry (payload: its seq): `<schema>_outcomes`, or,
 * when that would be longer than PostgreSQL keeps, `igflow_outcomes_`
 * and a hash of the schema. Fixed by migration 6, so not an option.
 */
export function outcomeChannel(schema: string): string {
  const plain = `${schema}_outcomes`;
  if (Buffer.byteLength(plain, 'utf8') <= MAX_NAME_BYTES) return plain;
  return `igflow_outcomes_${createHash('sha256').update(schema, 'utf8').digest('hex').slice(0, 40)}`;
}

/** `text` as a SQL string literal. */
export const quoteLiteral = (text: string): string => `'${text.replaceAll("'", "''")}'`;
