import type { MessageKey } from '../../i18n/i18n.svelte.ts';
import { validationMessage } from '../../i18n/validation.ts';

type T = (key: MessageKey, params?: Record<string, string | number>) => string;

// The account rules the server words in English (password policy, Kreise, last admin), in
// the interface language; anything else goes through the shared validation messages.
const RULES: [RegExp, (m: RegExpExecArray) => [MessageKey, Record<string, string>?]][] = [
  [/must be at least (\d+) characters long/, (m) => ['acc.pw.short', { min: m[1]! }]],
  [/must be at most (\d+) characters long/, (m) => ['validation.tooLong', { max: m[1]! }]],
  [/must not contain the e-mail address/, () => ['acc.pw.email']],
  [/must not repeat one character/, () => ['acc.pw.repeat']],
  [/is used by another account/, () => ['acc.emailTaken']],
  [/a coordinator needs at least one Kreis/, () => ['acc.districtsRequired']],
  [/names no Kreis in the database/, () => ['acc.kreisUnknown']],
  [/only coordinators have Kreise/, () => ['acc.districtsOnlyCoordinators']],
  [/needs the organisation/, () => ['acc.organisationRequired']],
  [/last active admin/, () => ['acc.lastAdmin']],
  [/not for your own account/, () => ['acc.notSelf']],
];

export function accountMessage(t: T, field: string, message: string): string {
  for (const [re, to] of RULES) {
    const m = re.exec(message);
    if (m) {
      const [key, params] = to(m);
      return t(key, params);
    }
  }
  return validationMessage(t, field, message);
}
