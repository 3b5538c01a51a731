// Generated from api/openapi.json by `npm run openapi` (api/openapi-types.ts). Do not edit.
/* eslint-disable */
export interface paths {
  "/healthz": {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": {
              status: "ok";
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/readyz": {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": {
              status: string;
            };
          };
        };
        503: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": {
              status: string;
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/auth/login": {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            email: string;
            password: string;
          };
        };
      };
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": {
              accountId: string;
              role: "household" | "champion" | "utility" | "admin";
              householdId: string | null;
              neighbourhoodId: string | null;
              csrfToken: string | null;
            };
          };
        };
        401: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": components['schemas']["Error"];
          };
        };
        429: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": components['schemas']["Error"];
          };
        };
      };
    };
    get?: never;
    put?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/auth/signup": {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            email: string;
            password: string;
            code: string;
            alias?: string;
            occupants?: number;
          };
        };
      };
      responses: {
        201: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": {
              accountId: string;
              role: "household" | "champion" | "utility" | "admin";
              householdId: string | null;
              neighbourhoodId: string | null;
              csrfToken: string | null;
            };
          };
        };
        400: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": components['schemas']["Error"];
          };
        };
        409: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": components['schemas']["Error"];
          };
        };
        429: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": components['schemas']["Error"];
          };
        };
      };
    };
    get?: never;
    put?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/auth/logout": {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        204: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": null;
          };
        };
      };
    };
    get?: never;
    put?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/auth/me": {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": {
              accountId: string;
              role: "household" | "champion" | "utility" | "admin";
              householdId: string | null;
              neighbourhoodId: string | null;
              csrfToken: string | null;
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/auth/tokens": {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": ({
              id: string;
              name: string;
              createdAt: string;
              expiresAt: string;
              lastUsedAt: string | null;
              expired: boolean;
            })[];
          };
        };
      };
    };
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            name: string;
            validDays?: number;
          };
        };
      };
      responses: {
        201: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": {
              id: string;
              token: string;
              expiresAt: string;
            };
          };
        };
        403: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": components['schemas']["Error"];
          };
        };
      };
    };
    put?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/auth/tokens/{tokenId}": {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          tokenId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        204: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": null;
          };
        };
        404: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": components['schemas']["Error"];
          };
        };
      };
    };
    get?: never;
    put?: never;
    post?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/households/{householdId}/leak": {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          householdId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": {
              possibleLeak: boolean;
              hoursChecked: number;
              hoursWithoutUse: number;
              since: string | null;
              mark: "fixed" | "expected" | null;
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/households/{householdId}/leaks": {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    get: {
      parameters: {
        query?: {
          from?: string;
          to?: string;
        };
        header?: never;
        path: {
          householdId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": {
              timeZone: string;
              from: string;
              to: string;
              tariff: {
                perM3: number;
                currency: string;
              };
              episodes: ({
                start: string;
                end: string | null;
                ongoing: boolean;
                endedBy: "dry_hour" | "no_data" | null;
                hours: number;
                litresLost: number;
                cost: {
                  amount: number;
                  currency: string;
                };
                mark: "fixed" | "expected" | null;
                markedAt: string | null;
              })[];
            };
          };
        };
        400: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": components['schemas']["Error"];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/households/{householdId}/leaks/{start}/mark": {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    put: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          householdId: string;
          start: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            mark: "fixed" | "expected" | null;
          };
        };
      };
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": {
              start: string;
              mark: "fixed" | "expected" | null;
              markedAt: string | null;
            };
          };
        };
        400: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": components['schemas']["Error"];
          };
        };
        404: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": components['schemas']["Error"];
          };
        };
      };
    };
    get?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/households/{householdId}": {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          householdId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": {
              id: string;
              alias: string;
              occupants: number;
              consent: "private" | "challenge" | "research";
              street: string;
              neighbourhoodId: string;
              timeZone: string;
              meters: ({
                id: string;
                kind: "water" | "electricity" | "gas";
                lastReadingAt: string | null;
                status: {
                  online: boolean;
                  battery: number | null;
                  rssi: number | null;
                  at: string;
                } | null;
              })[];
            };
          };
        };
      };
    };
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          householdId: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            confirm: string;
          };
        };
      };
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": {
              erased: string;
              receipt: string;
              erasedAt: string;
              metersRevoked: (string)[];
              removed: {
                readings: number;
                meterEvents: number;
                deadLetters: number;
                meters: number;
                accounts: number;
                sessions: number;
                apiTokens: number;
                consentChanges: number;
                challengeMemberships: number;
                householdEvents: number;
                dailyUseRows: number;
                usualHoursRows: number;
                leakMarks: number;
              };
              finalSweepAt: string;
            };
          };
        };
        400: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": components['schemas']["Error"];
          };
        };
        503: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": components['schemas']["Error"];
          };
        };
      };
    };
    put?: never;
    post?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/households/{householdId}/consent": {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    put: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          householdId: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            consent: "private" | "challenge" | "research";
          };
        };
      };
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": {
              consent: "private" | "challenge" | "research";
            };
          };
        };
      };
    };
    get?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/households/{householdId}/usage": {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    get: {
      parameters: {
        query: {
          kind?: "water" | "electricity" | "gas";
          granularity?: "hour" | "day" | "week";
          from: string;
          to: string;
        };
        header?: never;
        path: {
          householdId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": {
              kind: "water" | "electricity" | "gas";
              unit: "L" | "Wh";
              granularity: "hour" | "day" | "week";
              timeZone: string;
              baselineFrom: string;
              baselineTo: string;
              baselineBasis: "challenge" | "recent";
              baselineChallenge: string | null;
              baselinePerDay: number | null;
              targetPerDay: number | null;
              litresPerPersonPerDay: number | null;
              litresPerPersonPerDayTarget: number | null;
              points: ({
                start: string;
                date: string;
                use: number;
                perPersonPerDay: number | null;
              })[];
            };
          };
        };
        400: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": components['schemas']["Error"];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/households/{householdId}/today": {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    get: {
      parameters: {
        query?: {
          kind?: "water" | "electricity" | "gas";
        };
        header?: never;
        path: {
          householdId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": components['schemas']["HouseholdToday"];
          };
        };
        400: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": components['schemas']["Error"];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/households/{householdId}/stream": {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    get: {
      parameters: {
        query?: {
          once?: string;
        };
        header?: never;
        path: {
          householdId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content?: never;
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/households/{householdId}/challenges": {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          householdId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": ({
              challengeId: string;
              name: string;
              template: string;
              scope: "households" | "teams" | "streets";
              metric: "water" | "electricity" | "gas";
              startsOn: string;
              endsOn: string;
              phase: "upcoming" | "running" | "finished";
              challengeStatus: "upcoming" | "running" | "finished" | "cancelled" | "archived";
              status: "ranked" | "not_rated_yet" | "not_enough_data" | "too_few_rated";
              targetSaving: number | null;
              targetReached: number | null;
              saving: number | null;
              saved: number | null;
              team: string | null;
              teamId: string | null;
              mentor: string | null;
              mentoring: boolean;
              rank: number | null;
              of: number;
              householdRank: number | null;
              householdsRanked: number;
              pledges: ("shorter_showers" | "tap_off_brushing" | "full_loads" | "fix_drips" | "water_butt" | "garden_evening" | "shower_timer" | "no_prerinse")[];
            })[];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/households/{householdId}/invitations": {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          householdId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": ({
              challengeId: string;
              name: string;
              template: "personal_best" | "friends_on_tap" | "street_league" | "neighbourhood_wash";
              scope: "households" | "teams" | "streets";
              metric: "water" | "electricity" | "gas";
              startsOn: string;
              endsOn: string;
              phase: "upcoming" | "running" | "finished";
              status: "upcoming" | "running" | "finished";
            })[];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/households/{householdId}/meters": {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          householdId: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            meterId: string;
            kind: "water" | "electricity" | "gas";
            clientId?: string;
          };
        };
      };
      responses: {
        201: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": {
              meterId: string;
              kind: "water" | "electricity" | "gas";
              mqtt: {
                username: string;
                clientId: string;
                password: string;
                topic: string;
              };
            };
          };
        };
        409: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": components['schemas']["Error"];
          };
        };
        503: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": components['schemas']["Error"];
          };
        };
      };
    };
    get?: never;
    put?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/households/{householdId}/export": {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    get: {
      parameters: {
        query?: {
          format?: "json" | "csv";
        };
        header?: never;
        path: {
          householdId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content?: never;
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/households/{householdId}/reports/{month}": {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          householdId: string;
          month: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": components['schemas']["HomeReport"];
          };
        };
        400: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": components['schemas']["Error"];
          };
        };
        404: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": components['schemas']["Error"];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/households/{householdId}/reports/{month}.pdf": {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          householdId: string;
          month: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content?: never;
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/neighbourhoods": {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    get: {
      parameters: {
        query?: {
          include?: "archived";
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": ({
              id: string;
              name: string;
              timeZone: string;
              streets: number;
              households: number;
              archived: boolean;
            })[];
          };
        };
      };
    };
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            name: string;
            timeZone: string;
            id?: string;
          };
        };
      };
      responses: {
        201: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": {
              id: string;
              name: string;
              timeZone: string;
            };
          };
        };
        400: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": components['schemas']["Error"];
          };
        };
        409: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": components['schemas']["Error"];
          };
        };
      };
    };
    put?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/neighbourhoods/{neighbourhoodId}": {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    patch: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          neighbourhoodId: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            name?: string;
            timeZone?: string;
          };
        };
      };
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": {
              id: string;
              name: string;
              timeZone: string;
              archived: boolean;
            };
          };
        };
        400: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": components['schemas']["Error"];
          };
        };
        404: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": components['schemas']["Error"];
          };
        };
        409: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": components['schemas']["Error"];
          };
        };
      };
    };
    get?: never;
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    trace?: never;
  };
  "/api/neighbourhoods/{neighbourhoodId}/archive": {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          neighbourhoodId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": {
              id: string;
              name: string;
              timeZone: string;
              archived: boolean;
            };
          };
        };
        404: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": components['schemas']["Error"];
          };
        };
        409: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": components['schemas']["Error"];
          };
        };
      };
    };
    get?: never;
    put?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/neighbourhoods/{neighbourhoodId}/streets": {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          neighbourhoodId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": ({
              id: string;
              name: string;
              households: number;
            })[];
          };
        };
      };
    };
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          neighbourhoodId: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            names: (string)[];
          };
        };
      };
      responses: {
        201: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": {
              created: ({
                id: string;
                name: string;
              })[];
              existing: (string)[];
            };
          };
        };
        400: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": components['schemas']["Error"];
          };
        };
        404: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": components['schemas']["Error"];
          };
        };
      };
    };
    put?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/neighbourhoods/{neighbourhoodId}/streets/{streetId}": {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    patch: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          neighbourhoodId: string;
          streetId: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            name: string;
          };
        };
      };
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": {
              id: string;
              name: string;
            };
          };
        };
        400: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": components['schemas']["Error"];
          };
        };
        404: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": components['schemas']["Error"];
          };
        };
        409: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": components['schemas']["Error"];
          };
        };
      };
    };
    get?: never;
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    trace?: never;
  };
  "/api/neighbourhoods/{neighbourhoodId}/invitations": {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          neighbourhoodId: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            role: "household" | "champion" | "utility";
            streetId?: string;
            validDays?: number;
          };
        };
      };
      responses: {
        201: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": {
              code: string;
              expiresAt: string;
            };
          };
        };
        400: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": components['schemas']["Error"];
          };
        };
        403: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": components['schemas']["Error"];
          };
        };
        404: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": components['schemas']["Error"];
          };
        };
      };
    };
    get?: never;
    put?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/neighbourhoods/{neighbourhoodId}/invitation-pack": {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          neighbourhoodId: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            streetId: string;
            letters: number;
            challengeId?: string;
            validDays?: number;
          };
        };
      };
      responses: {
        400: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": components['schemas']["Error"];
          };
        };
        403: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": components['schemas']["Error"];
          };
        };
        404: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": components['schemas']["Error"];
          };
        };
        409: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": components['schemas']["Error"];
          };
        };
      };
    };
    get?: never;
    put?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/neighbourhoods/{neighbourhoodId}/challenges": {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    get: {
      parameters: {
        query?: {
          include?: "archived";
        };
        header?: never;
        path: {
          neighbourhoodId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": ({
              id: string;
              name: string;
              template: "personal_best" | "friends_on_tap" | "street_league" | "neighbourhood_wash";
              startsOn: string;
              endsOn: string;
              status: "upcoming" | "running" | "finished" | "cancelled" | "archived";
            })[];
          };
        };
      };
    };
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          neighbourhoodId: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            template: "personal_best" | "friends_on_tap" | "street_league" | "neighbourhood_wash";
            name?: string;
            metric?: "water" | "electricity" | "gas";
            scope?: "households" | "teams" | "streets";
            startsOn: string;
            endsOn?: string;
            baselineFrom?: string;
            baselineTo?: string;
            targetSaving?: number;
            public?: boolean;
          };
        };
      };
      responses: {
        201: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": components['schemas']["Challenge"];
          };
        };
        400: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": components['schemas']["Error"];
          };
        };
      };
    };
    put?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/neighbourhoods/{neighbourhoodId}/leaks": {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          neighbourhoodId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": {
              households: number;
              minHouseholds: number;
              streets: ({
                streetId: string;
                street: string;
                households: number | null;
                withheldReason: "too_few_households" | "complementary" | null;
              })[];
            };
          };
        };
        404: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": components['schemas']["Error"];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/neighbourhoods/{neighbourhoodId}/households": {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          neighbourhoodId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": {
              households: ({
                householdId: string;
                alias: string;
                street: string;
                streetId: string;
                challenges: ({
                  challengeId: string;
                  name: string;
                })[];
                meters: number;
                metersReading: number;
                invitedTo: ({
                  challengeId: string;
                  name: string;
                })[];
              })[];
              privateByStreet: ({
                street: string;
                streetId: string;
                households: number;
              })[];
            };
          };
        };
        404: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": components['schemas']["Error"];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/neighbourhoods/{neighbourhoodId}/aggregates": {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    get: {
      parameters: {
        query: {
          kind?: "water" | "electricity" | "gas";
          from: string;
          to: string;
          by?: "street" | "neighbourhood";
        };
        header?: never;
        path: {
          neighbourhoodId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": {
              kind: "water" | "electricity" | "gas";
              litresPerPersonPerDayTarget: number | null;
              rule: {
                minHouseholds: number;
                maxShare: number;
              };
              groups: ({
                group: string;
                days: ({
                  date: string;
                  households: number | null;
                  total: number | null;
                  perPersonPerDay: number | null;
                  withheld: string | null;
                  withheldReason: "too_few_households" | "dominant_household" | "complementary" | "looser_rule" | null;
                })[];
              })[];
            };
          };
        };
        400: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": components['schemas']["Error"];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/neighbourhoods/{neighbourhoodId}/open-data/releases": {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          neighbourhoodId: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            from: string;
            to: string;
            licence: "ODC-PDDL-1.0" | "ODC-By-1.0" | "CC-BY-4.0" | "CC0-1.0";
            title?: string;
            confirm: string;
          };
        };
      };
      responses: {
        201: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": {
              id: string;
              neighbourhoodId: string;
              title: string;
              licence: string;
              from: string;
              to: string;
              publishedAt: string;
              datapackage: string;
              withdrawn: {
                at: string;
                reason: string;
              } | null;
              files: (string)[];
              figures: {
                shown: number;
                withheld: number;
              };
            };
          };
        };
        400: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": components['schemas']["Error"];
          };
        };
        404: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": components['schemas']["Error"];
          };
        };
        409: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": components['schemas']["Error"];
          };
        };
      };
    };
    get?: never;
    put?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/neighbourhoods/{neighbourhoodId}/open-data/releases/{releaseId}/withdraw": {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          neighbourhoodId: string;
          releaseId: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            reason: string;
          };
        };
      };
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": {
              id: string;
              neighbourhoodId: string;
              title: string;
              licence: string;
              from: string;
              to: string;
              publishedAt: string;
              datapackage: string;
              withdrawn: {
                at: string;
                reason: string;
              } | null;
            };
          };
        };
        400: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": components['schemas']["Error"];
          };
        };
        404: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": components['schemas']["Error"];
          };
        };
      };
    };
    get?: never;
    put?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/challenges/{challengeId}": {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          challengeId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": components['schemas']["Challenge"];
          };
        };
      };
    };
    patch: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          challengeId: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            name?: string;
            targetSaving?: number | null;
            startsOn?: string;
            endsOn?: string;
          };
        };
      };
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": components['schemas']["Challenge"];
          };
        };
        400: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": components['schemas']["Error"];
          };
        };
        404: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": components['schemas']["Error"];
          };
        };
        409: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": components['schemas']["Error"];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    trace?: never;
  };
  "/api/challenges/{challengeId}/end": {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          challengeId: string;
        };
        cookie?: never;
      };
      requestBody?: {
        content: {
          "application/json": {
            lastDay?: string;
          } | null;
        };
      };
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": components['schemas']["Challenge"];
          };
        };
        400: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": components['schemas']["Error"];
          };
        };
        404: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": components['schemas']["Error"];
          };
        };
        409: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": components['schemas']["Error"];
          };
        };
      };
    };
    get?: never;
    put?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/challenges/{challengeId}/cancel": {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          challengeId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": components['schemas']["Challenge"];
          };
        };
        400: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": components['schemas']["Error"];
          };
        };
        404: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": components['schemas']["Error"];
          };
        };
        409: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": components['schemas']["Error"];
          };
        };
      };
    };
    get?: never;
    put?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/challenges/{challengeId}/archive": {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          challengeId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": components['schemas']["Challenge"];
          };
        };
        400: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": components['schemas']["Error"];
          };
        };
        404: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": components['schemas']["Error"];
          };
        };
        409: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": components['schemas']["Error"];
          };
        };
      };
    };
    get?: never;
    put?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/challenges/{challengeId}/leaderboard": {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          challengeId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": components['schemas']["Leaderboard"];
          };
        };
        404: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": components['schemas']["Error"];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/challenges/{challengeId}/stream": {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    get: {
      parameters: {
        query?: {
          once?: string;
        };
        header?: never;
        path: {
          challengeId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content?: never;
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/challenges/{challengeId}/members": {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          challengeId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": {
              invited: number;
              members: ({
                householdId: string;
                alias: string;
                street: string;
                team: string | null;
              })[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/challenges/{challengeId}/visibility": {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    put: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          challengeId: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            public: boolean;
          };
        };
      };
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": {
              public: boolean;
            };
          };
        };
      };
    };
    get?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/challenges/{challengeId}/invitations": {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          challengeId: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            householdIds?: (string)[];
            streetIds?: (string)[];
            everyone?: boolean;
          };
        };
      };
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": {
              invited: number;
            };
          };
        };
        409: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": components['schemas']["Error"];
          };
        };
      };
    };
    get?: never;
    put?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/challenges/{challengeId}/teams": {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          challengeId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": components['schemas']["Teams"];
          };
        };
      };
    };
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          challengeId: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            name: string;
            mentorHouseholdId: string;
            householdIds: (string)[];
          };
        };
      };
      responses: {
        201: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": {
              id: string;
              name: string;
            };
          };
        };
        400: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": components['schemas']["Error"];
          };
        };
        409: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": components['schemas']["Error"];
          };
        };
      };
    };
    put?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/challenges/{challengeId}/teams/{teamId}": {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    put: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          challengeId: string;
          teamId: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            name: string;
            mentorHouseholdId: string;
            householdIds: (string)[];
          };
        };
      };
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": {
              id: string;
              name: string;
            };
          };
        };
        400: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": components['schemas']["Error"];
          };
        };
        404: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": components['schemas']["Error"];
          };
        };
        409: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": components['schemas']["Error"];
          };
        };
      };
    };
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          challengeId: string;
          teamId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": {
              id: string;
            };
          };
        };
        400: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": components['schemas']["Error"];
          };
        };
        404: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": components['schemas']["Error"];
          };
        };
        409: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": components['schemas']["Error"];
          };
        };
      };
    };
    get?: never;
    post?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/challenges/{challengeId}/teams/{teamId}/mentoring": {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          challengeId: string;
          teamId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": components['schemas']["MentorView"];
          };
        };
        403: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": components['schemas']["Error"];
          };
        };
        404: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": components['schemas']["Error"];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/challenges/{challengeId}/membership": {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          challengeId: string;
        };
        cookie?: never;
      };
      requestBody?: {
        content: {
          "application/json": {
            pledges?: ("shorter_showers" | "tap_off_brushing" | "full_loads" | "fix_drips" | "water_butt" | "garden_evening" | "shower_timer" | "no_prerinse")[];
          } | null;
        };
      };
      responses: {
        201: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": {
              joined: string;
            };
          };
        };
        400: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": components['schemas']["Error"];
          };
        };
        403: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": components['schemas']["Error"];
          };
        };
        409: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": components['schemas']["Error"];
          };
        };
      };
    };
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          challengeId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": {
              left: string;
            };
          };
        };
        404: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": components['schemas']["Error"];
          };
        };
      };
    };
    get?: never;
    put?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/challenges/{challengeId}/membership/pledges": {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    put: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          challengeId: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            pledges: ("shorter_showers" | "tap_off_brushing" | "full_loads" | "fix_drips" | "water_butt" | "garden_evening" | "shower_timer" | "no_prerinse")[];
          };
        };
      };
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": {
              pledges: ("shorter_showers" | "tap_off_brushing" | "full_loads" | "fix_drips" | "water_butt" | "garden_evening" | "shower_timer" | "no_prerinse")[];
            };
          };
        };
        400: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": components['schemas']["Error"];
          };
        };
        404: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": components['schemas']["Error"];
          };
        };
      };
    };
    get?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/admin/dead-letters": {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    get: {
      parameters: {
        query?: {
          reason?: "BAD_TOPIC" | "BAD_METER_ID" | "PAYLOAD_TOO_LARGE" | "INVALID_JSON" | "NOT_AN_OBJECT" | "EMPTY_BATCH" | "BATCH_TOO_LONG" | "BAD_TIMESTAMP" | "TIMESTAMP_IN_FUTURE" | "TIMESTAMP_TOO_OLD" | "UNKNOWN_KIND" | "UNKNOWN_UNIT" | "UNIT_NOT_FOR_KIND" | "BAD_REGISTER" | "BAD_DELTA" | "REGISTER_AND_DELTA" | "NO_REGISTER_OR_DELTA" | "BAD_SEQ" | "BAD_STATUS" | "PROFILE_INCOMPLETE" | "NO_READING" | "STALE_RETAINED" | "UNKNOWN_DEVICE_MODEL" | "UNKNOWN_METER" | "KIND_MISMATCH" | "STORE_REJECTED" | "PROCESSING_FAILED";
          limit?: number;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": {
              counts: Record<string, number>;
              letters: ({
                receivedAt: string;
                topic: string;
                reason: string;
                detail: string;
                payload: string;
              })[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/public/challenges/{challengeId}/leaderboard": {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          challengeId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": {
              challengeId: string;
              scope: "households" | "teams" | "streets";
              completeDays: number;
              lastCompleteDay: string | null;
              target: {
                saving: number;
                reached: number | null;
              } | null;
              entries: ({
                rank: number | null;
                name: string;
                status: "ranked" | "not_rated_yet" | "not_enough_data" | "too_few_rated";
                saving: number | null;
                mentor?: string | null;
              })[];
              households: ({
                rank: number | null;
                name: string;
                status: "ranked" | "not_rated_yet" | "not_enough_data" | "too_few_rated";
                saving: number | null;
                mentor?: string | null;
              })[] | null;
              name: string;
              startsOn: string;
              endsOn: string;
            };
          };
        };
        404: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": components['schemas']["Error"];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/public/open-data/{neighbourhoodId}": {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          neighbourhoodId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": {
              neighbourhoodId: string;
              releases: ({
                id: string;
                neighbourhoodId: string;
                title: string;
                licence: string;
                from: string;
                to: string;
                publishedAt: string;
                datapackage: string;
                withdrawn: {
                  at: string;
                  reason: string;
                } | null;
              })[];
            };
          };
        };
        404: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": components['schemas']["Error"];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/public/open-data/{neighbourhoodId}/{releaseId}/{file}": {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          neighbourhoodId: string;
          releaseId: string;
          file: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        304: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": null;
          };
        };
        404: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": components['schemas']["Error"];
          };
        };
        410: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": components['schemas']["Error"];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}

