import { getJson } from './client.ts';

export interface Subcategory {
  key: string;
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

export interface Meta {
  dataset: { name?: string; demo: boolean; description_de?: string; description_en?: string };
  sources: Source[];
  categories: Category[];
  basemap_style_url: string | null;
}

export const getMeta = (signal?: AbortSignal) => getJson<Meta>('/api/meta', signal);
