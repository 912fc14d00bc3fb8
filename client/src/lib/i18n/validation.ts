import type { MessageKey } from './de.ts';

type T = (key: MessageKey, params?: Record<string, string | number>) => string;

// The API reports invalid fields with the validator's English messages (JSON Schema keywords).
// The forms show them in the interface language; a message not recognised here (a business
// rule worded by the server) is shown as sent, so nothing is hidden.
const RULES: [RegExp, (m: RegExpExecArray, field: string) => [MessageKey, Record<string, string>?]][] = [
  [/must NOT have fewer than 1 characters|must have required property/, () => ['validation.required']],
  [/must NOT have more than (\d+) characters/, (m) => ['validation.tooLong', { max: m[1]! }]],
  [/must match format "email"/, () => ['validation.email']],
  [/must match format "date"/, () => ['validation.date']],
  [/must match format "uri"/, () => ['validation.website']],
  [/must match pattern/, (_m, field) => [field === 'postcode' ? 'validation.postcode' : field === 'website' ? 'validation.website' : field === 'phone' ? 'validation.phone' : 'validation.format']],
  [/must be equal to one of the allowed values/, (_m, field) => [field === 'languages' ? 'validation.language' : field === 'category' ? 'validation.choose' : 'validation.allowed']],
  [/must be integer/, () => ['validation.integer']],
  [/must be number/, () => ['validation.number']],
  [/must be >= (\S+)/, (m) => ['validation.min', { min: m[1]! }]],
  [/must be <= (\S+)/, (m) => ['validation.max', { max: m[1]! }]],
  [/must NOT have duplicate items/, () => ['validation.duplicates']],
  [/is not a known field/, () => ['validation.unknownField']],
  [/must not exceed (\w+)/, (m) => ['validation.exceeds', { other: m[1]! }]],
  [/must not be before (\w+)/, (m) => ['validation.before', { other: m[1]! }]],
  [/is not a subcategory of/, () => ['validation.subcategory']],
];

export function validationMessage(t: T, field: string, message: string): string {
  for (const [re, to] of RULES) {
    const m = re.exec(message);
    if (m) {
      const [key, params] = to(m, field);
      // A field named in the message (places_total) is shown by its label.
      const other = params?.other;
      const otherKey = `offer.${other}` as MessageKey;
      return t(key, other ? { other: t(otherKey) ?? other } : params);
    }
  }
  return message;
}
