import { describe, expect, it } from 'vitest';
import { and_, Controller, Get, match_keys, not_, Secured, scopes_present } from '../../src/index.ts';
import { mintInternalToken } from '../../src/testing/index.ts';
import { bearer, HS_ISSUER, HS_KEY, req, secureApp } from './helpers.ts';

@Controller('/n')
class NotController {
  // anyone but blocked callers, and only their own record
  @Get('/:patient_id')
  @Secured(and_(not_(scopes_present('blocked')), match_keys({ patient_id: 'patient_id' })))
  own() {
    return { ok: true };
  }
}

describe('scopes_present inside not_', () => {
  it('a caller refused by another rule is not said to miss the scope not_ wanted absent', async () => {
    const { app, logger } = secureApp([NotController]);
    const token = await mintInternalToken({ key: HS_KEY, issuer: HS_ISSUER, metadata: { patient_id: 'p-1' } });
    expect((await app.fetch(req('/n/p-1', bearer(token)))).status).toBe(200);
    expect((await app.fetch(req('/n/p-2', bearer(token)))).status).toBe(403);
    expect(logger.lines.filter((l) => l.message.startsWith('JWT is missing required scopes'))).toEqual([]);
    expect(logger.lines.filter((l) => l.message === 'security rule denied the request')).toHaveLength(1);
  });

  it('a blocked caller is refused, and no scope is said to be missing either', async () => {
    const { app, logger } = secureApp([NotController]);
    const token = await mintInternalToken({ key: HS_KEY, issuer: HS_ISSUER, scopes: ['blocked'], metadata: { patient_id: 'p-1' } });
    expect((await app.fetch(req('/n/p-1', bearer(token)))).status).toBe(403);
    expect(logger.lines.filter((l) => l.message.startsWith('JWT is missing required scopes'))).toEqual([]);
  });
});
