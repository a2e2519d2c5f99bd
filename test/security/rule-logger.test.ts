import { describe, expect, it } from 'vitest';
import { Controller, Get, type Rule, Secured } from '../../src/index.ts';
import { mintInternalToken } from '../../src/testing/index.ts';
import { bearer, HS_ISSUER, HS_KEY, req, secureApp } from './helpers.ts';

// a rule that explains its refusal through env.logger, at each level
const explains: Rule = (env) => {
  env.logger?.debug('checking ward', { ward: 'w-1' });
  env.logger?.info('ward looked up', { ward: 'w-1' });
  env.logger?.warn('not on this ward', { ward: 'w-1' });
  env.logger?.error('ward service slow', { ward: 'w-1' });
  return false;
};

// a rule that takes the methods off the logger, as console's and pino's allow
const detached: Rule = (env) => {
  const { info } = env.logger ?? {};
  info?.('detached call', { ward: 'w-2' });
  return true;
};

@Controller('/ward')
class WardController {
  @Get('/:ward_id')
  @Secured(explains)
  ward() {
    return { ok: true };
  }

  @Get('/:ward_id/open')
  @Secured(detached)
  open() {
    return { ok: true };
  }
}

describe("a rule's env.logger", () => {
  it('writes through the request logger, each line with its own fields plus the route and request id', async () => {
    const { app, logger } = secureApp([WardController]);
    const token = await mintInternalToken({ key: HS_KEY, issuer: HS_ISSUER });
    const res = await app.fetch(req('/ward/w-1', { ...bearer(token), 'x-request-id': 'req-ward-1' }));
    expect(res.status).toBe(403);
    const lines = logger.lines.filter((l) => l.fields?.ward === 'w-1');
    expect(lines.map((l) => [l.level, l.message])).toEqual([
      ['debug', 'checking ward'],
      ['info', 'ward looked up'],
      ['warn', 'not on this ward'],
      ['error', 'ward service slow'],
    ]);
    for (const line of lines) expect(line.fields).toEqual({ ward: 'w-1', route: '/ward/:ward_id', requestId: 'req-ward-1' });
  });

  it('works with its methods taken off it (const { info } = env.logger)', async () => {
    const { app, logger } = secureApp([WardController]);
    const token = await mintInternalToken({ key: HS_KEY, issuer: HS_ISSUER });
    const res = await app.fetch(req('/ward/w-2/open', { ...bearer(token), 'x-request-id': 'req-ward-2' }));
    expect(res.status).toBe(200);
    expect(logger.lines.filter((l) => l.fields?.ward === 'w-2')).toEqual([
      { level: 'info', message: 'detached call', fields: { ward: 'w-2', route: '/ward/:ward_id/open', requestId: 'req-ward-2' } },
    ]);
  });
});
