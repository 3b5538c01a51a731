// What anyone may read: a public leaderboard with the challenge's name and dates.
import { z } from 'zod';
import { publicLeaderboardSchema } from '../../domain/challenge.ts';
import { idSchema } from './common.ts';

export const publicBoardParamsSchema = z.object({ challengeId: idSchema });

export const publicBoardSchema = publicLeaderboardSchema.extend({ name: z.string(), startsOn: z.string(), endsOn: z.string() });
