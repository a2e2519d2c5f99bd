import { allTargets, POST_BODY } from '../frameworks.ts';
import type { Scenario } from '../scenario.ts';

const scenario: Scenario = {
  name: 'validated-post',
  description: 'POST /echo with a JSON body: content-type check, JSON parse, valibot validation, JSON response.',
  request: { method: 'POST', path: '/echo', headers: { 'content-type': 'application/json' }, body: POST_BODY },
  expectStatus: 200,
  targets: allTargets,
};
export default scenario;
