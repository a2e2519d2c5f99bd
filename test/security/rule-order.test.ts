import { describe, expect, it } from 'vitest';
import {
  and_,
  Controller,
  field_in_body_matches_jwt_claim,
  key_present,
  or_,
  Post,
  type Rule,
  Secured,
  scopes_present,
} from '../../src/index.ts';
import { mintInternalToken } from '../../src/testing/index.ts';
import { bearer, expectJson, HS_ISSUER, HS_KEY, req, secureApp } from './helpers.ts';

const bodyRule = field_in_body_matches_jwt_claim('patient_id', 'patient_id');
const allow: Rule = () => true;
const deny: Rule = () => false;
const throwing: Rule = () => {
  throw new TypeError('rule bug');
};

// none of the handlers reads the body: a 400/415 can only come from a rule that read it
@Controller('/order')
class OrderController {
  @Post('/admin-or-owner')
  @Secured(or_(scopes_present('admin'), bodyRule))
  adminOrOwner() {
    return { ok: true };
  }

  @Post('/allow-or-throwing')
  @Secured(or_(allow, throwing))
  allowOrThrowing() {
    return { ok: true };
  }

  @Post('/throwing-or-allow')
  @Secured(or_(throwing, allow))
  throwingOrAllow() {
    return { ok: true };
  }

  @Post('/missing-and-owner')
  @Secured(and_(key_present('nope'), bodyRule))
  missingAndOwner() {
    return { ok: true };
  }

  @Post('/deny-and-throwing')
  @Secured(and_(deny, throwing))
  denyAndThrowing() {
    return { ok: true };
  }

  @Post('/allow-and-throwing')
  @Secured(and_(allow, throwing))
  allowAndThrowing() {
    return { ok: true };
  }
}

const admin = await mintInternalToken({ key: HS_KEY, issuer: HS_ISSUER, scopes: ['admin'], metadata: { patient_id: 'p-1' } });
const owner = await mintInternalToken({ key: HS_KEY, issuer: HS_ISSUER, metadata: { patient_id: 'p-1' } });

function post(path: string, token: string, contentType: string, body: string): Request {
  return req(path, { ...bearer(token), 'content-type': contentType }, { method: 'POST', body });
}

const verdictLines = (lines: { message: string }[]) => lines.filter((l) => l.message.startsWith('security rule')).map((l) => l.message);

describe('or_ and and_ stop at the first deciding rule, as the Python package does', () => {
  it('or_: an admin passes without the body rule reading a body that is not JSON', async () => {
    const { app } = secureApp([OrderController]);
    for (const [type, body] of [
      ['text/plain', 'hello'],
      ['application/json', '{bad'],
    ]) {
      expect(await expectJson(await app.fetch(post('/order/admin-or-owner', admin, type, body))), type).toEqual({
        status: 200,
        body: { ok: true },
      });
    }
  });

  it('or_: the body rule that is reached still answers a malformed body 400, and an owner passes on a good one', async () => {
    const { app } = secureApp([OrderController]);
    expect(await expectJson(await app.fetch(post('/order/admin-or-owner', owner, 'application/json', '{bad')))).toEqual({
      status: 400,
      body: { message: 'Malformed JSON in request body' },
    });
    expect((await app.fetch(post('/order/admin-or-owner', owner, 'application/json', '{"patient_id":"p-1"}'))).status).toBe(200);
    expect((await app.fetch(post('/order/admin-or-owner', owner, 'application/json', '{"patient_id":"p-2"}'))).status).toBe(403);
  });

  it('or_(allow, throwing) is 200: the throwing rule is never reached', async () => {
    const { app, logger } = secureApp([OrderController]);
    expect((await app.fetch(post('/order/allow-or-throwing', owner, 'application/json', '{}'))).status).toBe(200);
    expect(verdictLines(logger.lines)).toEqual([]);
  });

  it('or_(throwing, allow) is 403: a rule that is reached and throws fails closed', async () => {
    const { app, logger } = secureApp([OrderController]);
    expect(await expectJson(await app.fetch(post('/order/throwing-or-allow', owner, 'application/json', '{}')))).toEqual({
      status: 403,
      body: { message: 'Forbidden' },
    });
    expect(verdictLines(logger.lines)).toEqual(['security rule failed']);
  });

  it('and_: a missing claim denies with 403 before the body rule reads a malformed body (not 400)', async () => {
    const { app } = secureApp([OrderController]);
    expect(await expectJson(await app.fetch(post('/order/missing-and-owner', owner, 'application/json', '{bad')))).toEqual({
      status: 403,
      body: { message: 'Forbidden' },
    });
  });

  it('and_(deny, throwing) is a denial; and_(allow, throwing) reaches the throwing rule and fails closed', async () => {
    const { app, logger } = secureApp([OrderController]);
    expect((await app.fetch(post('/order/deny-and-throwing', owner, 'application/json', '{}'))).status).toBe(403);
    expect(verdictLines(logger.lines)).toEqual(['security rule denied the request']);
    logger.lines.length = 0;
    expect((await app.fetch(post('/order/allow-and-throwing', owner, 'application/json', '{}'))).status).toBe(403);
    expect(verdictLines(logger.lines)).toEqual(['security rule failed']);
  });
});
