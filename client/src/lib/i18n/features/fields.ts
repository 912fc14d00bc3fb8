// Interface texts of one feature, German and English; de.ts and en.ts spread them in, so
// features add keys without touching each other's lines. en must have exactly de's keys.
// Record fields: the offer form's Träger picker.
export const de = {
  'fields.providerNumber': 'Träger Nr. {id}',
} as const;

export const en: Record<keyof typeof de, string> = {
  'fields.providerNumber': 'Provider no. {id}',
};
