// The CLI as a user meets it: a real child process on Node 24.
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { spawnOntapStart } from '../testing/ontap-start.ts';

const run = promisify(execFile);
const ontap = new URL('./ontap.ts', import.meta.url).pathname;

async function ontapCli(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, [ontap, ...args], { env: { PATH: process.env.PATH, ...env } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const { code, stdout, stderr } = error as { code: number; stdout: string; stderr: string };
    return { code, stdout, stderr };
  }
}

describe('ontap CLI', () => {
  it('prints help listing its commands', async () => {
    const { code, stdout } = await ontapCli(['--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/Usage: ontap <command>/);
    expect(stdout).toMatch(/config +print the configuration/);
  });

  it('prints the configuration with secrets masked', async () => {
    const { code, stdout } = await ontapCli(['config'], {
      ONTAP_DATABASE_URL: 'postgres://ontap:hunter2@db:5432/ontap',
      ONTAP_INFLUX_TOKEN: 'tok-secret',
      ONTAP_HTTP_PORT: '8080',
    });
    expect(code).toBe(0);
    expect(stdout).toContain('ONTAP_HTTP_PORT=8080\n');
    expect(stdout).toContain('ONTAP_MQTT_PORT=1883  (default)');
    expect(stdout).toContain('ONTAP_DATABASE_URL=postgres://ontap:****@db:5432/ontap');
    expect(stdout).toContain('ONTAP_INFLUX_TOKEN=****');
    expect(stdout).not.toMatch(/hunter2|tok-secret/);
  });

  it.each([
    [{ ONTAP_HTTP_PORT: 'eighty' }, 'ontap: ONTAP_HTTP_PORT: expected a port number, got "eighty"'],
    [{ ONTAP_MQTT_PORT: '70000' }, 'ontap: ONTAP_MQTT_PORT: expected a port number from 0 to 65535, got "70000"'],
    [{ ONTAP_TZ: 'Mars/Olympus' }, 'ontap: ONTAP_TZ: expected an IANA time zone such as Europe/London, got "Mars/Olympus"'],
    [
      { ONTAP_LOG_LEVEL: 'loud' },
      'ontap: ONTAP_LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace, silent, got "loud"',
    ],
    [
      { ONTAP_DATABASE_URL: 'mysql://x' },
      'ontap: ONTAP_DATABASE_URL: expected a URL starting with postgres:// or postgresql://, got (hidden)',
    ],
  ])('with %o prints one clear line and exits 2', async (env, line) => {
    const { code, stdout, stderr } = await ontapCli(['config'], env);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(`${line}\n`);
  });

  it('names every bad variable, one line each', async () => {
    const { code, stderr } = await ontapCli(['config'], { ONTAP_HTTP_PORT: '-1', ONTAP_INFLUX_URL: 'ftp://x' });
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(2);
  });

  it('refuses an unknown command', async () => {
    const { code, stderr } = await ontapCli(['fly']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/unknown command "fly"/);
  });

  it('start fails with one line when ONTAP_MQTT_PORT was set to a taken port', async () => {
    const blocker = createServer().listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    const port = (blocker.address() as { port: number }).port;
    const { code, stderr } = await ontapCli(['start'], {
      ONTAP_MQTT_PORT: String(port),
      ONTAP_DATA_DIR: '/tmp/ontap-cli-test',
      ONTAP_DEMO: 'off',
    });
    blocker.close();
    expect(code).toBe(1);
    expect(stderr).toBe(
      `ontap: ONTAP_MQTT_PORT ${port} is already in use (another MQTT broker?): choose a free port or leave ONTAP_MQTT_PORT unset\n`,
    );
  });

  it('start moves off a taken default port (1883), prints the one it uses, and stops on SIGTERM', async () => {
    // Make sure 1883 is taken: on these machines Mosquitto holds it; elsewhere this test does.
    const blocker = createServer();
    await new Promise<void>((resolve) => {
      blocker.once('error', () => resolve()).listen(1883, '127.0.0.1', () => resolve());
    });
    rmSync('/tmp/ontap-cli-test/ontap.log', { force: true });
    const child = spawn(process.execPath, [ontap, 'start'], {
      env: { PATH: process.env.PATH, ONTAP_DATA_DIR: '/tmp/ontap-cli-test', ONTAP_HTTP_PORT: '0', ONTAP_DEMO: 'off' },
    });
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    child.stderr.on('data', (chunk) => {
      out += chunk;
    });
    await expect.poll(() => out, { timeout: 20_000 }).toMatch(/OnTap is running/);
    expect(out).toMatch(/port 1883 is taken, so the embedded broker listens on \d+ instead/);
    child.kill('SIGTERM');
    const [exitCode] = await once(child, 'exit');
    if (blocker.listening) blocker.close();
    expect(exitCode).toBe(0);
    expect(out).not.toMatch(/ at .*\.ts:\d+/); // no stack trace
    // The terminal is for a person: no JSON log line there; they are in the data dir's log file.
    expect(out).toContain('Logs:         /tmp/ontap-cli-test/ontap.log');
    expect(out.split('\n').filter((line) => line.startsWith('{'))).toStrictEqual([]);
    const logged = readFileSync('/tmp/ontap-cli-test/ontap.log', 'utf8').trim().split('\n');
    expect(logged.length).toBeGreaterThan(0);
    expect(() => logged.map((line) => JSON.parse(line))).not.toThrow();
  });

  it('start refuses a data dir another OnTap is using, with one line, and leaves that one running', async () => {
    // PGlite is one process's database: a second process on it corrupted it ("Aborted()").
    const dataDir = mkdtempSync(join(tmpdir(), 'ontap-lock-'));
    const first = await spawnOntapStart({ ONTAP_DATA_DIR: dataDir, ONTAP_DEMO: 'off' });
    try {
      const second = await ontapCli(['start'], {
        ONTAP_DATA_DIR: dataDir,
        ONTAP_DEMO: 'off',
        ONTAP_HTTP_PORT: '0',
        ONTAP_MQTT_PORT: '0',
      });
      expect(second.code).toBe(1);
      expect(second.stderr).toBe(
        `ontap: ONTAP_DATA_DIR ${dataDir} is in use by another OnTap (process ${first.child.pid}): stop it, or give this one its own ONTAP_DATA_DIR\n`,
      );
      expect((await fetch(`${first.url}/healthz`)).status).toBe(200);
    } finally {
      expect(await first.stop()).toBe(0);
    }
    // Stopped, it lets the next one in; so does a lock left by a killed process.
    const next = await spawnOntapStart({ ONTAP_DATA_DIR: dataDir, ONTAP_DEMO: 'off' });
    await next.kill9();
    const after = await spawnOntapStart({ ONTAP_DATA_DIR: dataDir, ONTAP_DEMO: 'off' });
    expect(await after.stop()).toBe(0);
  });

  describe('decode', () => {
    it('prints the readings a device message becomes, in base units, and exits 0', async () => {
      const { code, stdout } = await ontapCli([
        'decode',
        '--family',
        'wmbusmeters',
        '--topic',
        'wmbusmeters/MyTapWater',
        '--payload',
        '{"media":"water","meter":"iperl","total_m3":123.529,"timestamp":"2024-03-03T18:37:00Z"}',
        '--profile',
        '{"meterId":"tap-water"}',
      ]);
      expect(code).toBe(0);
      expect(stdout).toBe('wmbusmeters → meter tap-water\n  reading  water  register 123529 L  at 2024-03-03T18:37:00.000Z\n');
    });

    it('says precisely why a message is refused, and exits 1', async () => {
      const { code, stdout } = await ontapCli([
        'decode',
        '--family',
        'esphome-pulse-meter',
        '--topic',
        'meter/sensor/total/state',
        '--payload',
        'nan',
        '--profile',
        '{"unit":"m3"}',
      ]);
      expect(code).toBe(1);
      expect(stdout).toMatch(/refused {2}NO_READING: esphome-pulse-meter: the state "nan" is not a number yet/);
    });

    it('decodes through the bridge a bridges file picks for the topic, and names bad profiles', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'ontap-decode-'));
      const bridges = join(dir, 'bridges.json');
      writeFileSync(
        bridges,
        JSON.stringify({
          bridges: [{ topic: 'tele/+/SENSOR', family: 'tasmota-counter', profile: { meterId: 'garden', unitsPerPulse: 10 } }],
        }),
      );
      const { code, stdout } = await ontapCli([
        'decode',
        '--bridges',
        bridges,
        '--topic',
        'tele/shed/SENSOR',
        '--payload',
        '{"COUNTER":{"C1":7}}',
        '--json',
      ]);
      expect(code).toBe(0);
      expect(JSON.parse(stdout)).toMatchObject({
        family: 'tasmota-counter',
        meterId: 'garden',
        readings: [{ meterId: 'garden', kind: 'water', register: 70, tsFromReceipt: true }],
        receiptTimed: 1,
      });
      const bad = await ontapCli([
        'decode',
        '--family',
        'wmbusmeters',
        '--topic',
        'wmbusmeters/x',
        '--payload',
        '{}',
        '--profile',
        '{"meterId":"a b"}',
      ]);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/^ontap: --profile: meterId: meterId must match/);
    });
  });
});
