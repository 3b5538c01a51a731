// ontap challenge: a challenge's live events. Output 1: the leaderboard whenever it changes;
// output 2: an entry (or the whole challenge) reaching the target; output 3: a new possible leak
// in the neighbourhood (a count: nobody is named).
import { setTimeout as sleep } from 'node:timers/promises';
import { SseParser, targetsReached } from '../lib/challenge-events.ts';

export default function (RED) {
  function OnTapChallengeNode(config) {
    RED.nodes.createNode(this, config);
    const server = RED.nodes.getNode(config.server);
    const challengeId = config.challengeId;
    const leakEveryMs = Math.max(1, Number(config.leakPollSeconds) || 60) * 1000;
    if (!server || !challengeId) {
      this.status({ fill: 'red', shape: 'ring', text: 'needs a server and a challenge id' });
      return;
    }
    const connection = server.connection;
    const abort = new AbortController();
    let board;
    let leaks;
    let leakTimer;
    let retry = 1000;

    const onBoard = (next) => {
      const reached = targetsReached(board, next);
      board = next;
      this.send([{ topic: 'leaderboard', payload: next }, null, null]);
      for (const event of reached) this.send([null, { topic: 'target-reached', payload: { challengeId, ...event } }, null]);
    };

    const stream = async () => {
      while (!abort.signal.aborted) {
        try {
          const response = await connection.api(`/api/challenges/${encodeURIComponent(challengeId)}/stream`, {
            headers: { accept: 'text/event-stream' },
            signal: abort.signal,
          });
          if (!response.ok || !response.body) throw new Error(`stream answered ${response.status}`);
          this.status({ fill: 'green', shape: 'dot', text: 'live' });
          retry = 1000;
          const parser = new SseParser();
          const decoder = new TextDecoder();
          for await (const chunk of response.body) {
            for (const event of parser.push(decoder.decode(chunk, { stream: true })))
              if (event.event === 'leaderboard') onBoard(JSON.parse(event.data));
          }
        } catch (error) {
          if (abort.signal.aborted) return;
          this.status({ fill: 'yellow', shape: 'ring', text: `reconnecting: ${String(error.message ?? error).slice(0, 30)}` });
        }
        await sleep(retry);
        retry = Math.min(retry * 2, 30_000);
      }
    };

    const pollLeaks = async (neighbourhoodId) => {
      try {
        const response = await connection.api(`/api/neighbourhoods/${encodeURIComponent(neighbourhoodId)}/leaks`, {
          signal: abort.signal,
        });
        if (response.status === 401 || response.status === 403) {
          this.warn('leak counts need the token of a champion of this neighbourhood; leak events are off');
          clearInterval(leakTimer);
          return;
        }
        const { households } = await response.json();
        if (leaks !== undefined && households > leaks)
          this.send([null, null, { topic: 'leak-raised', payload: { challengeId, neighbourhoodId, households, before: leaks } }]);
        leaks = households;
      } catch (error) {
        if (!abort.signal.aborted) this.debug(`leak poll failed: ${error.message ?? error}`);
      }
    };

    const start = async () => {
      const response = await connection.api(`/api/challenges/${encodeURIComponent(challengeId)}`, { signal: abort.signal });
      if (!response.ok) throw new Error(`challenge ${challengeId}: the API answered ${response.status}`);
      const { neighbourhoodId } = await response.json();
      if (config.leaks !== false && connection.settings.token) {
        await pollLeaks(neighbourhoodId);
        leakTimer = setInterval(() => pollLeaks(neighbourhoodId), leakEveryMs);
      }
      await stream();
    };
    start().catch((error) => {
      if (!abort.signal.aborted) {
        this.status({ fill: 'red', shape: 'ring', text: String(error.message ?? error).slice(0, 40) });
        this.error(error);
      }
    });

    this.on('close', (_removed, done) => {
      abort.abort();
      clearInterval(leakTimer);
      done();
    });
  }
  RED.nodes.registerType('ontap-challenge', OnTapChallengeNode);
}
