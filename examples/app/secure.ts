import * as v from 'valibot';
import { runtimeEnv } from '../../src/adapters/platform.ts';
import {
  ApiKey,
  type AppOptions,
  Body,
  Controller,
  field_in_body_matches_jwt_claim,
  Get,
  match_keys,
  or_,
  Param,
  Post,
  Scopes,
  Secured,
  Status,
  scopes_present,
  Tags,
  User,
  type ValidatedUser,
} from '../../src/index.ts';

export const PatientMessage = v.object({
  patient_id: v.pipe(v.string(), v.minLength(1)),
  text: v.pipe(v.string(), v.minLength(1), v.maxLength(2000)),
});

/** The security battery in the demo: an API key route, a scoped route, a rule and `User()`. */
@Controller('/secure')
@Tags('security')
export class SecureController {
  /** Machine-to-machine: `X-Api-Key: $ACCEPTED_API_KEY`. */
  @Get('/key')
  @ApiKey()
  key() {
    return { ok: true };
  }

  @Get('/scoped')
  @Scopes('read:patient')
  scoped() {
    return { ok: true };
  }

  /**
   * A patient sends a message to their care team: the body must name the patient in the token.
   * The rule and `Body()` read one parsed body (the stream is read once).
   */
  @Post('/messages', Body(PatientMessage))
  @Status(201)
  @Secured(field_in_body_matches_jwt_claim('patient_id', 'patient_id'))
  message(body: v.InferOutput<typeof PatientMessage>) {
    return { patient_id: body.patient_id, text: body.text };
  }

  /** Staff with read:patient, or the patient themself (their token's patient_id claim). */
  @Get('/patients/:patient_id', Param('patient_id'))
  @Secured(or_(scopes_present('read:patient'), match_keys({ patient_id: 'patient_id' })))
  patient(patientId: string) {
    return { patient_id: patientId };
  }

  @Get('/me', User())
  me(user: ValidatedUser) {
    return { user_id: user.user_id, scopes: user.token_data.scopes };
  }
}

/**
 * The secured demo routes when their configuration is there (ACCEPTED_API_KEY and a JWT issuer:
 * HS_KEY or AUTH_PROVIDER_DOMAIN), so tests that build the demo with a bare env still start.
 * Workers (no env until the first request) always get them: bind the variables (wrangler.toml).
 * Leaving them out of a process env says so on stderr: a server or an OpenAPI document without
 * them would otherwise look complete.
 */
export function secureDemoControllers(options: AppOptions, controller: Function = SecureController): Function[] {
  const env = (options.env ?? runtimeEnv()) as Record<string, unknown> | undefined;
  if (env === undefined) return [controller];
  const set = (name: string) => typeof env[name] === 'string' && env[name] !== '';
  if (set('ACCEPTED_API_KEY') && (set('HS_KEY') || set('AUTH_PROVIDER_DOMAIN'))) return [controller];
  // an env given in code is a test's choice; only the process env is worth a warning
  if (options.env === undefined) {
    console.warn('demo: the /secure routes are left out: set ACCEPTED_API_KEY and HS_KEY (or AUTH_PROVIDER_DOMAIN) to serve them');
  }
  return [];
}
