// Interface texts of one feature, German and English; de.ts and en.ts spread them in, so
// features add keys without touching each other's lines. en must have exactly de's keys.
export const de = {
} as const;

export const en: Record<keyof typeof de, string> = {
};
