import { type AppOptions, createApp } from '../../src/index.ts';
import { demoMigrations } from './migrations.ts';
import { DECORATORS } from './mode.ts';
import { HelloController, NewPatient, Patient, PatientController as PatientWithSpecs } from './patients.ts';
import { SecureController as SecureWithSpecs, secureDemoControllers } from './secure.ts';

// The controllers in the form this build can read: parameters listed in the route decorators
// (patients.ts, secure.ts: any TypeScript setup), or with experimentalDecorators the familiar
// parameter decorators (legacy.ts). Both serve and document the same API.
const { PatientController, SecureController } =
  DECORATORS === 'legacy' ? await import('./legacy.ts') : { PatientController: PatientWithSpecs, SecureController: SecureWithSpecs };

/** The demo service every runtime example serves (patients stored in PostgreSQL: PGlite by default outside production). */
export function createDemoApp(options: AppOptions = {}) {
  return createApp({
    title: 'Patients',
    version: '1.0.0',
    description: 'The fetch-batteries demo service',
    controllers: [new PatientController(), HelloController, ...secureDemoControllers(options, SecureController)],
    // PGlite in memory unless DATABASE_URL is set; the table is created on first use
    database: { migrations: demoMigrations },
    // named in OpenAPI as components.schemas.Patient / NewPatient
    docs: { schemas: { Patient, NewPatient } },
    ...options,
  });
}
