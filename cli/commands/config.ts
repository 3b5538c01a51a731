import { describeConfig, loadConfig } from '../../config/config.ts';
import type { Command } from './index.ts';

export const configCommand: Command = {
  usage: 'Usage: ontap config\n\nPrints each ONTAP_* variable as it resolves, marking defaults and unset values.',
  async run() {
    const config = loadConfig();
    for (const line of describeConfig(config)) console.log(line);
    return 0;
  },
};
