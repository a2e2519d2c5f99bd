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

describe("FastAPI's other brace shapes", () => {
  it('{file_path:path} becomes :file_path+, {patient-id} becomes :patient_id', () => {
    for (const [path, hint] of [
      ['/files/{file_path:path}', 'write path parameters as :file_path+, not {file_path:path}'],
      ['/p/{patient-id}', 'write path parameters as :patient_id, not {patient-id}'],
    ]) {
      @Controller('/')
      class Braced {
        @Get(path, Ctx())
        get(_ctx: unknown) {
          return {};
        }
      }
      expect(() => createApp({ env: { ENVIRONMENT: 'DEVELOPMENT' }, testing: true, controllers: [Braced] })).toThrow(hint);
    }
  });
});
