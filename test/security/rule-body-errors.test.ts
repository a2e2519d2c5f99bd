import { describe, expect, it } from 'vitest';
import {
  and_,
  Body,
  ClientClosedError,
  Controller,
  field_in_body_matches_jwt_claim,
  key_present,
  not_,
  or_,
  Post,
  type Rule,
  Secured,
} from '../../src/index.ts';
import { mintInternalToken } from '../../src/testing/index.ts';
import { bearer, HS_ISSUER, HS_KEY, req, secureApp } from './helpers.ts';

const bodyRule = field_in_body_matches_jwt_claim('patient_id', 'patient_id');
// a rule that turns the body's error into its own: that is the rule failing, and it still fails closed
const wrapping: Rule = async (env) => {
  try {
    await env.body();
  } catch {
    throw new Error('rule bug');
  }
  return true;
};
// starts the read but decides without it
const dropping: Rule = async (env) => {
  void env.body();
  return false;
};

@Controller('/rb')
class RuleBodyController {
  @Post('/open')
  open(@Body() body: unknown) {
    return { body };
  }

  @Post('/direct')
  @Secured(bodyRule)
  direct(@Body() body: unknown) {
    return { body };
  }

  @Post('/and')
  @Secured(and_(key_present('patient_id'), bodyRule))
  and(@Body() body: unknown) {
    return { body };
  }

  @Post('/or')
  @Secured(or_(() => false, bodyRule))
  or(@Body() body: unknown) {
    return { body };
  }

  @Post('/not')
  @Secured(not_(field_in_body_matches_jwt_claim('other_id', 'patient_id')))
  not(@Body() body: unknown) {
    return { body };
  }

  @Post('/drops')
  @Secured(dropping)
  drops(@Body() body: unknown) {
    return { body };
  }

  @Post('/wrapping')
  @Secured(wrapping)
  wrapped(@Body() body: unknown) {
    return { body };
  }
}

const token = await mintInternalToken({ key: HS_KEY, issuer: HS_ISSUER, metadata: { patient_id: 'p-1' } });

const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
const bodies: [string, string, string, number, string][] = [
  // name, content type, body, status, message prefix
  ['malformed JSON', 'application/json', '{"patient_id":', 400, 'Malformed JSON in request body'],
  ['text/plain', 'text/plain', '{"patient_id":"p-1"}', 415, ''],
  ['1.1 MB', 'application/json', `{"patient_id":"p-1","pad":"${'x'.repeat(1_100_000)}"}`, 413, ''],
  ['100,000-deep nesting', 'application/json', deep, 400, 'Request body is nested too deeply'],
];

function post(path: string, contentType: string, body: BodyInit, extra: RequestInit = {}): Request {
  return req(path, { ...bearer(token), 'content-type': contentType }, { method: 'POST', body, ...extra });
}

describe('@Secured with a rule that reads the body', () => {
  it.each(bodies)('answers a %s body as the route without the rule does, not 403', async (_name, type, body, status, message) => {
    const { app, logger } = secureApp([RuleBodyController]);
    const open = await app.fetch(post('/rb/open', type, body));
    const expected = { status: open.status, body: await open.json() };
    expect(expected.status).toBe(status);
    expect((expected.body as { message: string }).message.startsWith(message)).toBe(true);
    for (const path of ['/rb/direct', '/rb/and', '/rb/or', '/rb/not']) {
      const res = await app.fetch(post(path, type, body));
      expect({ status: res.status, body: await res.json() }, path).toEqual(expected);
    }
    expect(logger.lines.filter((l) => l.message === 'security rule failed')).toEqual([]);
  });

  it('still answers 403 when the rule throws an error of its own over a bad body', async () => {
    const { app, logger } = secureApp([RuleBodyController]);
    const res = await app.fetch(post('/rb/wrapping', 'application/json', '{"patient_id":'));
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ message: 'Forbidden' });
    expect(logger.lines.filter((l) => l.message === 'security rule failed')).toHaveLength(1);
  });

  it('answers 403 for a rule that starts reading a bad body and denies without it, with no unhandled rejection', async () => {
    const { app } = secureApp([RuleBodyController]);
    const res = await app.fetch(post('/rb/drops', 'application/json', '{"patient_id":'));
    expect(res.status).toBe(403);
    // vitest fails the run on an unhandled rejection: give the body's a turn to surface
    await new Promise((resolve) => setTimeout(resolve, 20));
  });

  it('records a client that goes away mid-body as 499 (INFO, no rule warning), 400 to the client', async () => {
    const { app, logger } = secureApp([RuleBodyController], {}, { testing: false });
    const cut = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"patient_id"'));
        controller.error(Object.assign(new Error('aborted'), { code: 'ECONNRESET' }));
      },
    });
    const res = await app.fetch(post('/rb/and', 'application/json', cut, { duplex: 'half' } as RequestInit));
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ message: new ClientClosedError().message });
    const line = logger.lines.find((l) => l.fields?.httpRequest !== undefined);
    expect(line?.level).toBe('info');
    expect(line?.message).toBe('POST "http://test.local/rb/and" 499');
    // the client never read the 400's body: the 499 line gives no size
    expect((line?.fields?.httpRequest as Record<string, unknown> | undefined)?.responseSize).toBeUndefined();
    expect(logger.lines.filter((l) => l.level === 'warn' || l.level === 'error')).toEqual([]);
    const metrics = await (await app.fetch(req('/metrics'))).text();
    expect(metrics).toMatch(/http_requests_total\{method="POST",route="\/rb\/and",status="499"\} 1/);
    expect(metrics).not.toMatch(/status="403"/);
  });
});
