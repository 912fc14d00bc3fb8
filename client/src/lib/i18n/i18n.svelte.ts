import { de, type MessageKey } from './de.ts';
import { en } from './en.ts';

// The interface languages are listed in core (registries/lang.ts); every registry labels in each.
import type { Lang } from '@ilk/core';
export type { Lang };
export type { MessageKey };

const MESSAGES: Record<Lang, Record<MessageKey, string>> = { de, en };
const STORAGE_KEY = 'ilk.lang';

function storedLang(): Lang {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'de';
  } catch {
    return 'de';
  }
}

/**
 * Anything with labels keyed by language, as /api/meta sends categories (labels; label_de and
 * label_en beside them for older readers).
 */
export interface Bilingual {
  labels?: Partial<Record<Lang, string>>;
  label_de: string;
  label_en: string;
}

/**
 * The interface language (German by default, English by a switch that is remembered) and
 * Intl formatting for it. Reading `lang` in a template makes the text follow a switch.
 */
export class I18n {
  lang = $state<Lang>(storedLang());
  #numbers = $derived(new Intl.NumberFormat(this.locale, { maximumFractionDigits: 2 }));
  #dates = $derived(new Intl.DateTimeFormat(this.locale, { dateStyle: 'medium', timeZone: 'UTC' }));
  #dateTimes = $derived(new Intl.DateTimeFormat(this.locale, { dateStyle: 'medium', timeStyle: 'short' }));

  get locale(): string {
    return this.lang === 'de' ? 'de-DE' : 'en-GB';
  }

  setLang(lang: Lang): void {
    this.lang = lang;
    try {
      localStorage.setItem(STORAGE_KEY, lang);
    } catch {
      // Private mode without storage: the switch still works for this visit.
    }
  }

  /** The message for `key`, with `{name}` placeholders filled from `params`. */
  t = (key: MessageKey, params?: Record<string, string | number>): string => {
    const text = MESSAGES[this.lang][key];
    if (!params) return text;
    return text.replace(/\{(\w+)\}/g, (m, name: string) => {
      const v = params[name];
      return v === undefined ? m : typeof v === 'number' ? this.num(v) : v;
    });
  };

  /** Looks up a key built at run time (an enum value); falls back to the raw value. */
  tk = (prefix: string, value: string | null | undefined): string => {
    if (value === null || value === undefined) return '–';
    const key = `${prefix}.${value}`;
    return key in de ? this.t(key as MessageKey) : value;
  };

  num = (n: number | null | undefined, digits?: number): string => {
    if (n === null || n === undefined || !Number.isFinite(n)) return '–';
    if (digits === undefined) return this.#numbers.format(n);
    return new Intl.NumberFormat(this.locale, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(n);
  };

  /** A calendar date (YYYY-MM-DD) without a time zone shift. */
  date = (iso: string | null | undefined): string => {
    if (!iso) return '–';
    const d = new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
    return Number.isNaN(d.getTime()) ? iso : this.#dates.format(d);
  };

  dateTime = (iso: string | null | undefined): string => {
    if (!iso) return '–';
    const d = new Date(iso);
    return Number.isNaN(d.getTime()) ? iso : this.#dateTimes.format(d);
  };

  /** An item's label in the interface language; German where the item has none in it. */
  label = (item: Bilingual | null | undefined): string =>
    (item ? (item.labels?.[this.lang] ?? item.labels?.de ?? (this.lang === 'de' ? item.label_de : item.label_en)) : '–');

  yesNo = (v: boolean | null | undefined): string => (v === null || v === undefined ? '–' : this.t(v ? 'common.yes' : 'common.no'));
}
