// README.md is assembled from docs/readme/*.md (one fragment per area): `npm run readme`.
import { readFileSync, writeFileSync } from 'node:fs';

const dir = new URL('../docs/readme/', import.meta.url);
const order = ['00-intro', 'runtimes', '10-core', 'security', 'database', 'observability', 'openapi', 'benchmarks', '90-project'];
const [intro, ...rest] = order.map((name) => `${readFileSync(new URL(`${name}.md`, dir), 'utf8').trim()}\n`);
const contents = `
**Contents**: [Runtimes](#runtimes) · [How it works](#how-it-works) · [Decorators](#decorators) ·
[Errors](#errors) · [Configuration](#configuration) · [Testing a controller](#testing-a-controller) ·
[Security](#security) · [Database](#database-postgresql) ·
[Monitoring and metrics](#monitoring-metrics-and-request-logs) · [OpenAPI](#openapi-and-docs) ·
[CLI](#command-line-fetch-batteries) · [Benchmarks](#benchmarks) ·
[Written by hand](#what-we-wrote-by-hand-and-why) · [Development](#development)
`;
const header = '<!-- Assembled from docs/readme/*.md by `npm run readme`: edit the fragments there. -->\n';
writeFileSync(new URL('../README.md', import.meta.url), `${header}${intro}${contents}\n${rest.join('\n')}`);
