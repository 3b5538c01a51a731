// ontap decode: a foreign device message (Tasmota, ESPHome, TTN, Glow, wmbusmeters, Zigbee2MQTT,
// Home Assistant) through its OnTap family decoder. Output 1: contract readings; output 2: what was refused and why.
import { flowDecoder } from '../lib/decode-for-flow.ts';

export default function (RED) {
  function OnTapDecodeNode(config) {
    RED.nodes.createNode(this, config);
    let decode;
    try {
      decode = flowDecoder(config.family, config.profile);
    } catch (error) {
      this.status({ fill: 'red', shape: 'ring', text: 'bad settings' });
      this.error(`ontap decode: ${error.message ?? error}`);
      return;
    }
    this.on('input', (msg, send, done) => {
      const result = decode(msg.topic ?? '', msg.payload, { receivedAt: Date.now(), retained: msg.retain === true });
      const refused = result.rejected.length > 0 ? { ...msg, payload: result.rejected } : null;
      const decoded = result.readings.length > 0 ? { ...msg, payload: result.readings, receiptTimed: result.receiptTimed } : null;
      this.status(
        decoded
          ? { fill: 'green', shape: 'dot', text: `${result.readings[0].register} ${result.readings[0].unit}` }
          : { fill: 'yellow', shape: 'ring', text: result.rejected[0]?.code ?? 'nothing' },
      );
      send([decoded, refused]);
      done();
    });
  }
  RED.nodes.registerType('ontap-decode', OnTapDecodeNode);
}
