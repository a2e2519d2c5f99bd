// The Python parser replaced metadata.locations with location_ids and never copied `locations`
// itself into the claims: a rule or handler reading claims.locations found nothing.
import { describe, expect, it } from 'vitest';
import { Controller, Get, key_present, Secured, Token, type TokenData } from '../../src/index.ts';
import { mintInternalToken } from '../../src/testing/index.ts';
import { bearer, expectJson, HS_ISSUER, HS_KEY, req, secureApp } from './helpers.ts';

@Controller('/loc')
class LocationsController {
  @Get('/present')
  @Secured(key_present('locations'))
  present() {
    return { allowed: true };
  }

  @Get('/claims')
  @Secured()
  claims(@Token() token: TokenData) {
    return { keys: Object.keys(token.claims).sort(), location_ids: token.claims.location_ids ?? null };
  }
}

const { app } = secureApp([LocationsController]);
const token = (metadata: Record<string, unknown>) => mintInternalToken({ key: HS_KEY, issuer: HS_ISSUER, metadata });

describe('metadata.locations', () => {
  it('becomes location_ids and is not itself a claim', async () => {
    const t = await token({ clinician_id: 'c-1', locations: [{ id: 'L1' }, { id: 'L2' }] });
    expect(await expectJson(await app.fetch(req('/loc/claims', bearer(t))))).toEqual({
      status: 200,
      body: { keys: ['clinician_id', 'iss', 'location_ids', 'raw', 'sub'], location_ids: ['L1', 'L2'] },
    });
  });

  it("key_present('locations') is refused with 403 even when the token has them", async () => {
    const t = await token({ locations: [{ id: 'L1' }] });
    expect(await expectJson(await app.fetch(req('/loc/present', bearer(t))))).toEqual({ status: 403, body: { message: 'Forbidden' } });
  });

  it('is left out when it is not a list too (no location_ids then)', async () => {
    const t = await token({ locations: 'L1' });
    expect(await expectJson(await app.fetch(req('/loc/claims', bearer(t))))).toEqual({
      status: 200,
      body: { keys: ['iss', 'raw', 'sub'], location_ids: null },
    });
  });
});
