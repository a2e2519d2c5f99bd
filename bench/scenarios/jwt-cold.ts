import type { Scenario } from '../scenario.ts';
import { honoJose, honoJoseKeyOnce, oursJwt, PATH, TOKEN } from './jwt.ts';

const scenario: Scenario = {
  name: 'jwt-cold',
  description:
    'The jwt scenario with our verified-token cache switched off (JWT_CACHE_TTL_SECONDS=0): every request runs jose, as a new token would.',
  request: { method: 'GET', path: PATH, headers: { authorization: `Bearer ${TOKEN}` } },
  expectStatus: 200,
  targets: async () => [oursJwt(false), honoJose(), honoJoseKeyOnce()],
};
export default scenario;
