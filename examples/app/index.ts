import { type AppOptions, createApp } from '../../src/index.ts';
import { HelloController, PatientController } from './patients.ts';

/** The demo service every runtime example serves. */
export function createDemoApp(options: AppOptions = {}) {
  return createApp({
    title: 'Patients',
    version: '1.0.0',
    description: 'The fetch-batteries demo service',
    controllers: [new PatientController(), HelloController],
    ...options,
  });
}
