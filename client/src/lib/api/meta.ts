import { getJson } from './client.ts';
import type { Lang } from '@ilk/core';

export interface Subcategory {
  key: string;
  /** The labels keyed by language (label_de and label_en repeat two of them). */
  labels: Record<Lang, string>;
  label_de: string;
  label_en: string;
}

export interface Category extends Subcategory {
  color: string;
  subcategories: Subcategory[];
}

export interface Source {
  key: string;
  name: string;
  attribution: string;
  licence: string | null;
  licence_url: string | null;
}

/** One Kreis the caller may see: is it the fictional demo, and which sources its data come from. */
export interface DistrictFacts {
  ars: string;
  name: string;
  demo: boolean;
  sources: string[];
}

export interface Meta {
  /** Derived from `districts`: demo when any visible district is; the name of one, or a summary of several. */
  dataset: { name?: string; demo: boolean; description_de?: string; description_en?: string };
  districts: DistrictFacts[];
  /** The sources of the data present in the visible districts only (the map's attribution). */
  sources: Source[];
  categories: Category[];
  basemap_style_url: string | null;
}

export const getMeta = (signal?: AbortSignal) => getJson<Meta>('/api/meta', signal);
