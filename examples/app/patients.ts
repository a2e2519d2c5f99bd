import * as v from 'valibot';
import {
  Body,
  Controller,
  type Database,
  Db,
  Delete,
  Deprecated,
  Get,
  NotFoundError,
  Param,
  Post,
  Query,
  Returns,
  Status,
  sql,
  Tags,
} from '../../src/index.ts';

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

export const PatientId = v.pipe(v.string(), v.uuid('must be a UUID'));
export const ListQuery = v.object({
  limit: v.optional(v.pipe(v.string(), v.regex(/^\d+$/, 'must be a whole number'), v.transform(Number), v.maxValue(100)), '20'),
});

interface PatientRow {
  uuid: string;
  first_name: string;
  last_name: string;
  nhs_number: string | null;
  created: Date | string;
}

/** A row as the API shows it: `nhs_number` only when known, dates as ISO 8601. */
function toPatient(row: PatientRow): Patient {
  const patient: Patient = {
    uuid: row.uuid,
    first_name: row.first_name,
    last_name: row.last_name,
    created: row.created instanceof Date ? row.created.toISOString() : new Date(row.created).toISOString(),
  };
  if (row.nhs_number !== null) patient.nhs_number = row.nhs_number;
  return patient;
}

const COLUMNS = sql`uuid, first_name, last_name, nhs_number, created`;

/**
 * The demo's patients API, stored in the `patient` table (see migrations.ts). Parameters are listed
 * after the path, in argument order: this form compiles with TypeScript's default (standard)
 * decorators and with `experimentalDecorators` alike. legacy.ts has the parameter-decorator form.
 */
@Controller('/patients')
@Tags('patients')
export class PatientController {
  @Get('/', Query(ListQuery), Db())
  @Returns(200, v.array(Patient), 'Patients, newest first')
  async list(query: v.InferOutput<typeof ListQuery>, db: Database): Promise<Patient[]> {
    const rows = await db.many<PatientRow>(sql`select ${COLUMNS} from patient order by created desc limit ${query.limit}`);
    return rows.map(toPatient);
  }

  @Get('/:patient_id', Param('patient_id', PatientId), Db())
  @Returns(200, Patient, 'The patient')
  async get(id: string, db: Database): Promise<Patient> {
    const row = await db.one<PatientRow>(sql`select ${COLUMNS} from patient where uuid = ${id}`);
    if (!row) throw new NotFoundError(`Patient ${id} not found`);
    return toPatient(row);
  }

  @Post('/', Body(NewPatient), Db())
  @Status(201)
  @Returns(201, Patient, 'The new patient')
  async create(body: NewPatient, db: Database): Promise<Patient> {
    const row = await db.one<PatientRow>(
      sql`insert into patient (first_name, last_name, nhs_number)
          values (${body.first_name}, ${body.last_name}, ${body.nhs_number ?? null})
          returning ${COLUMNS}`,
    );
    return toPatient(row as PatientRow);
  }

  @Delete('/:patient_id', Param('patient_id', PatientId), Db())
  async remove(id: string, db: Database): Promise<void> {
    const { rowCount } = await db.query(sql`delete from patient where uuid = ${id}`);
    if (rowCount === 0) throw new NotFoundError(`Patient ${id} not found`);
  }
}

/** A plain route with no work, the benchmark's baseline. */
@Controller('/')
export class HelloController {
  @Get('/hello')
  hello() {
    return { message: 'Hello, world' };
  }

  /** The old name of /hello: still served, with Deprecation and a successor Link. */
  @Get('/greeting')
  @Deprecated({ supersededBy: 'GET /hello', since: '2026-01-01T00:00:00Z' })
  greeting() {
    return { message: 'Hello, world' };
  }
}
