// ontap meter: turns any msg into contract readings and publishes them as the configured meter.
import { prepareReadings } from '../lib/meter-reading.ts';

export default function (RED) {
  function OnTapMeterNode(config) {
    RED.nodes.createNode(this, config);
    const server = RED.nodes.getNode(config.server);
    const settings = { kind: config.kind || 'water', unit: config.unit || 'L', mode: config.mode || 'register' };
    if (!server) {
      this.status({ fill: 'red', shape: 'ring', text: 'no server configured' });
      return;
    }
    this.on('input', async (msg, send, done) => {
      try {
        const meterId = server.connection.settings.meterId;
        if (!meterId) throw new Error('the ontap-server config node has no meter id');
        const prepared = prepareReadings(msg, { ...settings, meterId }, Date.now());
        if (prepared.count > 0) {
          const client = await server.connection.meterClient();
          await client.publishAsync(prepared.topic, prepared.payload, { qos: 1 });
        }
        if (prepared.rejected.length > 0) {
          const reasons = prepared.rejected.map(
            (r) => `${r.index === undefined ? '' : `reading ${r.index}: `}${r.code} ${r.message}`,
          );
          this.status({ fill: 'yellow', shape: 'dot', text: `refused: ${prepared.rejected[0].code}` });
          // Catch nodes get it; the readings that were valid have been published.
          done(new Error(`OnTap refused ${prepared.rejected.length} reading(s): ${reasons.join('; ')}`));
          return;
        }
        this.status({ fill: 'green', shape: 'dot', text: `sent ${prepared.count} at ${new Date().toLocaleTimeString()}` });
        send({ ...msg, topic: prepared.topic, payload: JSON.parse(prepared.payload) });
        done();
      } catch (error) {
        this.status({ fill: 'red', shape: 'ring', text: String(error.message ?? error).slice(0, 40) });
        done(error);
      }
    });
  }
  RED.nodes.registerType('ontap-meter', OnTapMeterNode);
}
