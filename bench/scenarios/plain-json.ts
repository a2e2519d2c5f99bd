import { allTargets } from '../frameworks.ts';
import type { Scenario } from '../scenario.ts';

const scenario: Scenario = {
  name: 'plain-json',
  description: 'GET /hello -> {"message":"Hello, world"}: routing, response building and the per-request batteries, no work.',
  request: { method: 'GET', path: '/hello' },
  expectStatus: 200,
  targets: allTargets,
};
export default scenario;
