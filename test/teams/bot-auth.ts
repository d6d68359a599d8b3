/**
 * The Bot Framework's side of authentication, on nock: the OpenID metadata and signing keys Teams
 * tokens are checked against (login.botframework.com), and the token endpoint the bot gets its own
 * outgoing token from (login.microsoftonline.com). Tokens are signed here with a key pair made for
 * the test, so the SDK's real JWT validation runs: signature, issuer, audience, expiry, the
 * `msteams` endorsement of the key and the `serviceurl` claim.
 */
import { createSign, generateKeyPairSync } from 'node:crypto';
import nock from 'nock';

const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = publicKey.export({ format: 'jwk' }) as { n: string; e: string };
const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;

export const OUTGOING_TOKEN = 'outgoing-token-for-the-bot';

export function mockBotFrameworkLogin(): void {
  nock('https://login.botframework.com')
    .persist()
    .get('/v1/.well-known/openidconfiguration')
    .reply(200, {
      issuer: 'https://api.botframework.com',
      jwks_uri: 'https://login.botframework.com/v1/.well-known/keys',
      id_token_signing_alg_values_supported: ['RS256'],
    })
    .get('/v1/.well-known/keys')
    .reply(200, {
      keys: [{ kty: 'RSA', use: 'sig', kid: 'teams-key-1', n: jwk.n, e: jwk.e, endorsements: ['msteams'] }],
    });
  nock('https://login.microsoftonline.com')
    .persist()
    .post(/\/oauth2\/v2\.0\/token/)
    .reply(200, { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: OUTGOING_TOKEN });
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

export interface TokenOptions {
  readonly appId: string;
  readonly serviceUrl: string;
  readonly kid?: string;
  readonly issuer?: string;
  readonly expiresIn?: number;
  /** Sign with a key the metadata does not publish. */
  readonly forged?: boolean;
}

/** A Bot Framework channel token as Teams would send it in `Authorization: Bearer`. */
export function channelToken(o: TokenOptions): string {
  const now = Math.floor(Date.now() / 1000);
  const header = b64({ alg: 'RS256', typ: 'JWT', kid: o.kid ?? 'teams-key-1' });
  const body = b64({
    iss: o.issuer ?? 'https://api.botframework.com',
    aud: o.appId,
    serviceurl: o.serviceUrl,
    nbf: now - 60,
    exp: now + (o.expiresIn ?? 600),
  });
  const signature = createSign('RSA-SHA256')
    .update(`${header}.${body}`)
    .sign(o.forged ? stranger : privateKey)
    .toString('base64url');
  return `${header}.${body}.${signature}`;
}
