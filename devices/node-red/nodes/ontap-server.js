// Config node: an OnTap server (API URL + token) and the MQTT broker with one meter's credentials.
import { OnTapConnection } from '../lib/connection.ts';

export default function (RED) {
  function OnTapServerNode(config) {
    RED.nodes.createNode(this, config);
    this.connection = new OnTapConnection({
      apiUrl: config.apiUrl,
      brokerUrl: config.brokerUrl,
      meterId: config.meterId || undefined,
      token: this.credentials?.token || undefined,
      meterPassword: this.credentials?.meterPassword || undefined,
    });
    this.on('close', (_removed, done) => {
      this.connection.close().then(
        () => done(),
        () => done(),
      );
    });
  }
  RED.nodes.registerType('ontap-server', OnTapServerNode, {
    credentials: { token: { type: 'password' }, meterPassword: { type: 'password' } },
  });
}
