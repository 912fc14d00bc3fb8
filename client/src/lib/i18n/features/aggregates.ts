// Interface texts of one feature, German and English; de.ts and en.ts spread them in.
// Aggregates that compare like with like: how many units a capacity series sums, the age of its
// oldest carried report, and indicators that exist at one region level only.
export const de = {
  'agg.units': '{n} von {total} Einheiten',
  'agg.unitsShort': '{n}/{total} Einh.',
  'agg.point': '{date}: {value} ({units}; ältester Bericht vom {oldest})',
  'agg.trend': '{metric}: {first} → {last}, je Stichtag dieselben {units}; jede Einheit mit ihrer letzten Meldung bis zum Stichtag, älteste vom {oldest}',
  'agg.single': '{metric}: {value} am {date} ({units}; ältester Bericht vom {oldest}); kein früherer Stichtag mit denselben Einheiten',
  'agg.seriesNote': 'Verlauf: je Stichtag die letzte Meldung jeder Einheit (Amt, amtsfreie Gemeinde), die überhaupt gemeldet hat; Stichtage erst, seit alle diese Einheiten gemeldet haben.',
  'agg.onlyVerband': 'nur auf Ebene Amt/amtsfreie Gemeinde verfügbar',
  'agg.onlyVerbandCount': 'nur auf Ebene Amt/amtsfreie Gemeinde verfügbar ({count} Reg.)',
  'agg.na': 'n. v.',
  'agg.tableNote': 'n. v.: {indicators} nur auf Ebene Amt/amtsfreie Gemeinde verfügbar (Kapazitäten werden je Amt bzw. amtsfreier Gemeinde gemeldet).',
} as const;

export const en: Record<keyof typeof de, string> = {
  'agg.units': '{n} of {total} units',
  'agg.unitsShort': '{n}/{total} units',
  'agg.point': '{date}: {value} ({units}; oldest report from {oldest})',
  'agg.trend': '{metric}: {first} → {last}, the same {units} at every date; each unit with its last report up to the date, the oldest from {oldest}',
  'agg.single': '{metric}: {value} on {date} ({units}; oldest report from {oldest}); no earlier date with the same units',
  'agg.seriesNote': 'Trend: at each date the last report of every unit (Amt, amtsfreie Gemeinde) that has reported at all; dates only from when all these units had reported.',
  'agg.onlyVerband': 'only available at the level of Amt / amtsfreie Gemeinde',
  'agg.onlyVerbandCount': 'only available at the level of Amt / amtsfreie Gemeinde ({count} reg.)',
  'agg.na': 'n/a',
  'agg.tableNote': 'n/a: {indicators} only available at the level of Amt / amtsfreie Gemeinde (capacities are reported per Amt or amtsfreie Gemeinde).',
};
