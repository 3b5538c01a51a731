// Challenge templates: they prefill a challenge; the champion may change any of it.
export const templates = {
  personal_best: { name: 'Personal Best', metric: 'water', scope: 'households', days: 28 },
  friends_on_tap: { name: 'Friends On Tap', metric: 'water', scope: 'teams', days: 28 },
  street_league: { name: 'Street League', metric: 'water', scope: 'streets', days: 28 },
  neighbourhood_wash: { name: 'Neighbourhood Wash', metric: 'water', scope: 'streets', days: 61 },
} as const;

export type TemplateId = keyof typeof templates;
export const templateIds = Object.keys(templates) as [TemplateId, ...TemplateId[]];

/** Friends On Tap teams: 2–8 households around a mentor. */
export const TEAM_SIZE = { min: 2, max: 8 } as const;
export const DEFAULT_BASELINE_DAYS = 28;
