-- The one MQTT client id a meter may connect with (broker/embedded-broker.ts, dynsec
-- `clientid`). NULL: its user name, meter-<id>. Set when the device cannot choose its own (a
-- display with a fixed client id). No two meters share one.
ALTER TABLE meters ADD COLUMN client_id text UNIQUE;
