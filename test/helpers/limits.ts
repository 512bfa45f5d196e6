import {defaultConfig, protocolLimits} from '../../source/core/config.js';

/** The parser limits of the default config. */
export const limits = protocolLimits(defaultConfig);
