/**
 * Every chat adapter against the one contract: Slack, Teams, the web chat, and the in-memory
 * platform that exists only in the tests (it passes without any change to core).
 */
import { chatAdapterContract } from './contract.ts';
import { PLATFORMS } from './platforms.ts';

for (const [name, make] of Object.entries(PLATFORMS)) chatAdapterContract(name, make);
