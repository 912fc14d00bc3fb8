// Interface texts of one feature, German and English; de.ts and en.ts spread them in, so
// features add keys without touching each other's lines. en must have exactly de's keys.
// The place picker of the partners' need form: by name (a combobox) or on a small map.
export const de = {
  'places.label': 'Ort (Gemeinde oder Amt)',
  'places.hint': 'Tippen Sie einen Teil des Namens und wählen Sie den Ort aus der Liste, oder wählen Sie ihn auf der Karte.',
  'places.results': '{count} passende Orte. Mit Pfeil nach unten auswählen.',
  'places.noMatch': 'Kein Ort heißt so.',
  'places.didYouMean': 'Meinten Sie:',
  'places.required': 'Bitte wählen Sie einen Ort aus der Liste oder auf der Karte.',
  'places.notPicked': 'Bitte wählen Sie einen der vorgeschlagenen Orte; „{text}“ ist keiner.',
  'places.picked': 'Gewählt: {name}',
  'places.inAmt': 'Amt {name}',
  'places.kindAmt': 'Amt',
  'places.kindAmtsfrei': 'amtsfreie Gemeinde',
  'places.kindGemeinde': 'Gemeinde',
  'places.kindStadt': 'Stadt',
  'places.mapShow': 'Auf der Karte wählen',
  'places.mapHide': 'Karte schließen',
  'places.mapLabel': 'Karte der Gemeinden: Klicken Sie auf eine Gemeinde, um sie zu wählen.',
  'places.mapLoading': 'Karte wird geladen …',
} as const;

export const en: Record<keyof typeof de, string> = {
  'places.label': 'Place (municipality or Amt)',
  'places.hint': 'Type part of the name and choose the place from the list, or pick it on the map.',
  'places.results': '{count} matching places. Use the down arrow to choose.',
  'places.noMatch': 'No place has that name.',
  'places.didYouMean': 'Did you mean:',
  'places.required': 'Please choose a place from the list or on the map.',
  'places.notPicked': 'Please choose one of the suggested places; “{text}” is none of them.',
  'places.picked': 'Chosen: {name}',
  'places.inAmt': 'Amt {name}',
  'places.kindAmt': 'Amt (municipal association)',
  'places.kindAmtsfrei': 'independent municipality',
  'places.kindGemeinde': 'municipality',
  'places.kindStadt': 'town',
  'places.mapShow': 'Pick on the map',
  'places.mapHide': 'Close the map',
  'places.mapLabel': 'Map of the municipalities: click one to choose it.',
  'places.mapLoading': 'Loading the map …',
};
