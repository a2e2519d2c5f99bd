import { describe, expect, it } from 'vitest';
import {
  and_,
  Body,
  Controller,
  field_in_body_matches_jwt_claim,
  Get,
  key_contains_value,
  key_present,
  match_keys,
  or_,
  Param,
  Post,
  Secured,
} from '../../src/index.ts';
import { mintInternalToken } from '../../src/testing/index.ts';
import { bearer, HS_ISSUER, HS_KEY, req, secureApp } from './helpers.ts';

let seenByRule: unknown;

@Controller('/rules')
class RulesController {
  @Get('/throws')
  @Secured(
    or_(
      () => {
        throw new Error('rule bug');
      },
      () => true,
    ),
  )
  throws() {
    return { ran: true };
  }

  @Get('/rejects')
  @Secured(async () => Promise.reject(new Error('async rule bug')))
  rejects() {
    return { ran: true };
  }

  @Get('/patients/:patient_id')
  @Secured(match_keys({ patient_id: 'patient_id' }))
  patient(@Param('patient_id') id: string) {
    return { id };
  }

  @Post('/body')
  @Secured(
    and_(field_in_body_matches_jwt_claim('patient_id', 'patient_id'), async (e) => {
      seenByRule = await e.body();
      return true;
    }),
  )
  body(@Body() body: unknown) {
    return { same: body === seenByRule };
  }
}

describe('rules on routes', () => {
  const { app } = secureApp([RulesController]);
  const token = (metadata: Record<string, unknown> = {}) => mintInternalToken({ key: HS_KEY, issuer: HS_ISSUER, metadata });

  it('a rule that throws fails closed with 403, also inside or_', async () => {
    const res = await app.fetch(req('/rules/throws', bearer(await token())));
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ message: 'Forbidden' });
  });

  it('a rule that rejects fails closed with 403', async () => {
    expect((await app.fetch(req('/rules/rejects', bearer(await token())))).status).toBe(403);
  });

  it('a throwing rule fails closed even with IGNORE_JWT_VALIDATION outside production', async () => {
    const { app: lax } = secureApp([RulesController], { IGNORE_JWT_VALIDATION: 'true' });
    expect((await lax.fetch(req('/rules/throws', bearer(await token())))).status).toBe(403);
  });

  it('match_keys sees the decoded path parameter, the same value the handler gets', async () => {
    const t = await token({ patient_id: 'a b/é' });
    const res = await app.fetch(req(`/rules/patients/${encodeURIComponent('a b/é')}`, bearer(t)));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ id: 'a b/é' });
    expect((await app.fetch(req('/rules/patients/other', bearer(t)))).status).toBe(403);
  });

  it('a rule reading the body and @Body see the same parsed object; the stream is read once', async () => {
    const t = await token({ patient_id: 'p-1' });
    const res = await app.fetch(
      req('/rules/body', bearer(t), {
        method: 'POST',
        body: JSON.stringify({ patient_id: 'p-1' }),
        headers: { 'content-type': 'application/json' },
      }),
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ same: true });
    const other = await app.fetch(
      req('/rules/body', bearer(t), {
        method: 'POST',
        body: JSON.stringify({ patient_id: 'p-2' }),
        headers: { 'content-type': 'application/json' },
      }),
    );
    expect(other.status).toBe(403);
  });
});

describe('stacked @Secured (class and method, or two on one method)', () => {
  @Controller('/stacked')
  @Secured(key_present('patient_id'))
  class Stacked {
    // the class rule and the method's issuer limit both apply
    @Get('/issuer-only')
    @Secured(undefined, { issuers: ['internal'] })
    issuerOnly() {
      return { ok: true };
    }

    @Get('/two-rules')
    @Secured(key_contains_value('role', 'admin'))
    @Secured(key_contains_value('site', 'leeds'))
    twoRules() {
      return { ok: true };
    }
  }

  const { app } = secureApp([Stacked]);
  const token = (metadata: Record<string, unknown>) => mintInternalToken({ key: HS_KEY, issuer: HS_ISSUER, metadata });

  it('keeps the class rule when the method adds only an issuer limit (a replaced rule would open the route)', async () => {
    expect((await app.fetch(req('/stacked/issuer-only', bearer(await token({}))))).status).toBe(403);
    expect((await app.fetch(req('/stacked/issuer-only', bearer(await token({ patient_id: 'p1' }))))).status).toBe(200);
  });

  it('requires every stacked rule to hold', async () => {
    const all = { patient_id: 'p1', role: 'admin', site: 'leeds' };
    expect((await app.fetch(req('/stacked/two-rules', bearer(await token(all))))).status).toBe(200);
    for (const missing of ['patient_id', 'role', 'site']) {
      const { [missing]: _, ...partial } = all as Record<string, string>;
      const res = await app.fetch(req('/stacked/two-rules', bearer(await token(partial))));
      expect(res.status, `without ${missing}`).toBe(403);
      expect(await res.json()).toEqual({ message: 'Forbidden' });
    }
  });

  it('refuses stacked issuer lists with nothing in common when the app is created', () => {
    @Controller('/x')
    @Secured(undefined, { issuers: ['internal'] })
    class Disjoint {
      @Get('/')
      @Secured(undefined, { issuers: ['auth-provider'] })
      get() {
        return {};
      }
    }
    expect(() => secureApp([Disjoint])).toThrow(/leave no issuer/);
  });
});
