import { databaseSuite } from './suite.ts';

databaseSuite('pg');
