// The routes the Python-parity suites drive: rules, logs, errors and request ids seen over HTTP.
import {
  argument_present,
  Controller,
  Deprecated,
  Get,
  HttpError,
  match_keys,
  not_,
  or_,
  Param,
  Query,
  Secured,
  ServiceUnavailableError,
  scopes_present,
} from '../../src/index.ts';
import { mintInternalToken } from '../../src/testing/index.ts';
import { HS_ISSUER, HS_KEY } from './helpers.ts';

/** Behaviour a team porting a fastapi-batteries-included service relies on, seen over HTTP. */
@Controller('/clinician')
export class ClinicianController {
  @Get('/locations/:location_id')
  @Secured(match_keys({ location_id: 'location_ids' }))
  location(@Param('location_id') id: string) {
    return { id };
  }

  @Get('/compact')
  @Secured(argument_present('compact', 'true'))
  compact(@Query('compact') compact: string) {
    return { compact };
  }

  @Get('/scoped')
  @Secured(scopes_present('read:patient', 'write:patient'))
  scoped() {
    return {};
  }

  @Get('/either')
  @Secured(or_(scopes_present('read:a'), scopes_present('read:b')))
  either() {
    return {};
  }

  @Get('/not-admin')
  @Secured(not_(scopes_present('admin')))
  notAdmin() {
    return {};
  }

  @Get('/down')
  down() {
    throw new ServiceUnavailableError('Upstream unavailable');
  }

  @Get('/conflict')
  conflict() {
    throw new HttpError(409, 'Already there', 'DUPLICATE_RESOURCE');
  }
}

@Controller('/route')
export class DeprecatedController {
  @Get('/deprecated')
  @Deprecated({ supersededBy: 'GET /route/replacement' })
  old() {
    return { old: true };
  }

  @Get('/replacement')
  replacement() {
    return { old: false };
  }
}

/** An internal-issuer token with these metadata claims and scopes. */
export const internal = (metadata: Record<string, unknown> = {}, scopes: string[] = []) =>
  mintInternalToken({ key: HS_KEY, issuer: HS_ISSUER, metadata, scopes });
