import { PROVES_NOT_PUBLISHED, type ErrorClass, type GraphStep } from './error-class.js';
import { defaultCatalogue, type CatalogueEntry } from './catalogue.js';

/** What the catalogue says about one answer. */
export interface Classification {
  /** The class for the step that answered. */
  readonly errorClass: ErrorClass;
  /** The row's own class, before the step adjusted it (tells a throttle apart at media_publish). */
  readonly baseClass: ErrorClass;
  /** The matching row, or undefined when nothing matched (class `unknown`). */
  readonly entry: CatalogueEntry | undefined;
  readonly remedy: string;
}

/** The facts a classification looks at. */
export interface ErrorFacts {
  readonly code?: number | undefined;
  readonly subcode?: number | undefined;
  readonly httpStatus?: number | undefined;
  /** The call that answered; media_publish answers are judged more carefully. */
  readonly step: GraphStep;
  /** True when the subcode came from a container's ERROR status rather than an error envelope. */
  readonly fromStatus?: boolean;
}

/** Looks answers up in an error catalogue. */
export interface Classifier {
  classify(facts: ErrorFacts): Classification;
}

const UNKNOWN_REMEDY = 'Not in the catalogue: igflow retries a bounded number of times. Report the code, subcode and fbtrace_id.';

const codeMatches = (code: CatalogueEntry['code'], actual: number | undefined): boolean =>
  actual !== undefined && (typeof code === 'number' ? code === actual : code !== undefined && actual >= code[0] && actual <= code[1]);

/**
 * Builds a classifier over the caller's `extra` rows and the default
 * catalogue. The caller's rows are searched first, so any match there
 * overrides the defaults. Within a table the order is the one
 * docs/graph-api.md#look-up-order asks for: (code, subcode) pair, then subcode alone,
 * then code alone, then HTTP status (exact, then its round hundred);
 * nothing found is `unknown`.
 */
export function createClassifier(extra: readonly CatalogueEntry[] = []): Classifier {
  const tables = extra.length > 0 ? [extra, defaultCatalogue] : [defaultCatalogue];
  const lookup = (rows: readonly CatalogueEntry[], f: ErrorFacts): CatalogueEntry | undefined => {
    if (f.subcode !== undefined) {
      const pair = rows.find((r) => r.subcode === f.subcode && r.code !== undefined && codeMatches(r.code, f.code));
      const sub = pair ?? rows.find((r) => r.subcode === f.subcode);
      if (sub) return sub;
    }
    const byCode = rows.find((r) => r.subcode === undefined && r.httpStatus === undefined && codeMatches(r.code, f.code));
    if (byCode || f.httpStatus === undefined) return byCode;
    const status = f.httpStatus;
    return rows.find((r) => r.httpStatus === status) ?? rows.find((r) => r.httpStatus === status - (status % 100));
  };

  return {
    classify(facts) {
      const entry = tables.reduce<CatalogueEntry | undefined>((found, rows) => found ?? lookup(rows, facts), undefined);
      const baseClass: ErrorClass = entry?.errorClass ?? 'unknown';
      let errorClass = baseClass;
      if (facts.fromStatus && entry?.asStatus) errorClass = entry.asStatus;
      if (facts.step === 'publish') {
        errorClass = entry?.atPublish ?? (PROVES_NOT_PUBLISHED.has(errorClass) ? errorClass : 'ambiguous');
      }
      return { errorClass, baseClass, entry, remedy: entry?.remedy ?? UNKNOWN_REMEDY };
    },
  };
}

const SUBCODE_IN_TEXT = /\b(\d{7})\b/;

/**
 * Pulls the error subcode out of a container's `status` text, whatever its
 * form: a bare number ("2207026") or prose ("Error: Media upload has failed
 * with error code 2207026"). Undefined when the text holds no 7-digit number.
 */
export function subcodeFromStatus(status: string | undefined): number | undefined {
  const match = status === undefined ? null : SUBCODE_IN_TEXT.exec(status);
  return match ? Number(match[1]) : undefined;
}
