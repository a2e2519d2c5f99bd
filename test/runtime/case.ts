import type { Target } from './targets.ts';

/** What a case file gets: the current target (read it inside `it`, it is started in `beforeAll`). */
export type TargetRef = () => Pick<Target, 'name' | 'baseUrl' | 'fetch' | 'output'>;

/** A case file's default export: registers `it(...)` cases for one target. */
export type CaseFile = (target: TargetRef) => void;

export const JSON_HEADERS = { 'content-type': 'application/json' };
