import type { Network, Provider } from '@ilk/core/schemas/networks';
import { getJson, withQuery } from './client.ts';

export type { Network, Provider };

export interface ProviderFilter {
  network?: number | null;
  category?: string | null;
  region?: string | null;
  q?: string;
}

const query = (f: ProviderFilter) => ({ network: f.network, category: f.category, region: f.region, q: f.q?.trim() });

export const getNetworks = (signal?: AbortSignal) => getJson<{ networks: Network[] }>('/api/networks', signal);
export const getProviders = (f: ProviderFilter, signal?: AbortSignal) => getJson<{ providers: Provider[] }>(withQuery('/api/providers', query(f)), signal);
export const providersCsvUrl = (f: ProviderFilter) => withQuery('/api/providers.csv', query(f));
