import crypto, { generateKeyPairSync } from 'node:crypto';
import { SignJWT } from 'jose';
import { DEFAULT_PRIVACY, KEY_READY, Lti1p3Provider } from '../catalog/lti-provider';
import { ToolKeyChecker } from '../catalog/tool-key-checker';
import { OutboundError, OutboundHttp } from '../shared/outbound-http';
import { ToolKeySets } from './tool-key-sets';
import { toolJwtFailure, ToolKeys } from './tool-keys';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const at = new Date('2026-03-01T08:00:00Z');

function provider(key: { jwksUrl: string | null; publicKeyPem: string | null }): Lti1p3Provider {
  return {
    id: 'provider-1',
    organizationId: 'org-1',
    name: 'Tool',
    ltiVersion: '1.3',
    status: 'active',
    customParameters: [],
    privacy: DEFAULT_PRIVACY,
    presentation: { target: 'iframe', width: 800, height: 600 },
    availableOrganizationIds: ['org-1'],
    lti1p1: null,
    lti1p3: {
      clientId: 'client-1',
      deploymentId: 'deployment-1',
      loginUrl: 'https://tool.example/login',
      redirectUris: ['https://tool.example/launch'],
      targetLinkUri: 'https://tool.example/launch',
      services: [],
      compatibility: [],
      platformStorage: false,
      replacesProviderId: null,
      key: KEY_READY,
      ...key,
    },
    createdAt: at,
    updatedAt: at,
  };
}

describe('ToolKeys', () => {
  const refusingHttp: OutboundHttp = {
    fetch: async () => {
      throw new OutboundError('not-allowed');
    },
  };
  const toolKeys = new ToolKeys(new ToolKeySets(new ToolKeyChecker(refusingHttp)));
  const sign = () => new SignJWT({ sub: 'client-1' }).setProtectedHeader({ alg: 'RS256' }).sign(privateKey);

  it('should import a PEM once when it verifies many JWTs with it', async () => {
    const importing = jest.spyOn(crypto, 'createPublicKey');
    try {
      for (const pem of [
        String(publicKey.export({ type: 'spki', format: 'pem' })),
        String(publicKey.export({ type: 'pkcs1', format: 'pem' })),
      ]) {
        for (let i = 0; i < 3; i++) {
          expect((await toolKeys.verify(provider({ jwksUrl: null, publicKeyPem: pem }), await sign(), {})).sub).toBe(
            'client-1',
          );
        }
      }
      expect(importing).toHaveBeenCalledTimes(2);
    } finally {
      importing.mockRestore();
    }
  });

  it('should say why in words a tool can act on when its JWKS URL is refused', async () => {
    const error = await toolKeys
      .verify(provider({ jwksUrl: 'https://10.0.0.1/jwks', publicKeyPem: null }), await sign(), {})
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(toolJwtFailure(error)).toBe(
      'the tool’s JWKS URL is not an allowed address (private or local networks are refused)',
    );
  });
});
