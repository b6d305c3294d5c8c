/** The line the CLI prints about a store before its tables. */
import { PROTOCOLS } from '../protocol/protocols';

/** One line naming a store's protocol (and what it means) and dataset. */
export function describeStore(dir: string, identity: { protocol?: string; dataset?: { name: string } }): string {
  const p = identity.protocol ? PROTOCOLS[identity.protocol as keyof typeof PROTOCOLS] : undefined;
  const what = identity.protocol ? `protocol ${identity.protocol}${p ? ` (${p.summary})` : ''}` : 'protocol not recorded (a store made before protocols, or by a custom spec)';
  return `${dir}: ${what}${identity.dataset ? `; dataset ${identity.dataset.name}` : ''}`;
}
