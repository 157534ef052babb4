// A real OpenID provider on loopback for the tests: the certified `oidc-provider`, configured from the
// environment by tests/support/oidc.py.
//
//   PORT           where it listens (the issuer is http://127.0.0.1:PORT)
//   KEYS_FILE      its signing keys, a private JWK set the tests write (so that they can rotate them)
//   CLIENTS        JSON list of clients: client_id, client_secret, redirect_uris, post_logout_redirect_uris,
//                  and `api: true` for one whose access tokens are JWTs for the hoso API (aud API_AUDIENCE)
//   ACCOUNTS       JSON object: account id (what is typed at the login form) -> its claims
//   TOKEN_SECONDS  how long access and ID tokens live
//
// Besides the provider's own routes, two for the tests: POST /_test/keys reads KEYS_FILE again (the
// provider switches keys), GET /_test/jwks-fetches says how many times its JWKS has been asked for.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

import Provider from 'oidc-provider';

const port = Number(process.env.PORT);
const issuer = `http://127.0.0.1:${port}`;
const clients = JSON.parse(process.env.CLIENTS ?? '[]');
const accounts = JSON.parse(process.env.ACCOUNTS ?? '{}');
const tokenSeconds = Number(process.env.TOKEN_SECONDS ?? '600');
const apiAudience = process.env.API_AUDIENCE ?? 'hoso';
const apiResource = 'urn:hoso:api';
const apiClients = new Set(clients.filter((client) => client.api).map((client) => client.client_id));

function configuration() {
  return {
    clients: clients.map(({ api, ...client }) => ({
      grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'], ...client,
    })),
    jwks: JSON.parse(readFileSync(process.env.KEYS_FILE, 'utf8')),
    cookies: { keys: ['hoso-test-provider-cookies'] },
    claims: {
      openid: ['sub'], profile: ['name', 'roles'], email: ['email', 'email_verified'], phone: ['phone_number'],
    },
    async findAccount(_ctx, id) {
      return { accountId: id, async claims() { return { sub: id, ...(accounts[id] ?? {}) }; } };
    },
    // First-party clients: what they ask for is granted without a consent screen.
    async loadExistingGrant(ctx) {
      const { client, session, params } = ctx.oidc;
      const grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
      grant.addOIDCScope(String(params.scope ?? 'openid'));
      grant.addOIDCClaims(['sub', 'name', 'roles', 'email', 'email_verified', 'phone_number']);
      if (apiClients.has(client.clientId)) grant.addResourceScope(apiResource, 'api');
      await grant.save();
      return grant;
    },
    async issueRefreshToken(_ctx, client) { return client.grantTypeAllowed('refresh_token'); },
    async extraTokenClaims(_ctx, token) {
      // The API's tokens carry what the API needs to know of the person, as a real provider's may.
      if (token.kind !== 'AccessToken' || !token.accountId) return undefined;
      const { name, email, roles } = accounts[token.accountId] ?? {};
      return { name, email, roles };
    },
    pkce: { required: () => true },
    ttl: { AccessToken: tokenSeconds, IdToken: tokenSeconds, RefreshToken: 24 * 3600, Session: 3600 },
    features: {
      devInteractions: { enabled: true },
      rpInitiatedLogout: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: (ctx, client) => (apiClients.has(client.clientId) ? apiResource : undefined),
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({
          scope: 'api', audience: apiAudience, accessTokenTTL: tokenSeconds, accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'RS256' } },
        }),
      },
    },
  };
}

let provider = new Provider(issuer, configuration());
let jwksFetches = 0;

createServer((req, res) => {
  if (req.url === '/_test/keys' && req.method === 'POST') {
    provider = new Provider(issuer, configuration()); // the same memory storage: sessions and grants stay
    res.writeHead(204).end();
    return;
  }
  if (req.url === '/_test/jwks-fetches') {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ fetches: jwksFetches }));
    return;
  }
  if (req.url === '/jwks') jwksFetches += 1;
  provider.callback()(req, res);
}).listen(port, '127.0.0.1', () => {
  process.stdout.write(`oidc-provider listening on ${issuer}\n`);
});
