/**
 * The demo's controllers in the legacy shape: parameter decorators, the form NestJS users know.
 * Parameter decorators need `"experimentalDecorators": true` (index.ts loads this file only in
 * such a build). The handlers are the ones in patients.ts and secure.ts; only where the
 * parameters are declared differs, and the app serves and documents exactly the same API.
 */
import * as v from 'valibot';
import {
  ApiKey,
  Body,
  Controller,
  type Database,
  Db,
  Delete,
  field_in_body_matches_jwt_claim,
  Get,
  match_keys,
  or_,
  Param,
  Post,
  Query,
  Returns,
  Scopes,
  Secured,
  Status,
  scopes_present,
  Tags,
  User,
  type ValidatedUser,
} from '../../src/index.ts';
import { ListQuery, NewPatient, Patient, PatientId, PatientController as Patients } from './patients.ts';
import { PatientMessage, SecureController as Secure } from './secure.ts';

@Controller('/patients')
@Tags('patients')
export class PatientController extends Patients {
  @Get('/')
  @Returns(200, v.array(Patient), 'Patients, newest first')
  override list(@Query(ListQuery) query: v.InferOutput<typeof ListQuery>, @Db() db: Database): Promise<Patient[]> {
    return super.list(query, db);
  }

  @Get('/:patient_id')
  @Returns(200, Patient, 'The patient')
  override get(@Param('patient_id', PatientId) id: string, @Db() db: Database): Promise<Patient> {
    return super.get(id, db);
  }

  @Post('/')
  @Status(201)
  @Returns(201, Patient, 'The new patient')
  override create(@Body(NewPatient) body: NewPatient, @Db() db: Database): Promise<Patient> {
    return super.create(body, db);
  }

  @Delete('/:patient_id')
  override remove(@Param('patient_id', PatientId) id: string, @Db() db: Database): Promise<void> {
    return super.remove(id, db);
  }
}

@Controller('/secure')
@Tags('security')
export class SecureController extends Secure {
  @Get('/key')
  @ApiKey()
  override key() {
    return super.key();
  }

  @Get('/scoped')
  @Scopes('read:patient')
  override scoped() {
    return super.scoped();
  }

  @Post('/messages')
  @Status(201)
  @Secured(field_in_body_matches_jwt_claim('patient_id', 'patient_id'))
  override message(@Body(PatientMessage) body: v.InferOutput<typeof PatientMessage>) {
    return super.message(body);
  }

  @Get('/patients/:patient_id')
  @Secured(or_(scopes_present('read:patient'), match_keys({ patient_id: 'patient_id' })))
  override patient(@Param('patient_id') patientId: string) {
    return super.patient(patientId);
  }

  @Get('/me')
  override me(@User() user: ValidatedUser) {
    return super.me(user);
  }
}
