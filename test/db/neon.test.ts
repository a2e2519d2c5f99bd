import { databaseSuite } from './suite.ts';

databaseSuite('neon');
