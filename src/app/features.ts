import { databaseFeature } from '../db/feature.ts';
import { observabilityFeature } from '../observability/feature.ts';
import { openapiFeature } from '../openapi/feature.ts';
import { securityFeature } from '../security/feature.ts';
import type { Feature } from './feature.ts';

/** The batteries every app gets, in pipeline order. Features are added here as they land. */
export function defaultFeatures(): Feature[] {
  return [observabilityFeature(), securityFeature(), databaseFeature(), openapiFeature()];
}
