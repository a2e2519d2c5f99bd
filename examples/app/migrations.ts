import { IDENTIFIER_COLUMNS, identifierTrigger, type Migration } from '../../src/index.ts';

/** The demo's schema, applied in order on first use (PGlite by default, any PostgreSQL with DATABASE_URL). */
export const demoMigrations: Migration[] = [
  {
    id: '001-patient',
    sql: `create table if not exists patient (
  ${IDENTIFIER_COLUMNS},
  first_name text not null check (length(first_name) between 1 and 100),
  last_name text not null check (length(last_name) between 1 and 100),
  nhs_number varchar(10)
);
create index if not exists patient_created on patient (created desc)`,
  },
  // `modified` follows every update, as the Python ModelIdentifier's onupdate did
  { id: '002-patient-modified', sql: identifierTrigger('patient') },
];
