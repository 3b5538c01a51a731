// The floor under ingest's CPU per message: a bare mqtt.js subscriber that acknowledges each
// QoS 1 message at once and does nothing else. Run by bench/ingest.ts as its own process.
// argv: url username password count
import mqtt from 'mqtt';

const [url, username, password, count] = process.argv.slice(2) as [string, string, string, string];
const total = Number(count);
const client = await mqtt.connectAsync(url, {
  username,
  password,
  protocolVersion: 5,
  clientId: `ontap-bench-floor-${process.pid}`,
  clean: true,
});
let received = 0;
let started = 0;
let cpuAtStart = process.cpuUsage();
client.handleMessage = (_packet, done) => {
  if (received++ === 0) {
    started = performance.now();
    cpuAtStart = process.cpuUsage();
  }
  done();
};
await client.subscribeAsync('ontap/v1/meters/+/readings', { qos: 1 });
process.stdout.write('ready\n');
await new Promise<void>((resolve) => {
  const timer = setInterval(() => {
    if (received >= total) {
      clearInterval(timer);
      resolve();
    }
  }, 10);
});
const cpu = process.cpuUsage(cpuAtStart);
process.stdout.write(
  `${JSON.stringify({ messagesPerSecond: total / ((performance.now() - started) / 1000), cpuMicrosPerMessage: (cpu.user + cpu.system) / total })}\n`,
);
await client.endAsync();
