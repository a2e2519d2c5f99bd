import { describe, expect, it } from 'vitest';
import {
  and_,
  Controller,
  field_in_path_matches_jwt_claim,
  Get,
  match_keys,
  not_,
  or_,
  Param,
  Secured,
  scopes_present,
} from '../../src/index.ts';
import { mintInternalToken } from '../../src/testing/index.ts';
import { bearer, HS_ISSUER, HS_KEY, req, secureApp } from './helpers.ts';

// A rule reading a path parameter the route lacks (a typo: `idd` for `id`) used to start and then
// answer 403 to every caller, even one holding the matching claim; a misspelt Param is refused at start.
function appFor(path: string, rule: Parameters<typeof Secured>[0]) {
  @Controller('/')
  class Things {
    @Get(path, Param('id'))
    @Secured(rule)
    get(id: string) {
      return { id };
    }
  }
  return () => secureApp([Things]);
}

describe('a rule that reads a path parameter the route does not have', () => {
  it('match_keys with a misspelt parameter is refused at createApp, naming it and the path', () => {
    expect(appFor('/things/:id', match_keys({ idd: 'id' }))).toThrow(
      'Things.get (GET /things/:id): @Secured match_keys reads the path parameter "idd", which is not in the path /things/:id',
    );
  });

  it('inside and_, and in every branch of or_, alike; field_in_path_matches_jwt_claim too', () => {
    expect(appFor('/things/:id', and_(scopes_present('read'), field_in_path_matches_jwt_claim('thing', 'id')))).toThrow(
      'field_in_path_matches_jwt_claim reads the path parameter "thing"',
    );
    expect(appFor('/things/:id', or_(match_keys({ idd: 'id' }), match_keys({ idd: 'other' })))).toThrow('"idd"');
  });

  it('an or_ with a branch that can hold without it starts (admins, or the owner where the path names one)', () => {
    expect(appFor('/things/:id', or_(scopes_present('admin'), match_keys({ owner: 'id' })))).not.toThrow();
    expect(appFor('/things/:id', not_(match_keys({ id: 'blocked_id' })))).not.toThrow();
  });

  it('the correct spelling starts and lets the matching claim through', async () => {
    const { app } = appFor('/things/:id', match_keys({ id: 'thing_id' }))();
    const token = await mintInternalToken({ key: HS_KEY, issuer: HS_ISSUER, metadata: { thing_id: '7' } });
    expect((await app.fetch(req('/things/7', bearer(token)))).status).toBe(200);
    expect((await app.fetch(req('/things/8', bearer(token)))).status).toBe(403);
  });
});

describe('more shapes of the same mistake', () => {
  it('an or_ whose branches each need a different missing parameter: no branch can hold', () => {
    expect(appFor('/things/:id', or_(match_keys({ a: 'x' }), match_keys({ b: 'x' })))).toThrow(
      'match_keys reads the path parameter "a", which is not in the path /things/:id, so every request would be refused with 403',
    );
  });

  it('not_ around a rule that can never hold lets every caller through: refused too', () => {
    expect(appFor('/things/:id', not_(match_keys({ owner: 'id' })))).toThrow(
      'match_keys reads the path parameter "owner", which is not in the path /things/:id, so the not_ around it always holds and every caller with a valid token would be let through',
    );
  });

  it("a class's @Secured stacked on a method's: the class rule's parameter is checked on each route", () => {
    @Controller('/patients')
    @Secured(match_keys({ patient_id: 'patient_id' }))
    class Patients {
      @Get('/')
      @Secured(scopes_present('read'))
      list() {
        return [];
      }
    }
    expect(() => secureApp([Patients])).toThrow(
      'match_keys reads the path parameter "patient_id", which is not in the path /patients, so every request would be refused with 403',
    );
  });
});
