import { describe, expect, it } from 'vitest';
import { Controller, Ctx, createApp, Get } from '../../src/index.ts';

// A FastAPI-style template used to start, document `/patients/{patient_id}` and 404 every real id.
describe('a {name} path template', () => {
  it('is refused at createApp with the :name spelling', () => {
    @Controller('/patients')
    class Patients {
      @Get('/{patient_id}', Ctx())
      get(_ctx: unknown) {
        return {};
      }
    }
    expect(() => createApp({ env: { ENVIRONMENT: 'DEVELOPMENT' }, testing: true, controllers: [Patients] })).toThrow(
      'Route "/patients/{patient_id}": write path parameters as :patient_id, not {patient_id}',
    );
  });

  it('a :name template beside it still starts and matches', async () => {
    @Controller('/patients')
    class Patients {
      @Get('/:patient_id', Ctx())
      get(_ctx: unknown) {
        return { ok: true };
      }
    }
    const app = createApp({ env: { ENVIRONMENT: 'DEVELOPMENT' }, testing: true, controllers: [Patients] });
    expect((await app.fetch(new Request('http://h/patients/123'))).status).toBe(200);
  });
});
