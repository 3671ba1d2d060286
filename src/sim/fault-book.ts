import type { MediaKind, RequestEndpoint } from './endpoints.js';
import {
  FaultRuleSchema,
  isOutcomeFault,
  type FaultRule,
  type FaultRuleInput,
  type OutcomeFault,
  type ResponseFault,
} from './fault-schema.js';

/** What a fault rule can match a request on. */
export interface FaultContext {
  readonly endpoint: RequestEndpoint;
  readonly account: string | undefined;
  readonly kind?: MediaKind | undefined;
  readonly isCarouselItem?: boolean | undefined;
  readonly mediaType?: string | undefined;
}

interface ActiveRule {
  readonly rule: FaultRule;
  seen: number;
}

function matches(rule: FaultRule, ctx: FaultContext): boolean {
  return (
    rule.endpoint === ctx.endpoint &&
    (rule.account === undefined || rule.account === ctx.account) &&
    (rule.kind === undefined || rule.kind === ctx.kind) &&
    (rule.isCarouselItem === undefined || rule.isCarouselItem === ctx.isCarouselItem) &&
    (rule.mediaType === undefined || rule.mediaType === ctx.mediaType)
  );
}

/** Counts a match and says whether this is one of the rule's firing turns. */
function fires(active: ActiveRule): boolean {
  active.seen += 1;
  const { nth, times } = active.rule;
  return active.seen >= nth && active.seen - nth < times;
}

/**
 * The fault rules in force: the scenario's (replaced by `setScenario`) then
 * the injected ones. Every matching rule counts every match, so "the 2nd
 * publish" means the same thing whatever other rules exist.
 */
export class FaultBook {
  private scenarioRules: ActiveRule[] = [];
  private readonly injected: ActiveRule[] = [];

  /** Replaces the scenario's rules (counters start over). */
  setScenarioRules(rules: readonly FaultRule[]): void {
    this.scenarioRules = rules.map((rule) => ({ rule, seen: 0 }));
  }

  /** Adds a rule at run time; returns the function that removes it. */
  inject(input: FaultRuleInput): () => void {
    const active: ActiveRule = { rule: FaultRuleSchema.parse(input), seen: 0 };
    this.injected.push(active);
    return () => {
      const index = this.injected.indexOf(active);
      if (index >= 0) this.injected.splice(index, 1);
    };
  }

  /** The answer-deciding fault for this request, if a rule fires (the first one wins). */
  responseFault(ctx: FaultContext): ResponseFault | undefined {
    let chosen: ResponseFault | undefined;
    for (const active of this.all()) {
      const { fault } = active.rule;
      if (isOutcomeFault(fault) || !matches(active.rule, ctx)) continue;
      if (fires(active) && chosen === undefined) chosen = fault;
    }
    return chosen;
  }

  /** Every outcome fault that fires for a container just created by this request. */
  outcomeFaults(ctx: FaultContext): OutcomeFault[] {
    const chosen: OutcomeFault[] = [];
    for (const active of this.all()) {
      const { fault } = active.rule;
      if (!isOutcomeFault(fault) || !matches(active.rule, ctx)) continue;
      if (fires(active)) chosen.push(fault);
    }
    return chosen;
  }

  private all(): ActiveRule[] {
    return this.injected.length === 0 ? this.scenarioRules : [...this.scenarioRules, ...this.injected];
  }
}
