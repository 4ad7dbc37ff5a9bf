// The OpenID Connect provider the sign-in tests start (tests/conftest.py, `oidc_provider`): panva's oidc-provider,
// a certified implementation from npm (tests/package.json), configured here as ProConnect is for the dashboard: an
// authorization code flow for one confidential client, the scopes `openid email given_name usual_name`, an `acr`
// of `eidas1`, sign-out through its end_session_endpoint. Only the people listed in OIDC_PERSONNES exist.
//
//   node tests/oidc/provider.mjs PORT   with OIDC_CLIENT = {"client_id", "client_secret", "redirect_uris": [...]}
//                                       and OIDC_PERSONNES = {"login": {"email", "given_name", "usual_name"}, ...}
//
// The sign-in page is the library's own development page (any password is accepted for a listed login): what is
// tested is the protocol between the dashboard and a real provider, not a password check.
import Provider from 'oidc-provider';

const port = Number(process.argv[2]);
const issuer = `http://127.0.0.1:${port}`;
const client = JSON.parse(process.env.OIDC_CLIENT);
const people = JSON.parse(process.env.OIDC_PERSONNES);

const provider = new Provider(issuer, {
  clients: [{
    client_id: client.client_id,
    client_secret: client.client_secret,
    redirect_uris: client.redirect_uris,
    post_logout_redirect_uris: client.redirect_uris,
    grant_types: ['authorization_code'],
    response_types: ['code'],
  }],
  // ProConnect's scopes, one claim each (its « données fournies »).
  scopes: ['openid', 'email', 'given_name', 'usual_name'],
  claims: {
    openid: ['sub'], email: ['email'], given_name: ['given_name'], usual_name: ['usual_name'], acr: null,
    auth_time: null,
  },
  acrValues: ['eidas1'],
  // Streamlit's st.user shows the ID token's claims only: the claims of the scopes granted go in it.
  conformIdTokenClaims: false,
  async findAccount(ctx, id) {
    const person = people[id];
    if (!person) return undefined;
    return { accountId: id, async claims() { return { sub: id, ...person }; } };
  },
  // No consent screen, as with ProConnect: the dashboard's client is granted what it asks.
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope('openid email given_name usual_name');
    await grant.save();
    return grant;
  },
  features: {
    devInteractions: { enabled: true },
    rpInitiatedLogout: {
      enabled: true,
      // The library's page loads a web font from the Internet, which the tests' machines do not reach.
      async logoutSource(ctx, form) {
        ctx.body = `<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Déconnexion</title></head>
          <body><h1>Se déconnecter du fournisseur d'identité ?</h1>${form}
          <button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">Oui, me déconnecter</button>
          </body></html>`;
      },
    },
  },
  cookies: { keys: ['lne-tests-oidc-provider-cookie-key'] },
  pkce: { required: () => false },
});
// The tests reach it over http on the loopback: no TLS to terminate.
provider.proxy = false;
provider.listen(port, '127.0.0.1', () => {
  console.log(`oidc-provider prêt sur ${issuer}`);
});
