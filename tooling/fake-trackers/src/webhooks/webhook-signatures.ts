// The signatures the vendors put on their deliveries. Written here with node:crypto directly,
// independent of the connectors' verifiers, so a verifier bug cannot be mirrored by the fake.
import { createHmac } from 'node:crypto';

/** Lower-case hex HMAC-SHA256 of `body` keyed with `secret` (GitHub, Linear, Jira). */
export function hmacSha256HexOf(secret: string, body: string): string {
  return createHmac('sha256', secret).update(body, 'utf8').digest('hex');
}

/** An HTTP Basic `Authorization` value (Azure DevOps service hooks). */
export function basicAuthorization(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}
