import { describe, expect, it } from 'vitest';
import { and_, Controller, Get, type Rule, Secured } from '../../src/index.ts';
import { mintInternalToken } from '../../src/testing/index.ts';
import { bearer, HS_ISSUER, HS_KEY, req, secureApp } from './helpers.ts';

// a rule that forgot its `return`: broken, not a denial
const forgot = (() => undefined) as unknown as Rule;
const forgotLater = (async () => undefined) as unknown as Rule;

@Controller('/v')
class VerdictController {
  @Get('/top')
  @Secured(forgot)
  top() {
    return { ok: true };
  }

  @Get('/top-async')
  @Secured(forgotLater)
  topAsync() {
    return { ok: true };
  }

  @Get('/wrapped')
  @Secured(and_(forgot))
  wrapped() {
    return { ok: true };
  }
}

describe('a rule whose verdict is not a boolean', () => {
  it('is a failure (403, "security rule failed"), at the top as inside a combinator, even with IGNORE_JWT_VALIDATION', async () => {
    const { app, logger } = secureApp([VerdictController], { IGNORE_JWT_VALIDATION: 'true' });
    const token = await mintInternalToken({ key: HS_KEY, issuer: HS_ISSUER });
    for (const path of ['/v/top', '/v/top-async', '/v/wrapped']) {
      const res = await app.fetch(req(path, { ...bearer(token), 'x-request-id': `req${path.replaceAll('/', '-')}` }));
      expect(res.status, path).toBe(403);
      const failed = logger.lines.filter(
        (l) => l.message === 'security rule failed' && l.fields?.requestId === `req${path.replaceAll('/', '-')}`,
      );
      expect(failed, path).toHaveLength(1);
      expect(String(failed[0].fields?.error), path).toMatch(/returned undefined, not a boolean/);
    }
    expect(logger.lines.filter((l) => l.message.startsWith('IGNORE_JWT_VALIDATION'))).toEqual([]);
  });
});
