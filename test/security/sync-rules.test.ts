import { describe, expect, it } from 'vitest';
import { syncHandler } from '../../src/app/sync-handler.ts';
import { and_, Controller, Get, key_present, match_keys, not_, or_, type Rule, Secured, scopes_present } from '../../src/index.ts';
import { mintInternalToken } from '../../src/testing/index.ts';
import { bearer, HS_ISSUER, HS_KEY, req, secureApp } from './helpers.ts';

const later: Rule = async () => true;

@Controller('/sync')
class SyncRulesController {
  @Get('/own/:patient_id')
  @Secured(and_(scopes_present('read'), or_(key_present('nope'), match_keys({ patient_id: 'patient_id' }))))
  own() {
    return { ok: true };
  }

  @Get('/not-system')
  @Secured(not_(key_present('system_id')))
  notSystem() {
    return { ok: true };
  }

  @Get('/later')
  @Secured(and_(scopes_present('read'), later))
  awaits() {
    return { ok: true };
  }
}

const reader = await mintInternalToken({ key: HS_KEY, issuer: HS_ISSUER, scopes: ['read'], metadata: { patient_id: 'p-1' } });

// Adapters (fetch-batteries/node) write a Response returned without a promise at once: a route whose
// rules are all synchronous keeps that path once the token is in the verified-token cache.
describe('synchronous rules keep a secured route synchronous', () => {
  const { app } = secureApp([SyncRulesController]);
  const handle = syncHandler(app.fetch);
  const get = (path: string) => req(path, bearer(reader));

  it('answers allowed and denied requests without a promise once the token is cached', async () => {
    // the first request verifies the token (a promise), later ones hit the cache
    expect((await app.fetch(get('/sync/own/p-1'))).status).toBe(200);
    for (const [path, status] of [
      ['/sync/own/p-1', 200],
      ['/sync/own/p-2', 403],
      ['/sync/not-system', 200],
    ] as const) {
      const out = handle(get(path));
      expect(out, path).toBeInstanceOf(Response);
      expect((out as Response).status, path).toBe(status);
    }
  });

  it('returns a promise, with the same verdict, where a rule awaits', async () => {
    expect((await app.fetch(get('/sync/later'))).status).toBe(200);
    const out = handle(get('/sync/later'));
    expect(out).toBeInstanceOf(Promise);
    expect((await out).status).toBe(200);
  });
});
