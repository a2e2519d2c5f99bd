import { type AppOptions, createApp } from '../../src/index.ts';
import { demoMigrations } from './migrations.ts';
import { HelloController, NewPatient, Patient, PatientController } from './patients.ts';
import { secureDemoControllers } from './secure.ts';

/** The demo service every runtime example serves (patients stored in PostgreSQL: PGlite by default outside production). */
export function createDemoApp(options: AppOptions = {}) {
  return createApp({
    title: 'Patients',
    version: '1.0.0',
    description: 'The fetch-batteries demo service',
    controllers: [new PatientController(), HelloController, ...secureDemoControllers(options)],
    // PGlite in memory unless DATABASE_URL is set; the table is created on first use
    database: { migrations: demoMigrations },
    // named in OpenAPI as components.schemas.Patient / NewPatient
    docs: { schemas: { Patient, NewPatient } },
    ...options,
  });
}
