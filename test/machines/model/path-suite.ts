import { afterAll, describe, expect, it } from 'vitest';
import type { AnyStateMachine } from 'xstate';
import { Coverage } from './coverage.js';
import type { Variant } from './directive.js';
import { PathWorld, type PathConfig } from './harness.js';
import { generatePaths, type PathOptions } from './paths.js';
import { judge } from '../../../src/sim/oracle.js';

/** One starting point of a machine: how to explore it and how to run its paths. */
export interface PathCase {
  readonly name: string;
  /** The input the graph traversal starts from. */
  readonly input: unknown;
  /** How a run builds its world and input (may differ from `input`, e.g. real container ids). */
  readonly run: PathConfig;
}

/** How a machine's paths are generated and checked. */
export interface PathSuite {
  /** The machine under test (its coverage is what must be complete). */
  readonly machine: AnyStateMachine;
  /** Nested machines whose coverage the runs also record. */
  readonly nested?: readonly AnyStateMachine[];
  readonly variants: readonly Variant[];
  readonly counters: PathOptions['counters'];
  readonly realistic?: PathOptions['realistic'];
  readonly cases: readonly PathCase[];
  /** For carousels, whose failing item may leave a sibling's directives unused. */
  readonly leftoverAllowed?: (output: unknown) => boolean;
}

/**
 * Generates every case's paths and runs each as a test against the real
 * effects and the simulator: the run must follow its path state by state,
 * use up its directives, record no violation and name only media that are
 * its own. Afterwards, prints how many paths ran and the coverage, and
 * fails when a state or a transition of the machine was never taken.
 */
export function describePaths(suite: PathSuite): void {
  const id = suite.machine.id;
  const coverage = new Coverage([suite.machine, ...(suite.nested ?? [])]);
  let ran = 0;
  let judged = 0;
  describe(`${id} machine: generated paths against the simulator`, () => {
    for (const pathCase of suite.cases) {
      const set = generatePaths(suite.machine, { input: pathCase.input, variants: suite.variants, counters: suite.counters, realistic: suite.realistic });
      describe(`${pathCase.name}: ${set.paths.length} paths (candidates: ${set.shortest} shortest, ${set.edges} transition-cover, ${set.simple} simple)`, () => {
        for (const path of set.paths) {
          it(path.name || '(no events)', async () => {
            const world = await PathWorld.start(pathCase.run, path.directives);
            try {
              const result = await world.run(coverage);
              expect(result.problems).toEqual([]);
              expect(result.states).toEqual(path.states);
              expect(result.sim.record.violations).toEqual([]);
              // the oracle's verdict: what Instagram saw, whatever the path expected
              expect(judge(result.sim.record)).toEqual([]);
              judged += 1;
              if (!suite.leftoverAllowed?.(result.output)) expect(result.leftover).toEqual([]);
              ran += 1;
            } finally {
              await world.close();
            }
          });
        }
      });
    }

    afterAll(() => {
      const report = coverage.of(id);
      if (report.transitions.missing.length > 0 || report.states.missing.length > 0) console.log(`${id} machine: not covered: ${[...report.states.missing, ...report.transitions.missing].join(", ")}`);
      console.log(`${id} machine: ${ran} paths ran; states ${report.states.seen}/${report.states.total}, transitions ${report.transitions.seen}/${report.transitions.total}; oracle: ${judged} runs judged, 0 violations`);
      expect(report.states.missing).toEqual([]);
      expect(report.transitions.missing).toEqual([]);
    });
  });
}
