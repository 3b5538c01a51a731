// The ontap-challenge node's events, from successive leaderboards of a challenge's live stream
// (server-sent events) and the neighbourhood's leak count: pure, so the rules are tested by hand.

export interface BoardEntry {
  name: string;
  saving: number | null;
  status: string;
}
export interface Board {
  challengeId: string;
  target: { saving: number; reached: number | null } | null;
  entries: BoardEntry[];
}

export interface TargetReached {
  /** An entry's name (household alias, team or street), or "the challenge" for the overall saving. */
  name: string;
  saving: number;
  target: number;
}

/** Who reached the target in `board` and had not in `previous` (undefined: the first board seen). */
export function targetsReached(previous: Board | undefined, board: Board): TargetReached[] {
  const target = board.target?.saving;
  if (target === undefined) return [];
  const reached = (entry: { saving: number | null } | undefined) =>
    entry?.saving !== null && entry?.saving !== undefined && entry.saving >= target;
  const events: TargetReached[] = [];
  const before = new Map((previous?.entries ?? []).map((entry) => [entry.name, entry]));
  for (const entry of board.entries) {
    if (reached(entry) && !reached(before.get(entry.name)))
      events.push({ name: entry.name, saving: entry.saving as number, target });
  }
  const overall = board.target?.reached ?? null;
  const overallBefore = previous?.target?.reached ?? null;
  if (reached({ saving: overall }) && !reached({ saving: overallBefore }))
    events.push({ name: 'the challenge', saving: overall as number, target });
  return events;
}

/** Splits a server-sent-events text stream into events; feed it chunks, it returns whole events. */
export class SseParser {
  #buffer = '';

  push(chunk: string): { event: string; data: string }[] {
    this.#buffer += chunk.replace(/\r\n/g, '\n');
    const events: { event: string; data: string }[] = [];
    let end = this.#buffer.indexOf('\n\n');
    while (end !== -1) {
      const block = this.#buffer.slice(0, end);
      this.#buffer = this.#buffer.slice(end + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon === -1 ? line : line.slice(0, colon);
        const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'event') event = value;
        else if (field === 'data') data.push(value);
      }
      if (data.length > 0) events.push({ event, data: data.join('\n') });
      end = this.#buffer.indexOf('\n\n');
    }
    return events;
  }
}
