// Interface texts of one feature, German and English; de.ts and en.ts spread them in, so
// features add keys without touching each other's lines. en must have exactly de's keys.
// The population density indicator and the data-completeness panel of a Kreis.
export const de = {
  'indicator.population_density': 'Einwohner je km²',
  'choropleth.auto': 'Automatisch gewählt: der erste Indikator, für den Werte vorliegen.',
  'completeness.title': 'Datenstand',
  'completeness.kreis': 'Kreis {name}',
  'completeness.facts': '{gemeinden} Gemeinden, {population} Einwohner, {density} je km²',
  'completeness.units': 'Kapazitätsmeldungen: {reported} von {total} Einheiten',
  'completeness.noReport': 'noch keine Meldung',
  'completeness.reportedOn': 'gemeldet am {date}',
  'completeness.enter': 'Kapazitäten eintragen',
  'completeness.missing': 'Ohne Meldung ({count})',
  'completeness.reported': 'Mit Meldung ({count})',
  'completeness.offers': 'Angebote: {count}',
  'completeness.openNeeds': 'Offene Bedarfe: {count}',
  'completeness.none': 'Keine Kreise in Ihrem Zuständigkeitsbereich.',
} as const;

export const en: Record<keyof typeof de, string> = {
  'indicator.population_density': 'Inhabitants per km²',
  'choropleth.auto': 'Chosen automatically: the first indicator with values.',
  'completeness.title': 'Data completeness',
  'completeness.kreis': 'District {name}',
  'completeness.facts': '{gemeinden} municipalities, {population} inhabitants, {density} per km²',
  'completeness.units': 'Capacity reports: {reported} of {total} units',
  'completeness.noReport': 'no report yet',
  'completeness.reportedOn': 'reported on {date}',
  'completeness.enter': 'Enter capacities',
  'completeness.missing': 'Without a report ({count})',
  'completeness.reported': 'With a report ({count})',
  'completeness.offers': 'Offers: {count}',
  'completeness.openNeeds': 'Open needs: {count}',
  'completeness.none': 'No district in your remit.',
};
