import { databaseSuite } from './suite.ts';

databaseSuite('pglite');
