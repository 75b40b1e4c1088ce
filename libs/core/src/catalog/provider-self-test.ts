import { Injectable } from '@nestjs/common';
import { checkToolUrl } from '@tms/lti';
import { Principal } from '../access/principal';
import { DomainError } from '../errors/domain-error';
import { OutboundError, OutboundHttp } from '../shared/outbound-http';
import { CatalogAccess } from './catalog-access';
import { isLti1p3, Lti1p3Provider } from './lti-provider';
import { LtiProviderRepository } from './lti-provider.repository';
import { ToolKeyChecker } from './tool-key-checker';
import { SelfTestRuns } from './self-test-runs';

export interface SelfTestCheck {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

/** What the tool's published keys are: enough to tell which key a tool signs with. */
export interface PublishedKey {
  readonly kid: string | null;
  readonly alg: string | null;
  readonly kty: string | null;
  /** RSA modulus size in bits; null for other key types. */
  readonly bits: number | null;
}

export interface SelfTestReport {
  readonly checks: readonly SelfTestCheck[];
  readonly keys: readonly PublishedKey[];
}

const PROBE_TIMEOUT_MS = 5_000;
const PROBE_MAX_BYTES = 64 * 1024;

/**
 * A 1.3 provider's self-test for its administrators: the login initiation URL answers, the redirect
 * URIs are well-formed, and the JWKS is fetched (all through the guarded outbound client).
 */
@Injectable()
export class ProviderSelfTest {
  constructor(
    private readonly providers: LtiProviderRepository,
    private readonly catalog: CatalogAccess,
    private readonly http: OutboundHttp,
    private readonly keys: ToolKeyChecker,
    private readonly runs: SelfTestRuns,
  ) {}

  /** Runs the checks and keeps the run (listed on the provider's page). */
  async run(principal: Principal, id: string): Promise<SelfTestReport> {
    const scope = await this.catalog.scopeOf(principal);
    const provider = await this.catalog.requireManaged(scope, await this.providers.findVisible(scope, id), 'Provider');
    if (!isLti1p3(provider)) throw DomainError.refused('The self-test checks an LTI 1.3 provider');
    const report = await this.check(provider);
    const failed = report.checks.filter((c) => !c.ok).length;
    await this.runs.record(principal, provider, {
      kind: 'lti1p3_checks',
      passed: failed === 0,
      summary:
        failed === 0
          ? `all ${report.checks.length} checks passed`
          : `${failed} of ${report.checks.length} checks failed`,
      detail: { checks: report.checks, keys: report.keys },
      launchId: null,
    });
    return report;
  }

  private async check(provider: Lti1p3Provider): Promise<SelfTestReport> {
    const registration = provider.lti1p3;
    const checks: SelfTestCheck[] = [await this.probe('Login initiation URL reachable', registration.loginUrl)];
    for (const uri of registration.redirectUris) {
      const check = checkToolUrl(uri);
      checks.push({ name: `Redirect URI ${uri}`, ok: check.ok, detail: check.ok ? 'well-formed' : check.reason });
    }
    if (!registration.jwksUrl) {
      checks.push({ name: 'Tool key', ok: true, detail: 'a pasted PEM (nothing to fetch)' });
      return { checks, keys: [] };
    }
    const fetched = await this.keys.fetchKeySet(registration.jwksUrl);
    if (!fetched.ok) {
      checks.push({ name: 'JWKS fetched', ok: false, detail: `jwksUrl ${fetched.reason}` });
      return { checks, keys: [] };
    }
    const keys = fetched.keySet.keys.map((key) => ({
      kid: typeof key.kid === 'string' ? key.kid : null,
      alg: typeof key.alg === 'string' ? key.alg : null,
      kty: typeof key.kty === 'string' ? key.kty : null,
      bits: typeof key.n === 'string' ? Buffer.from(key.n, 'base64url').length * 8 : null,
    }));
    checks.push({ name: 'JWKS fetched', ok: true, detail: `${keys.length} key(s)` });
    return { checks, keys };
  }

  /** Any HTTP answer means the URL is reachable (a login URL may well refuse a bare GET). */
  private async probe(name: string, url: string): Promise<SelfTestCheck> {
    try {
      const response = await this.http.fetch({
        method: 'GET',
        url,
        maxBytes: PROBE_MAX_BYTES,
        timeoutMs: PROBE_TIMEOUT_MS,
      });
      return { name, ok: true, detail: `answered HTTP ${response.status}` };
    } catch (error) {
      if (error instanceof OutboundError) return { name, ok: false, detail: `loginUrl ${error.message}` };
      throw error;
    }
  }
}
