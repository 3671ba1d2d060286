/**
 * The entry of the simulator process {@link startSimProcess} forks: a Graph
 * API simulator with no processing delay and no quotas in the way, reporting
 * its record's counts on request. It runs apart from the client under test,
 * as Instagram would, so its CPU and garbage stay out of the measured process.
 */
import type { RequestEndpoint } from '../src/sim/simulator.js';
import { startSimulator } from '../src/sim/simulator.js';
import type { FromSim, SimCounts, ToSim } from './sim-messages.js';

const send = (message: FromSim): void => {
  process.send?.(message);
};

const sim = await startSimulator({
  scenario: { processing: { imageMs: [0, 0] }, quotaTotal: 1_000_000_000, containerCap: 1_000_000_000 },
});

const counts = (): SimCounts => {
  const requests: Partial<Record<RequestEndpoint, number>> = {};
  for (const request of sim.record.requests) requests[request.endpoint] = (requests[request.endpoint] ?? 0) + 1;
  return { requests, totalRequests: sim.record.requests.length, publishes: sim.record.publishes.length, violations: sim.record.violations.length };
};

process.on('message', (message: ToSim) => {
  if (message.type === 'counts') send({ type: 'counts', counts: counts() });
  if (message.type === 'close') void sim.close().then(() => process.exit(0));
});
process.on('disconnect', () => void sim.close().then(() => process.exit(0)));
send({ type: 'ready', url: sim.url });