export interface components {
  schemas: {
    ErrorInput: {
      error: string;
      message: string;
      reason?: string;
      fields?: ({
        in: string;
        field: string;
        code: string;
        limit?: number;
      })[];
    };
    ChallengeInput: {
      id: string;
      neighbourhoodId: string;
      template: "personal_best" | "friends_on_tap" | "street_league" | "neighbourhood_wash";
      name: string;
      metric: "water" | "electricity" | "gas";
      scope: "households" | "teams" | "streets";
      startsOn: string;
      endsOn: string;
      baselineFrom: string;
      baselineTo: string;
      targetSaving: number | null;
      public: boolean;
      status: "upcoming" | "running" | "finished" | "cancelled" | "archived";
    };
    LeaderboardInput: {
      challengeId: string;
      scope: "households" | "teams" | "streets";
      completeDays: number;
      lastCompleteDay: string | null;
      target: {
        saving: number;
        reached: number | null;
      } | null;
      entries: ({
        rank: number | null;
        name: string;
        status: "ranked" | "not_rated_yet" | "not_enough_data" | "too_few_rated";
        saving: number | null;
        saved: number | null;
        members?: number;
        ratedMembers?: number;
        mentor?: string | null;
        today: number | null;
      })[];
      households: ({
        rank: number | null;
        name: string;
        status: "ranked" | "not_rated_yet" | "not_enough_data" | "too_few_rated";
        saving: number | null;
        saved: number | null;
        members?: number;
        ratedMembers?: number;
        mentor?: string | null;
        today: number | null;
      })[] | null;
    };
    TeamsInput: ({
      id: string;
      name: string;
      mentor: {
        householdId: string;
        alias: string;
        street: string;
      } | null;
      members: ({
        householdId: string;
        alias: string;
        street: string;
      })[];
    })[];
    MentorViewInput: {
      challenge: {
        id: string;
        name: string;
        status: "upcoming" | "running" | "finished" | "cancelled" | "archived";
      };
      team: {
        id: string;
        name: string;
      };
      lastDay: string;
      members: ({
        alias: string;
        street: string;
        mentor: boolean;
        status: "ranked" | "not_rated_yet" | "not_enough_data" | "too_few_rated";
        progress: "saving_a_lot" | "saving" | "as_usual" | "using_more" | null;
        pledges: ("shorter_showers" | "tap_off_brushing" | "full_loads" | "fix_drips" | "water_butt" | "garden_evening" | "shower_timer" | "no_prerinse")[];
        daysWithoutData: number;
        quiet: boolean;
      })[];
    };
    HouseholdTodayInput: {
      kind: "water" | "electricity" | "gas";
      unit: "L" | "Wh";
      asOf: string;
      soFar: number;
      usualSoFar: number | null;
      usualDay: number | null;
      changeFromUsual: number | null;
      lastReadingAt: string | null;
    };
    StatusPayloadInput: {
      online: boolean;
      battery?: number;
      rssi?: number;
    };
    HomeReportInput: {
      month: string;
      alias: string;
      occupants: number;
      timeZone: string;
      firstMonth: string;
      currentMonth: string;
      from: string;
      to: string;
      complete: boolean;
      days: number;
      daysWithData: number;
      litresPerDay: number | null;
      litresPerPersonPerDay: number | null;
      litresPerPersonPerDayTarget: number;
      baseline: {
        from: string;
        to: string;
        basis: "challenge" | "recent";
        challenge: string | null;
        litresPerDay: number | null;
        change: number | null;
      };
      similarHomes: {
        occupants: number;
        minimumHomes: number;
        shown: boolean;
        typical: number | null;
        efficient: number | null;
      };
      cue: "great" | "good" | "above" | null;
      pledges: ({
        challenge: string;
        pledges: ("shorter_showers" | "tap_off_brushing" | "full_loads" | "fix_drips" | "water_butt" | "garden_evening" | "shower_timer" | "no_prerinse")[];
      })[];
      pattern: {
        nightShare: number | null;
        eveningPeaks: number;
        warmMonth: boolean;
      };
      tips: ({
        id: "find_leaks" | "water_garden_wisely" | "shorter_showers" | "full_loads" | "tap_off_brushing" | "no_prerinse";
        reason: "night_use" | "garden_peaks" | "high_use_per_person" | "general";
      })[];
    };
    Error: {
      error: string;
      message: string;
      reason?: string;
      fields?: ({
        in: string;
        field: string;
        code: string;
        limit?: number;
      })[];
    };
    Challenge: {
      id: string;
      neighbourhoodId: string;
      template: "personal_best" | "friends_on_tap" | "street_league" | "neighbourhood_wash";
      name: string;
      metric: "water" | "electricity" | "gas";
      scope: "households" | "teams" | "streets";
      startsOn: string;
      endsOn: string;
      baselineFrom: string;
      baselineTo: string;
      targetSaving: number | null;
      public: boolean;
      status: "upcoming" | "running" | "finished" | "cancelled" | "archived";
    };
    Leaderboard: {
      challengeId: string;
      scope: "households" | "teams" | "streets";
      completeDays: number;
      lastCompleteDay: string | null;
      target: {
        saving: number;
        reached: number | null;
      } | null;
      entries: ({
        rank: number | null;
        name: string;
        status: "ranked" | "not_rated_yet" | "not_enough_data" | "too_few_rated";
        saving: number | null;
        saved: number | null;
        members?: number;
        ratedMembers?: number;
        mentor?: string | null;
        today: number | null;
      })[];
      households: ({
        rank: number | null;
        name: string;
        status: "ranked" | "not_rated_yet" | "not_enough_data" | "too_few_rated";
        saving: number | null;
        saved: number | null;
        members?: number;
        ratedMembers?: number;
        mentor?: string | null;
        today: number | null;
      })[] | null;
    };
    Teams: ({
      id: string;
      name: string;
      mentor: {
        householdId: string;
        alias: string;
        street: string;
      } | null;
      members: ({
        householdId: string;
        alias: string;
        street: string;
      })[];
    })[];
    MentorView: {
      challenge: {
        id: string;
        name: string;
        status: "upcoming" | "running" | "finished" | "cancelled" | "archived";
      };
      team: {
        id: string;
        name: string;
      };
      lastDay: string;
      members: ({
        alias: string;
        street: string;
        mentor: boolean;
        status: "ranked" | "not_rated_yet" | "not_enough_data" | "too_few_rated";
        progress: "saving_a_lot" | "saving" | "as_usual" | "using_more" | null;
        pledges: ("shorter_showers" | "tap_off_brushing" | "full_loads" | "fix_drips" | "water_butt" | "garden_evening" | "shower_timer" | "no_prerinse")[];
        daysWithoutData: number;
        quiet: boolean;
      })[];
    };
    HouseholdToday: {
      kind: "water" | "electricity" | "gas";
      unit: "L" | "Wh";
      asOf: string;
      soFar: number;
      usualSoFar: number | null;
      usualDay: number | null;
      changeFromUsual: number | null;
      lastReadingAt: string | null;
    };
    StatusPayload: {
      online: boolean;
      battery?: number;
      rssi?: number;
    };
    HomeReport: {
      month: string;
      alias: string;
      occupants: number;
      timeZone: string;
      firstMonth: string;
      currentMonth: string;
      from: string;
      to: string;
      complete: boolean;
      days: number;
      daysWithData: number;
      litresPerDay: number | null;
      litresPerPersonPerDay: number | null;
      litresPerPersonPerDayTarget: number;
      baseline: {
        from: string;
        to: string;
        basis: "challenge" | "recent";
        challenge: string | null;
        litresPerDay: number | null;
        change: number | null;
      };
      similarHomes: {
        occupants: number;
        minimumHomes: number;
        shown: boolean;
        typical: number | null;
        efficient: number | null;
      };
      cue: "great" | "good" | "above" | null;
      pledges: ({
        challenge: string;
        pledges: ("shorter_showers" | "tap_off_brushing" | "full_loads" | "fix_drips" | "water_butt" | "garden_evening" | "shower_timer" | "no_prerinse")[];
      })[];
      pattern: {
        nightShare: number | null;
        eveningPeaks: number;
        warmMonth: boolean;
      };
      tips: ({
        id: "find_leaks" | "water_garden_wisely" | "shorter_showers" | "full_loads" | "tap_off_brushing" | "no_prerinse";
        reason: "night_use" | "garden_peaks" | "high_use_per_person" | "general";
      })[];
    };
  };
}
