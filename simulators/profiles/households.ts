// Who lives in the simulated neighbourhood: household sizes from the England and Wales 2021
// census (ONS table TS017: 1 person 30.1%, 2 people 34.0%, 3 15.6%, 4 13.1%, 5 5.0%, 6+ 2.2%).
export const occupantsMix = [
  [1, 30.1],
  [2, 34.0],
  [3, 15.6],
  [4, 13.1],
  [5, 5.0],
  [6, 2.2],
] as const;

export const streetNames = [
  'Brook Street',
  'Willow Lane',
  'Mill Road',
  'Church Walk',
  'Orchard Close',
  'Station Road',
  'Meadow View',
  'Spring Gardens',
  'Wellfield Avenue',
  'Riverside',
  'Fountain Row',
  'Reservoir Road',
] as const;

const adjectives = ['Thrifty', 'Drip', 'Splash', 'Rain', 'Blue', 'Eco', 'Steady', 'Green', 'Bright', 'Tidy', 'Clever', 'Calm'];
const nouns = [
  'Drops',
  'Otters',
  'Herons',
  'Kettles',
  'Butts',
  'Savers',
  'Wells',
  'Streams',
  'Taps',
  'Puddles',
  'Clouds',
  'Ducks',
];

export function aliasFor(index: number): string {
  const adjective = adjectives[index % adjectives.length];
  const noun = nouns[Math.floor(index / adjectives.length) % nouns.length];
  const round = Math.floor(index / (adjectives.length * nouns.length));
  return round === 0 ? `${adjective} ${noun}` : `${adjective} ${noun} ${round + 1}`;
}
