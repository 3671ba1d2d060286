/**
 * The entry of the simulator process {@link startSimProcess} forks: a Graph
 * API simulator with no quotas in the way, set up as its first argument (a
 * JSON {@link SimSetup}) says, by default with no processing delay and
 * immediate answers. It reports its record's counts on request. It runs
 * apart from the client under test, as Instagram would, so its CPU and
 * garbage stay out of the measured process.
 */
import type { Endpoint, FaultRuleInput, RequestEndpoint } from '../src/sim/simulator.js';
import { startSimulator } from '../src/sim/simulator.js';
import type { FromSim, SimCounts, SimPublished, SimSetup, ToSim } from './sim-messages.js';

const send = (message: FromSim): void => {
  process.send?.(message);
};

const setup = JSON.parse(process.argv[2] ?? '{}') as SimSetup;
const [minMs, maxMs] = setup.imageMs ?? [0, 0];
/** One `slow` rule per delayed endpoint, firing on every request (`Infinity` does not survive JSON, hence built here). */
const faults: FaultRuleInput[] = Object.entries(setup.delayMs ?? {}).map(([endpoint, delayMs]) => ({
  endpoint: endpoint as Endpoint,
  times: Infinity,
  fault: { type: 'slow', delayMs },
}));

const sim = await startSimulator({
  scenario: { processing: { imageMs: [minMs, maxMs] }, quotaTotal: 1_000_000_000, containerCap: 1_000_000_000, faults },
});

const counts = (): SimCounts => {
  const requests: Partial<Record<RequestEndpoint, number>> = {};
  for (const request of sim.record.requests) requests[request.endpoint] = (requests[request.endpoint] ?? 0) + 1;
  return { requests, totalRequests: sim.record.requests.length, publishes: sim.record.publishes.length, violations: sim.record.violations.length };
};

const published = (captionPrefix: string): SimPublished => {
  const captions: string[] = [];
  for (const publish of sim.record.publishes) {
    const caption = sim.record.container(publish.containerId)?.params.caption;
    if (typeof caption === 'string' && caption.startsWith(captionPrefix)) captions.push(caption);
  }
  return { publishes: captions.length, distinctCaptions: new Set(captions).size };
};

process.on('message', (message: ToSim) => {
  if (message.type === 'counts') send({ type: 'counts', counts: counts() });
  if (message.type === 'progress') send({ type: 'progress', progress: { totalRequests: sim.record.requests.length, publishes: sim.record.publishes.length } });
  if (message.type === 'published') send({ type: 'published', published: published(message.captionPrefix) });
  if (message.type === 'close') void sim.close().then(() => process.exit(0));
});
process.on('disconnect', () => void sim.close().then(() => process.exit(0)));
send({ type: 'ready', url: sim.url });
