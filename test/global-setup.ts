// Starts one PostgreSQL server for the whole test run (test/helpers/postgres-cluster.ts) unless
// PAPERBOY_TEST_POSTGRES_URL names one; tests make a database each (test/helpers/stores.ts).
import type { TestProject } from 'vitest/node';
import { startCluster, type Cluster } from './helpers/postgres-cluster.js';

let cluster: Cluster | undefined;

export async function setup(project: TestProject): Promise<void> {
  let url = process.env.PAPERBOY_TEST_POSTGRES_URL;
  if (!url) {
    cluster = await startCluster();
    url = cluster.adminUrl;
  }
  project.provide('postgresAdminUrl', url);
}

export function teardown(): void {
  cluster?.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    postgresAdminUrl: string;
  }
}
