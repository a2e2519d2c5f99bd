import * as v from 'valibot';
import { Body, Controller, Delete, Get, NotFoundError, Param, Post, Query, Returns, Status, Tags } from '../../src/index.ts';

export const NewPatient = v.object({
  first_name: v.pipe(v.string(), v.minLength(1), v.maxLength(100)),
  last_name: v.pipe(v.string(), v.minLength(1), v.maxLength(100)),
  nhs_number: v.optional(v.pipe(v.string(), v.regex(/^\d{10}$/, 'must be 10 digits'))),
});
export type NewPatient = v.InferOutput<typeof NewPatient>;

export const Patient = v.object({
  uuid: v.pipe(v.string(), v.uuid()),
  first_name: v.string(),
  last_name: v.string(),
  nhs_number: v.optional(v.string()),
  created: v.string(),
});
export type Patient = v.InferOutput<typeof Patient>;

const PatientId = v.pipe(v.string(), v.uuid('must be a UUID'));
const ListQuery = v.object({
  limit: v.optional(v.pipe(v.string(), v.regex(/^\d+$/, 'must be a whole number'), v.transform(Number), v.maxValue(100)), '20'),
});

/** The demo's patients API (in memory until the database battery stores it). */
@Controller('/patients')
@Tags('patients')
export class PatientController {
  private readonly patients = new Map<string, Patient>();

  @Get('/')
  @Returns(200, v.array(Patient), 'Patients, newest first')
  list(@Query(ListQuery) query: v.InferOutput<typeof ListQuery>): Patient[] {
    return [...this.patients.values()].reverse().slice(0, query.limit);
  }

  @Get('/:patient_id')
  @Returns(200, Patient, 'The patient')
  get(@Param('patient_id', PatientId) id: string): Patient {
    const patient = this.patients.get(id);
    if (!patient) throw new NotFoundError(`Patient ${id} not found`);
    return patient;
  }

  @Post('/')
  @Status(201)
  @Returns(201, Patient, 'The new patient')
  create(@Body(NewPatient) body: NewPatient): Patient {
    const patient: Patient = { uuid: crypto.randomUUID(), ...body, created: new Date().toISOString() };
    this.patients.set(patient.uuid, patient);
    return patient;
  }

  @Delete('/:patient_id')
  remove(@Param('patient_id', PatientId) id: string): void {
    if (!this.patients.delete(id)) throw new NotFoundError(`Patient ${id} not found`);
  }
}

/** A plain route with no work, the benchmark's baseline. */
@Controller('/')
export class HelloController {
  @Get('/hello')
  hello() {
    return { message: 'Hello, world' };
  }
}
